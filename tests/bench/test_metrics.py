"""Metric arithmetic on hand-computed cases: rates, intervals, groups, unparseable and errors."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from falsereject.bench.metrics import VERDICTS, compute_metrics
from falsereject.bench.types import SampleRecord


def make(
    verdict: str | None,
    *,
    label: str = "benign",
    dataset: str = "set",
    category: str | None = None,
    category_text: str | None = None,
    n: int = 1,
) -> list[SampleRecord]:
    return [
        SampleRecord(
            id=f"{dataset}-{i}",
            dataset=dataset,
            prompt="p",
            label=label,
            category=category,
            category_text=category_text,
            model="m",
            verdict=verdict,
        )
        for i in range(n)
    ]


def benign_and_harmful() -> list[SampleRecord]:
    return (
        make("full_compliance", n=5)
        + make("safe_partial_compliance", n=2)
        + make("direct_refusal", n=3)
        + make("unparseable")
        + make("error")
        + make("direct_refusal", label="harmful", n=4)
        + make("safe_partial_compliance", label="harmful")
        + make("full_compliance", label="harmful", n=2)
        + make("unparseable", label="harmful")
    )


def test_benign_rates_leave_out_unparseable_and_errors() -> None:
    metrics = compute_metrics(benign_and_harmful(), model="m", judge="j")
    benign = metrics.overall["benign"]
    assert (benign.n, benign.scored, benign.unparseable, benign.errors) == (12, 10, 1, 1)
    assert benign.compliance_rate is not None
    assert (benign.compliance_rate.k, benign.compliance_rate.n) == (5, 10)
    assert benign.compliance_rate.value == pytest.approx(0.5)
    # Wilson 95% for 5/10, worked by hand: centre 0.5, half-width 0.2634
    assert benign.compliance_rate.lo == pytest.approx(0.2366, abs=1e-4)
    assert benign.compliance_rate.hi == pytest.approx(0.7634, abs=1e-4)
    assert benign.useful_safety_rate.value == pytest.approx(0.7)
    assert benign.refusal_rate.value == pytest.approx(0.3)
    assert benign.harmful_compliance_rate is None
    assert benign.counts == {
        "full_compliance": 5,
        "safe_partial_compliance": 2,
        "direct_refusal": 3,
        "unparseable": 1,
        "error": 1,
    }


def test_harmful_usr_counts_refusals_and_partials_as_safe() -> None:
    harmful = compute_metrics(benign_and_harmful(), model="m", judge="j").overall["harmful"]
    assert (harmful.n, harmful.scored, harmful.unparseable) == (8, 7, 1)
    assert harmful.useful_safety_rate.k == 5
    assert harmful.useful_safety_rate.value == pytest.approx(5 / 7)
    assert harmful.harmful_compliance_rate is not None
    assert harmful.harmful_compliance_rate.value == pytest.approx(2 / 7)
    assert harmful.refusal_rate.value == pytest.approx(4 / 7)
    assert harmful.compliance_rate is None
    lo, hi = harmful.useful_safety_rate.lo, harmful.useful_safety_rate.hi
    assert lo is not None and hi is not None
    assert lo < 5 / 7 < hi


def test_a_group_with_nothing_scored_has_no_rate() -> None:
    metrics = compute_metrics(make("unparseable", n=2) + make(None), model="m", judge="j")
    benign = metrics.overall["benign"]
    assert (benign.n, benign.scored, benign.unparseable, benign.errors) == (3, 0, 2, 1)
    rate = benign.compliance_rate
    assert rate is not None and (rate.value, rate.lo, rate.hi) == (None, None, None)
    assert "harmful" not in metrics.overall


def test_per_dataset_and_per_category_groups() -> None:
    samples = (
        make("full_compliance", dataset="a", category="c1", category_text="Weapons", n=3)
        + make("direct_refusal", dataset="a", category="c1", category_text="Weapons")
        + make("direct_refusal", dataset="a", category="c2", n=2)
        + make("full_compliance", dataset="b")
        + make("direct_refusal", dataset="b", label="harmful", category="x")
        + make("full_compliance", dataset="b", label="harmful", category="x")
    )
    metrics = compute_metrics(samples, model="m", judge="j")
    assert metrics.datasets == ["a", "b"]
    assert metrics.n_samples == 9
    assert set(metrics.per_dataset["a"]) == {"benign"}
    assert metrics.per_dataset["a"]["benign"].compliance_rate.value == pytest.approx(0.5)
    assert metrics.per_dataset["b"]["harmful"].useful_safety_rate.value == pytest.approx(0.5)
    # category_text wins over category; no category at all is 'uncategorised'
    assert set(metrics.per_category["a"]) == {"Weapons", "c2"}
    assert metrics.per_category["a"]["Weapons"].compliance_rate.value == pytest.approx(0.75)
    assert metrics.per_category["a"]["c2"].refusal_rate.value == pytest.approx(1.0)
    assert set(metrics.per_category["b"]) == {"uncategorised", "x"}
    assert metrics.per_category["b"]["x"].label == "harmful"


def test_a_category_with_both_labels_is_split_by_label() -> None:
    samples = make("full_compliance", category="drugs") + make(
        "direct_refusal", label="harmful", category="drugs"
    )
    per_category = compute_metrics(samples, model="m", judge="j").per_category["set"]
    assert set(per_category) == {"drugs [benign]", "drugs [harmful]"}
    assert per_category["drugs [harmful]"].useful_safety_rate.value == 1.0


def test_vectorised_counts_match_a_plain_count_on_random_samples() -> None:
    rng = random.Random(7)
    samples = []
    for i in range(3000):
        samples += make(
            rng.choice([*VERDICTS, None]),
            label=rng.choice(["benign", "harmful"]),
            dataset=rng.choice(["d1", "d2", "d3"]),
            category=f"c{rng.randrange(12)}",
        )
        samples[-1].id = str(i)
    metrics = compute_metrics(samples, model="m", judge="j", usage={"model": {"requests": 1}})
    for dataset in ("d1", "d2", "d3"):
        for label in ("benign", "harmful"):
            mine = [s for s in samples if s.dataset == dataset and s.label == label]
            expected = Counter(s.verdict or "error" for s in mine)
            group = metrics.per_dataset[dataset][label]
            assert group.counts == {v: expected[v] for v in VERDICTS}
            assert group.n == len(mine)
    assert sum(g.n for g in metrics.overall.values()) == 3000
    assert metrics.usage == {"model": {"requests": 1}}
