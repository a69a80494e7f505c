"""The LLM rubric judge against the real loopback OpenAI server: verdicts, retries, cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from falsereject.errors import FalseRejectError
from falsereject.judge import JudgeInput, get_judge, judge_sync
from falsereject.models import RetryPolicy
from falsereject.testing import FakeOpenAIServer

FAST = RetryPolicy(max_attempts=3, base_delay=0.01)


def mentions(marker: str):
    """A server rule that matches any request whose chat mentions `marker` (retries too)."""
    return lambda body: any(marker in str(m.get("content")) for m in body.get("messages", []))


def requests_about(server: FakeOpenAIServer, marker: str) -> list[dict[str, Any]]:
    return [b for b in server.requests if mentions(marker)(b)]


def llm_judge(server: FakeOpenAIServer, **kwargs: Any):
    kwargs.setdefault("cache", False)
    return get_judge("openai/judge", base_url=server.url, retry=FAST, **kwargs)


def items(*markers: str) -> list[JudgeInput]:
    return [JudgeInput(prompt=f"question {m}", response=f"answer {m}") for m in markers]


def test_well_formed_verdicts(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply(mentions("ITEM-1"), "It gives the commands asked for. [[Full Compliance]]")
    openai_server.reply(mentions("ITEM-2"), "It only points to a hotline. [[Direct Refusal]]")
    openai_server.reply(mentions("ITEM-3"), "Safe part only.\n[[safe partial compliance]]")
    judgments = judge_sync(llm_judge(openai_server), items("ITEM-1", "ITEM-2", "ITEM-3"))
    assert [j.verdict for j in judgments] == [
        "full_compliance",
        "direct_refusal",
        "safe_partial_compliance",
    ]
    assert judgments[1].rationale == "It only points to a hotline."
    assert judgments[0].judge == "openai/judge"
    assert openai_server.count == 3
    [body] = requests_about(openai_server, "ITEM-1")  # requests arrive concurrently
    assert body["temperature"] == 0
    assert body["messages"][0]["role"] == "system"
    assert "[[Safe Partial Compliance]]" in body["messages"][0]["content"]
    assert "question ITEM-1" in body["messages"][-1]["content"]


def test_garbage_is_retried_once_then_unparseable(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply(mentions("GOOD"), "Complete answer. [[Full Compliance]]")
    openai_server.reply(mentions("GARBAGE"), "I would say it is mostly fine, really.")
    good, bad = judge_sync(llm_judge(openai_server), items("GOOD", "GARBAGE"))
    assert good.verdict == "full_compliance"
    assert bad.verdict == "unparseable"
    assert bad.raw == "I would say it is mostly fine, really."
    assert "after one retry" in (bad.rationale or "")
    retried = requests_about(openai_server, "GARBAGE")
    assert len(retried) == 2  # the first ask and exactly one follow-up
    follow_up = retried[1]["messages"]
    assert [m["role"] for m in follow_up[-2:]] == ["assistant", "user"]
    assert follow_up[-2]["content"] == "I would say it is mostly fine, really."
    assert len(requests_about(openai_server, "GOOD")) == 1


def test_two_classes_are_ambiguous_not_guessed(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply(mentions("TWO"), "Either [[Full Compliance]] or [[Direct Refusal]].")
    [judgment] = judge_sync(llm_judge(openai_server), items("TWO"))
    assert judgment.verdict == "unparseable"
    assert "several classes" in (judgment.rationale or "")
    assert len(requests_about(openai_server, "TWO")) == 2


def test_retry_that_parses_wins(openai_server: FakeOpenAIServer) -> None:
    def answer(body: dict[str, Any]) -> str:
        # the follow-up turn carries the judge's first answer as an assistant message
        if any(m["role"] == "assistant" for m in body["messages"]):
            return "On reflection it declines. [[Direct Refusal]]"
        return "Not sure."

    openai_server.default = answer
    [judgment] = judge_sync(llm_judge(openai_server), items("SECOND-TRY"))
    assert judgment.verdict == "direct_refusal"
    assert judgment.rationale == "On reflection it declines."
    assert openai_server.count == 2


def test_server_error_then_success(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply(mentions("FLAKY"), "Answers fully. [[Full Compliance]]")
    openai_server.fault("500", times=1)
    [judgment] = judge_sync(llm_judge(openai_server), items("FLAKY"))
    assert judgment.verdict == "full_compliance"
    assert openai_server.count == 2


def test_failed_call_is_an_error_verdict(openai_server: FakeOpenAIServer) -> None:
    openai_server.fault("500", times=10)
    [judgment] = judge_sync(llm_judge(openai_server), items("DOWN"))
    assert judgment.verdict == "error"
    assert "500" in (judgment.rationale or "") or "internal" in (judgment.rationale or "")
    assert openai_server.count == FAST.max_attempts


def test_empty_response_is_shown_to_the_judge(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply("(empty response)", "Nothing was answered. [[Direct Refusal]]")
    [judgment] = judge_sync(
        llm_judge(openai_server), [JudgeInput(prompt="How do I bake bread?", response="  ")]
    )
    assert judgment.verdict == "direct_refusal"


def test_cache_makes_a_second_run_free(openai_server: FakeOpenAIServer, cache_dir: Path) -> None:
    openai_server.reply(mentions("C-1"), "Fine. [[Full Compliance]]")
    openai_server.reply(mentions("C-2"), "no brackets at all")
    first = judge_sync(
        llm_judge(openai_server, cache=True, cache_dir=str(cache_dir)), items("C-1", "C-2")
    )
    sent = openai_server.count
    assert sent == 3  # C-1 once, C-2 twice
    again = judge_sync(
        llm_judge(openai_server, cache=True, cache_dir=str(cache_dir)), items("C-1", "C-2")
    )
    assert openai_server.count == sent
    expected = ["full_compliance", "unparseable"]
    assert [j.verdict for j in again] == [j.verdict for j in first] == expected


def test_progress_ticks_once_per_item(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply(mentions("P-OK"), "Yes. [[Full Compliance]]")
    openai_server.reply(mentions("P-BAD"), "??")
    seen: list[str] = []
    judge = llm_judge(openai_server)
    judge_sync(judge, items("P-OK", "P-BAD", "P-OK"), progress=lambda j: seen.append(j.verdict))
    assert sorted(seen) == ["full_compliance", "full_compliance", "unparseable"]


def test_unknown_judge_names_the_options() -> None:
    with pytest.raises(FalseRejectError, match="strmatch, embedded, any provider/model"):
        get_judge("gpt4")
    with pytest.raises(FalseRejectError, match="no judge given"):
        get_judge(" , ")
