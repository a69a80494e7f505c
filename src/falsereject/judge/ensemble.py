"""`EnsembleJudge`: several judges, one majority verdict, and how far the members agree.

    falsereject bench --judge strmatch,embedded,openai/gpt-4o
    judge = get_judge(["embedded", "openai/gpt-4o", "openai/gpt-4.1"])

Members judge concurrently. The verdict is the class with the most member votes; members that
answered `unparseable` or `error` do not vote. A tie goes to the tied class voted by the
earliest member in the order given, so the user decides precedence by listing their
reference judge first (with two members, the first one wins every disagreement; the
disagreement still shows in `votes` and in the pairwise agreement). With no votes at all the
verdict is `error` when every member errored, else `unparseable`. `confidence` is the winning
share of the votes cast.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations

from pydantic import BaseModel

from falsereject.judge.agreement import accuracy, cohen_kappa
from falsereject.judge.types import CLASSES, Judge, JudgeInput, Judgment, VerdictLabel


class EnsembleJudgment(Judgment):
    """A majority verdict with every member's own verdict (`SampleRecord.judge_votes`)."""

    votes: dict[str, VerdictLabel]


class PairAgreement(BaseModel):
    """Agreement of two judges over the items both scored (neither unparseable nor error)."""

    a: str
    b: str
    n: int
    percent_agreement: float | None
    cohen_kappa: float | None


def majority(votes: dict[str, VerdictLabel], order: Sequence[str]) -> tuple[VerdictLabel, int]:
    """The winning verdict and its vote count, by the rule in the module docstring."""
    cast = {m: v for m, v in votes.items() if v in CLASSES}
    if not cast:
        every_error = votes and all(v == "error" for v in votes.values())
        return ("error" if every_error else "unparseable"), 0
    tally = Counter(cast.values())
    top = max(tally.values())
    winner = next(cast[m] for m in order if m in cast and tally[cast[m]] == top)
    return winner, top


class EnsembleJudge(Judge):
    """Majority vote of member judges; see the module docstring for ties."""

    def __init__(self, members: Sequence[Judge]) -> None:
        names = [m.name for m in members]
        if len(members) < 2:
            raise ValueError("an ensemble needs at least two judges")
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            from falsereject.errors import FalseRejectError

            raise FalseRejectError(f"judge {dupes[0]!r} is listed twice in the ensemble")
        self.members = list(members)
        self.name = "ensemble(" + ",".join(names) + ")"

    async def judge(
        self, items: list[JudgeInput], *, progress: Callable[[Judgment], None] | None = None
    ) -> list[Judgment]:
        results = await asyncio.gather(*(m.judge(items) for m in self.members))
        order = [m.name for m in self.members]
        out: list[Judgment] = []
        for i in range(len(items)):
            votes = {m.name: results[k][i].verdict for k, m in enumerate(self.members)}
            verdict, count = majority(votes, order)
            cast = sum(v in CLASSES for v in votes.values())
            summary = ", ".join(f"{m}={v}" for m, v in votes.items())
            judgment = EnsembleJudgment(
                verdict=verdict,
                judge=self.name,
                rationale=f"{count} of {cast} votes: {summary}",
                confidence=count / cast if cast else None,
                votes=votes,
            )
            out.append(judgment)
            if progress:
                progress(judgment)
        return out

    async def aclose(self) -> None:
        """Close members that hold clients."""
        for member in self.members:
            close = getattr(member, "aclose", None)
            if close is not None:
                await close()


def pairwise_agreement(votes: Sequence[dict[str, VerdictLabel]]) -> list[PairAgreement]:
    """Percent agreement and Cohen's kappa for every pair of judges named in `votes`.

    `votes` is one dict per sample, judge name -> verdict, as `EnsembleJudgment.votes` or
    `SampleRecord.judge_votes` hold them. Judges appear in first-seen order.
    """
    names: list[str] = []
    for row in votes:
        names += [n for n in row if n not in names]
    pairs = []
    for a, b in combinations(names, 2):
        both = [(r[a], r[b]) for r in votes if r.get(a) in CLASSES and r.get(b) in CLASSES]
        left, right = [x for x, _ in both], [y for _, y in both]
        pairs.append(
            PairAgreement(
                a=a,
                b=b,
                n=len(both),
                percent_agreement=accuracy(left, right),
                cohen_kappa=cohen_kappa(left, right, CLASSES),
            )
        )
    return pairs
