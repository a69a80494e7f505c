"""The judge's vocabulary: FalseReject's three classes, plus the two non-answers.

`unparseable` (the judge said something that is not exactly one class) and `error` (the judge
call failed) are outcomes of their own: counted, reported, and left out of every rate.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

VerdictLabel = Literal[
    "full_compliance", "safe_partial_compliance", "direct_refusal", "unparseable", "error"
]
CLASSES: tuple[VerdictLabel, ...] = ("full_compliance", "safe_partial_compliance", "direct_refusal")
DISPLAY: dict[str, str] = {
    "full_compliance": "Full Compliance",
    "safe_partial_compliance": "Safe Partial Compliance",
    "direct_refusal": "Direct Refusal",
    "unparseable": "Unparseable",
    "error": "Error",
}


class JudgeInput(BaseModel):
    """What a judge sees: the prompt and the answer (reasoning text excluded)."""

    prompt: str
    response: str


class Judgment(BaseModel):
    """One verdict with the judge's short rationale and, where it has one, a confidence."""

    verdict: VerdictLabel
    judge: str
    rationale: str | None = None
    confidence: float | None = None
    raw: str | None = None


class Judge(ABC):
    """Labels answers. Implementations: LLM rubric judge, strmatch, embedded, ensemble."""

    name: str

    @abstractmethod
    async def judge(
        self, items: list[JudgeInput], *, progress: Callable[[Judgment], None] | None = None
    ) -> list[Judgment]:
        """One judgment per item, in order."""
