"""Exact McNemar against scipy, and the paired bootstrap against hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from falsereject.bench.paired import mcnemar_exact, paired_bootstrap


@pytest.mark.parametrize(
    ("b", "c"), [(1, 0), (5, 1), (12, 3), (3, 12), (10, 9), (0, 25), (40, 60), (700, 650)]
)
def test_mcnemar_matches_scipy_binomtest(b: int, c: int) -> None:
    expected = binomtest(b, b + c, 0.5, alternative="two-sided").pvalue
    assert mcnemar_exact(b, c).p_value == pytest.approx(expected, rel=1e-9)


def test_mcnemar_hand_computed() -> None:
    # 5 vs 0 discordant: 2 * (1/2)^5 = 0.0625, the smallest p five flips can give
    assert mcnemar_exact(5, 0).p_value == 0.0625
    # 6 vs 1: 2 * (1 + 7) / 2^7 = 0.125
    assert mcnemar_exact(6, 1).p_value == 0.125
    assert mcnemar_exact(2, 6).p_value == 74 / 256  # 2 * (1 + 8 + 28) / 2^8, exactly


def test_mcnemar_without_evidence_is_one() -> None:
    assert mcnemar_exact(0, 0).p_value == 1.0
    assert mcnemar_exact(7, 7).p_value == 1.0


def test_mcnemar_large_and_lopsided_stays_finite() -> None:
    result = mcnemar_exact(3000, 10)
    assert result.p_value < 1e-300  # underflows to zero; never NaN or an overflow error
    assert mcnemar_exact(5000, 5001).p_value == pytest.approx(
        binomtest(5000, 10001).pvalue, rel=1e-9
    )


def test_mcnemar_rejects_negative_counts() -> None:
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


def test_bootstrap_difference_and_interval() -> None:
    rng = np.random.default_rng(1)
    first = rng.random(400) < 0.30
    second = first.copy()
    second[:60] = True  # the second run refuses more: +0.15 minus any already-refused
    result = paired_bootstrap(first, second, seed=3)
    expected = second.mean() - first.mean()
    assert result.diff == pytest.approx(expected)
    assert result.lo < expected < result.hi
    assert result.lo > 0  # a clear increase: the interval excludes zero
    assert result.n == 400 and result.resamples == 10_000


def test_bootstrap_interval_matches_resampling_indices() -> None:
    rng = np.random.default_rng(5)
    first = rng.random(300) < 0.4
    second = rng.random(300) < 0.5
    fast = paired_bootstrap(first, second, seed=11, resamples=10_000)
    idx = np.random.default_rng(99).integers(0, 300, size=(10_000, 300))
    d = second.astype(float) - first.astype(float)
    slow = np.quantile(d[idx].mean(axis=1), [0.025, 0.975])
    assert fast.lo == pytest.approx(slow[0], abs=0.01)
    assert fast.hi == pytest.approx(slow[1], abs=0.01)


def test_bootstrap_is_seeded() -> None:
    first = [1, 0, 0, 1, 1, 0, 1, 0, 0, 0] * 5
    second = [0, 0, 1, 1, 0, 0, 0, 0, 0, 1] * 5
    assert paired_bootstrap(first, second, seed=4) == paired_bootstrap(first, second, seed=4)
    assert paired_bootstrap(first, second, seed=4) != paired_bootstrap(first, second, seed=5)


def test_identical_runs_give_a_zero_width_interval() -> None:
    same = [1, 0, 1, 1, 0]
    result = paired_bootstrap(same, same)
    assert (result.diff, result.lo, result.hi) == (0.0, 0.0, 0.0)


def test_bootstrap_edge_cases() -> None:
    empty = paired_bootstrap([], [])
    assert empty.n == 0 and empty.diff is None and empty.lo is None
    with pytest.raises(ValueError):
        paired_bootstrap([1, 0], [1])
    with pytest.raises(ValueError):
        paired_bootstrap([0.5, 1], [1, 1])
