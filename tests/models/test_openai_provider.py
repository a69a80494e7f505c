"""The `openai/` provider against a real loopback server: answers, reasoning, parameters, errors."""

from __future__ import annotations

import pytest

from falsereject.errors import FalseRejectError
from falsereject.models import ChatMessage, ChatRequest, GenerateConfig, RetryPolicy, get_model

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


def test_answer_tokens_and_finish_reason(openai_server, cache_dir):
    openai_server.reply("kill a Python process", "Use `kill <pid>` or `pkill -f script.py`.")
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    [result] = model.generate_sync(["How do I kill a Python process?"])
    assert result.ok
    assert result.text == "Use `kill <pid>` or `pkill -f script.py`."
    assert result.finish_reason == "stop"
    assert result.prompt_tokens > 0 and result.completion_tokens == 7  # the server counts words
    assert result.latency_s > 0


@pytest.mark.parametrize(
    "answer, text, reasoning",
    [
        ({"content": "Answer.", "reasoning_content": "Let me think."}, "Answer.", "Let me think."),
        ({"content": "<think>Is it safe? Yes.</think>\n\nAnswer."}, "Answer.", "Is it safe? Yes."),
        ({"content": "<think>still thinking when cut"}, "", "still thinking when cut"),
    ],
)
def test_reasoning_is_split_from_the_answer(openai_server, cache_dir, answer, text, reasoning):
    openai_server.reply("q", answer)
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    [result] = model.generate_sync(["q"])
    assert (result.text, result.reasoning) == (text, reasoning)


def test_generation_parameters_and_system_prompt_reach_the_server(openai_server, cache_dir):
    config = GenerateConfig(
        temperature=0.7,
        max_tokens=33,
        top_p=0.9,
        seed=5,
        stop=["\n\n"],
        system_prompt="Be brief.",
        extra={"top_k": 20, "presence_penalty": 0.1},
    )
    model = get_model(
        "openai/fake", base_url=openai_server.url, config=config, cache_dir=str(cache_dir)
    )
    model.generate_sync(["hello"])
    [body] = openai_server.requests
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert (body["temperature"], body["max_tokens"], body["top_p"], body["seed"]) == (
        0.7,
        33,
        0.9,
        5,
    )
    assert body["stop"] == ["\n\n"]
    assert body["top_k"] == 20 and body["presence_penalty"] == 0.1


def test_request_with_its_own_system_message_keeps_it(openai_server, cache_dir):
    config = GenerateConfig(system_prompt="default system")
    model = get_model(
        "openai/fake", base_url=openai_server.url, config=config, cache_dir=str(cache_dir)
    )
    request = ChatRequest(
        messages=[ChatMessage(role="system", content="mine"), ChatMessage(role="user", content="x")]
    )
    model.generate_sync([request])
    assert [m["content"] for m in openai_server.requests[0]["messages"]] == ["mine", "x"]


def test_missing_api_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(FalseRejectError, match="OPENAI_API_KEY"):
        get_model("openai/gpt-4o-mini")


def test_base_url_from_environment(openai_server, cache_dir, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.url)
    model = get_model("openai/fake", cache_dir=str(cache_dir))
    assert model.generate_sync(["hi"])[0].ok
    assert openai_server.count == 1


@pytest.mark.parametrize("name", ["gpt-4o", "nosuch/model", "openai/", "/x"])
def test_bad_model_names_are_one_clear_error(name):
    with pytest.raises(FalseRejectError, match="provider"):
        get_model(name)


def test_bad_api_key_stops_the_run(openai_server, cache_dir):
    openai_server.fault("401", times=10)
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    with pytest.raises(FalseRejectError, match="authentication failed"):
        model.generate_sync(["a", "b"])


def test_client_errors_are_recorded_not_retried(openai_server, cache_dir):
    model = get_model(
        "openai/fake", base_url=openai_server.url + "/wrong", cache_dir=str(cache_dir), retry=FAST
    )
    [result] = model.generate_sync(["x"])
    assert not result.ok and "404" in result.error
    assert openai_server.count == 1


def test_api_key_is_sent_but_never_stored(openai_server, cache_dir, monkeypatch):
    secret = "sk-test-SECRET-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    model.generate_sync(["hello"])
    assert openai_server.headers_seen[0]["authorization"] == f"Bearer {secret}"
    for path in cache_dir.iterdir():
        assert secret.encode() not in path.read_bytes()
    assert secret not in repr(model.provider.identity())


def test_lone_surrogates_from_a_server_become_replacement_chars(openai_server, cache_dir):
    openai_server.reply("surrogate", "bad \ud800 char")
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    [result] = model.generate_sync(["surrogate please"])
    assert result.text == "bad \ufffd char"
    [again] = model.generate_sync(["surrogate please"])  # stored and read back as UTF-8
    assert again.cached and again.text == result.text
