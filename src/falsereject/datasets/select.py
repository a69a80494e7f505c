"""`select`: narrow a set to some categories and a sample size, reproducibly.

    from falsereject.datasets import load_dataset, select
    records = select(load_dataset("falsereject"), categories=["Self-Harm"], limit=20, seed=0)

With a seed, `limit` draws a seeded random sample and keeps the set's own order, so the same
seed always gives the same prompts in the same order; without one it takes the first N.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from falsereject.datasets.record import PromptRecord
from falsereject.errors import FalseRejectError


def select(
    records: Sequence[PromptRecord],
    *,
    limit: int | None = None,
    categories: Iterable[str] | None = None,
    seed: int | None = None,
) -> list[PromptRecord]:
    """Records in `categories` (matching category or category_text, ignoring case), then at
    most `limit` of them: a seeded sample in original order when `seed` is given, else the
    first `limit`."""
    chosen = list(records)
    if categories is not None:
        wanted = {c.strip().lower() for c in categories if c.strip()}
        chosen = [r for r in chosen if _names(r) & wanted]
    if limit is None or limit >= len(chosen):
        return chosen
    if limit < 0:
        raise FalseRejectError(f"--limit must be 0 or more, got {limit}")
    if seed is None:
        return chosen[:limit]
    keep = sorted(random.Random(seed).sample(range(len(chosen)), limit))
    return [chosen[i] for i in keep]


def _names(record: PromptRecord) -> set[str]:
    return {n.strip().lower() for n in (record.category, record.category_text) if n}
