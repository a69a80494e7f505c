"""Paired tests for two runs on the same prompts: exact McNemar and a bootstrap interval.

    from falsereject.bench.paired import mcnemar_exact, paired_bootstrap
    mcnemar_exact(12, 3).p_value                 # 12 prompts only A refused, 3 only B refused
    paired_bootstrap(refused_a, refused_b, seed=0)   # B's refusal rate minus A's, with a 95% CI

Both work on per-prompt 0/1 outcomes of the same prompts under two runs. McNemar looks only at
the discordant pairs (one run refuses, the other does not): under "no difference" each is a fair
coin flip, so the exact two-sided p-value is a binomial tail, summed here in exact integers
(no scipy needed, and no rounding until the final division).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel


class McNemarResult(BaseModel):
    """`b`: pairs where only the first run has the outcome; `c`: only the second."""

    b: int
    c: int
    p_value: float


class PairedDifference(BaseModel):
    """Second run's rate minus the first's over `n` paired prompts, with a percentile interval.

    All three are None when there is no pair to compare.
    """

    n: int
    diff: float | None
    lo: float | None
    hi: float | None
    confidence: float
    resamples: int
    seed: int


def mcnemar_exact(b: int, c: int) -> McNemarResult:
    """Exact two-sided McNemar test: 2 * P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2), capped
    at 1. With no discordant pair the p-value is 1 (nothing speaks for a difference)."""
    if b < 0 or c < 0:
        raise ValueError(f"discordant counts must be >= 0, got b={b}, c={c}")
    n, k = b + c, min(b, c)
    if n == 0 or b == c:
        return McNemarResult(b=b, c=c, p_value=1.0)
    # Python's int / int is correctly rounded, so this is exact up to one final rounding
    # (and underflows to 0.0 rather than failing for astronomically small tails)
    return McNemarResult(b=b, c=c, p_value=min(1.0, 2 * _binomial_tail(k, n) / 2**n))


def _binomial_tail(k: int, n: int) -> int:
    """sum(C(n, i) for i <= k) in exact integers, each term from the last. Costs about a
    second only when tens of thousands of pairs flip both ways, where p is near 1 anyway."""
    total = term = 1
    for i in range(k):
        term = term * (n - i) // (i + 1)
        total += term
    return total


def paired_bootstrap(
    first: ArrayLike,
    second: ArrayLike,
    *,
    resamples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
) -> PairedDifference:
    """Bootstrap percentile interval on mean(second) - mean(first) for paired 0/1 outcomes.

    Resampling n pairs with replacement only matters through how many of them are (+1)
    second-only, (-1) first-only or (0) tied, so each resample is one draw of those three counts
    from a multinomial: the same distribution as resampling indices, in O(resamples) memory.
    """
    a = _binary(first, "first")
    b = _binary(second, "second")
    if a.shape != b.shape:
        raise ValueError(f"paired outcomes need equal lengths, got {a.size} and {b.size}")
    n = int(a.size)
    if n == 0:
        return PairedDifference(
            n=0, diff=None, lo=None, hi=None, confidence=confidence, resamples=resamples, seed=seed
        )
    d = b.astype(np.int64) - a.astype(np.int64)
    up, down = int(np.sum(d == 1)), int(np.sum(d == -1))
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, [up / n, down / n, (n - up - down) / n], size=resamples)
    diffs = (counts[:, 0] - counts[:, 1]) / n
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(diffs, [tail, 1.0 - tail])
    return PairedDifference(
        n=n,
        diff=(up - down) / n,
        lo=float(lo),
        hi=float(hi),
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )


def _binary(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d array of 0/1 outcomes")
    if arr.size and not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"{name}: outcomes must be 0/1 or booleans")
    return arr.astype(bool)
