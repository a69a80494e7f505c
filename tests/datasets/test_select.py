"""`select`: category filters, first-N and seeded samples that keep the set's order."""

from __future__ import annotations

import pytest

from falsereject.datasets import load_dataset, select
from falsereject.errors import FalseRejectError


def test_first_n_without_seed() -> None:
    records = load_dataset("demo")
    assert select(records, limit=5) == records[:5]
    assert select(records, limit=1000) == records
    assert select(records, limit=0) == []


def test_seeded_sample_is_reproducible_and_ordered() -> None:
    records = load_dataset("demo")
    position = {r.id: i for i, r in enumerate(records)}
    first = select(records, limit=10, seed=7)
    assert first == select(records, limit=10, seed=7)
    assert len(first) == 10 and len({r.id for r in first}) == 10
    assert [position[r.id] for r in first] == sorted(position[r.id] for r in first)
    assert first != select(records, limit=10, seed=8)
    assert first != records[:10]


def test_categories_match_id_or_name_ignoring_case() -> None:
    records = load_dataset("demo")
    by_name = select(records, categories=["self-harm"])
    assert by_name and {r.category_text for r in by_name} == {"Self-Harm"}
    assert select(records, categories=["6"]) == by_name
    both = select(records, categories=["Self-Harm", "Medical Advice"], limit=3)
    assert len(both) == 3
    assert {r.category_text for r in both} <= {"Self-Harm", "Medical Advice"}
    assert select(records, categories=["no such category"]) == []


def test_negative_limit_is_an_error() -> None:
    with pytest.raises(FalseRejectError, match="--limit must be 0 or more"):
        select(load_dataset("demo"), limit=-1)
