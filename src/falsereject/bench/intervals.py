"""Wilson score intervals for a rate of k successes in n trials.

    from falsereject.bench.intervals import wilson_interval
    wilson_interval(37, 50)          # (0.6045..., 0.8413...)

The Wilson interval stays inside [0, 1] and keeps sensible coverage for small n and for rates
near 0 or 1, which is where over-refusal numbers live (a good model refuses 2 of 300 prompts).
With n == 0 there is no rate, so both ends are NaN rather than an invented (0, 1).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal: a two-sided 95% interval


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (lo, hi) for k of n; (nan, nan) when n == 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # k == 0 and k == n hit the bounds exactly in theory; pin them so rounding never shows 1e-17
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def wilson_intervals(k: ArrayLike, n: ArrayLike, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `wilson_interval`: arrays (lo, hi) of the broadcast shape, NaN where n == 0."""
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(n_arr < 0) or np.any(k_arr < 0) or np.any(k_arr > n_arr):
        raise ValueError("need 0 <= k <= n elementwise")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        z2 = z * z
        denom = 1.0 + z2 / n_arr
        centre = (p + z2 / (2 * n_arr)) / denom
        half = z * np.sqrt(p * (1 - p) / n_arr + z2 / (4 * n_arr * n_arr)) / denom
        lo = np.where(k_arr == 0, 0.0, np.maximum(0.0, centre - half))
        hi = np.where(k_arr == n_arr, 1.0, np.minimum(1.0, centre + half))
    empty = n_arr == 0
    lo = np.where(empty, np.nan, lo)
    hi = np.where(empty, np.nan, hi)
    return lo, hi
