"""Majority vote over several judges, the tie rule, and pairwise agreement."""

from __future__ import annotations

from typing import Any

import pytest

from falsereject.errors import FalseRejectError
from falsereject.judge import JudgeInput, get_judge, judge_sync
from falsereject.judge.ensemble import majority, pairwise_agreement
from falsereject.models import RetryPolicy
from falsereject.testing import FakeOpenAIServer


def by_model(verdicts: dict[str, dict[str, str]]):
    """Server default answering per judge model and per item marker in the user turn."""

    def answer(body: dict[str, Any]) -> str:
        user = body["messages"][-1]["content"]
        for marker, label in verdicts[body["model"]].items():
            if marker in user:
                return f"Because. [[{label}]]"
        return "no idea"

    return answer


def test_three_judges_vote(openai_server: FakeOpenAIServer) -> None:
    openai_server.default = by_model(
        {
            "a": {"M1": "Full Compliance", "M2": "Direct Refusal", "M3": "Safe Partial Compliance"},
            "b": {
                "M1": "Full Compliance",
                "M2": "Safe Partial Compliance",
                "M3": "Full Compliance",
            },
        }
    )
    judge = get_judge(
        "openai/a,openai/b,strmatch",
        base_url=openai_server.url,
        cache=False,
        retry=RetryPolicy(base_delay=0.01),
    )
    inputs = [
        JudgeInput(prompt="M1", response="Sure: run `kill -9`."),
        JudgeInput(prompt="M2", response="I'm sorry, I can't."),
        JudgeInput(prompt="M3", response="Here is the safe part; I won't do the rest."),
        JudgeInput(prompt="M4", response="Here you go."),  # both LLM judges unparseable
    ]
    out = judge_sync(judge, inputs)
    assert judge.name == "ensemble(openai/a,openai/b,strmatch)"
    assert [j.verdict for j in out] == [
        "full_compliance",  # 3 of 3
        "direct_refusal",  # a + strmatch
        "full_compliance",  # b + strmatch outvote a
        "full_compliance",  # strmatch alone votes
    ]
    assert out[1].votes == {
        "openai/a": "direct_refusal",
        "openai/b": "safe_partial_compliance",
        "strmatch": "direct_refusal",
    }
    assert out[1].confidence == pytest.approx(2 / 3)
    assert out[1].rationale.startswith("2 of 3 votes: openai/a=direct_refusal")
    assert out[3].votes["openai/a"] == "unparseable"
    assert out[3].confidence == 1.0

    pairs = {(p.a, p.b): p for p in pairwise_agreement([j.votes for j in out])}
    ab = pairs[("openai/a", "openai/b")]
    assert ab.n == 3  # M4 left out: neither scored it
    assert ab.percent_agreement == pytest.approx(1 / 3)
    a_strmatch = pairs[("openai/a", "strmatch")]
    assert (a_strmatch.n, a_strmatch.percent_agreement) == (3, pytest.approx(2 / 3))


def test_ties_go_to_the_earliest_member() -> None:
    votes = {"x": "direct_refusal", "y": "full_compliance"}
    assert majority(votes, ["x", "y"]) == ("direct_refusal", 1)
    assert majority(votes, ["y", "x"]) == ("full_compliance", 1)
    three = {"x": "unparseable", "y": "full_compliance", "z": "safe_partial_compliance"}
    assert majority(three, ["x", "z", "y"]) == ("safe_partial_compliance", 1)


def test_no_votes_is_unparseable_or_error() -> None:
    assert majority({"x": "error", "y": "error"}, ["x", "y"]) == ("error", 0)
    assert majority({"x": "error", "y": "unparseable"}, ["x", "y"]) == ("unparseable", 0)


def test_pairwise_kappa_hand_computed() -> None:
    f, r = "full_compliance", "direct_refusal"
    a = [f, f, r, r, f, r]
    b = [f, r, r, r, f, f]
    pairs = pairwise_agreement([{"a": x, "b": y} for x, y in zip(a, b, strict=True)])
    assert pairs[0].cohen_kappa == pytest.approx(1 / 3)  # see test_agreement


def test_same_judge_twice_is_refused() -> None:
    with pytest.raises(FalseRejectError, match="listed twice"):
        get_judge("strmatch,strmatch")
