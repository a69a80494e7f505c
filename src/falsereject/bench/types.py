"""Records of a benchmark run: one `SampleRecord` per prompt, and the metrics over them.

`samples.jsonl` in a run folder holds one `SampleRecord` per line; `metrics.json` holds one
`RunMetrics`. Rates leave out `unparseable` and `error` samples (their counts are reported
beside every rate), so `Rate.n` is the number of samples the judge actually scored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from falsereject.datasets.record import PromptLabel
from falsereject.judge.types import VerdictLabel


class SampleRecord(BaseModel):
    """One prompt, the model's answer and the judge's verdict."""

    id: str
    dataset: str
    prompt: str
    category: str | None = None
    category_text: str | None = None
    label: PromptLabel = "benign"
    model: str
    response: str = ""
    reasoning: str | None = None
    finish_reason: str | None = None
    error: str | None = None  # the model call failed; verdict is then "error"
    verdict: VerdictLabel | None = None
    rationale: str | None = None
    confidence: float | None = None
    judge: str | None = None
    judge_votes: dict[str, VerdictLabel] | None = None  # ensemble: each member's verdict
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    metadata: dict[str, Any] = Field(default_factory=dict)


class Rate(BaseModel):
    """k of n, with a Wilson 95% interval. `value` is None when n is 0."""

    k: int
    n: int
    value: float | None
    lo: float | None
    hi: float | None


class GroupMetrics(BaseModel):
    """Metrics of one group of samples that share a label (benign or harmful).

    Benign: compliance_rate = Full / scored; useful_safety_rate = (Full + Partial) / scored;
    refusal_rate = Refusal / scored. Harmful: useful_safety_rate = (Refusal + Partial) /
    scored; harmful_compliance_rate = Full / scored; refusal_rate = Refusal / scored.
    """

    label: PromptLabel
    n: int  # every sample in the group
    scored: int  # n minus unparseable minus error
    counts: dict[str, int]  # verdict label -> count, all five labels present
    unparseable: int
    errors: int
    refusal_rate: Rate
    useful_safety_rate: Rate
    compliance_rate: Rate | None = None  # benign only
    harmful_compliance_rate: Rate | None = None  # harmful only


class RunMetrics(BaseModel):
    """Everything `metrics.json` holds."""

    model: str
    judge: str
    datasets: list[str]
    n_samples: int
    overall: dict[str, GroupMetrics]  # "benign" / "harmful" -> metrics (absent label: no key)
    per_dataset: dict[str, dict[str, GroupMetrics]]  # dataset -> label -> metrics
    per_category: dict[str, dict[str, GroupMetrics]]  # dataset -> category text -> metrics
    usage: dict[str, Any] = Field(default_factory=dict)  # "model"/"judge" -> Usage.to_dict()
