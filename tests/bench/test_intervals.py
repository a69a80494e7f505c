"""Wilson intervals against published values (Newcombe 1998, Table I) and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from falsereject.bench.intervals import wilson_interval, wilson_intervals

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", method 3
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "lo", "hi"), NEWCOMBE)
def test_wilson_matches_newcombe_table(k: int, n: int, lo: float, hi: float) -> None:
    got = wilson_interval(k, n)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_wilson_matches_scipy_on_a_grid() -> None:
    for n in (1, 2, 7, 50, 300, 1187):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            expected = binomtest(k, n).proportion_ci(method="wilson")
            assert wilson_interval(k, n) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_bounds_are_exact_at_zero_and_all() -> None:
    assert wilson_interval(0, 40)[0] == 0.0
    assert wilson_interval(40, 40)[1] == 1.0
    lo, hi = wilson_interval(20, 40)
    assert lo + hi == pytest.approx(1.0)  # symmetric around one half


def test_empty_group_has_no_interval() -> None:
    lo, hi = wilson_interval(0, 0)
    assert math.isnan(lo) and math.isnan(hi)


def test_wider_z_gives_wider_interval() -> None:
    lo95, hi95 = wilson_interval(10, 50)
    lo99, hi99 = wilson_interval(10, 50, z=2.5758293035489)
    assert lo99 < lo95 and hi99 > hi95


def test_impossible_counts_raise() -> None:
    with pytest.raises(ValueError):
        wilson_interval(5, 4)
    with pytest.raises(ValueError):
        wilson_interval(-1, 4)


def test_vectorised_matches_scalar() -> None:
    ks = np.array([0, 1, 15, 81, 7, 0])
    ns = np.array([20, 29, 148, 263, 7, 0])
    lo, hi = wilson_intervals(ks, ns)
    assert lo.shape == hi.shape == (6,)
    for i in range(5):
        assert (lo[i], hi[i]) == pytest.approx(wilson_interval(int(ks[i]), int(ns[i])), abs=1e-15)
    assert math.isnan(lo[5]) and math.isnan(hi[5])
    with pytest.raises(ValueError):
        wilson_intervals([3], [2])
