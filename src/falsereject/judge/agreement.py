"""Agreement statistics between label sequences: judges against people, people among people.

    from falsereject.judge.agreement import cohen_kappa, fleiss_kappa
    cohen_kappa(["a", "b", "a"], ["a", "b", "b"])           # 0.4

Labels are plain strings. Every function takes the label set explicitly or infers it from
the data (sorted), so the same code serves three classes, the binary view, or any mapping.
Kappas are None when undefined (chance agreement of 1: every rating is the same label), as
no number would be honest there; sklearn returns nan in the same case.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _labels(*seqs: Sequence[str], labels: Sequence[str] | None) -> list[str]:
    return list(labels) if labels is not None else sorted({x for s in seqs for x in s})


def _check_pair(a: Sequence[str], b: Sequence[str]) -> None:
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} vs {len(b)}")


def accuracy(truth: Sequence[str], pred: Sequence[str]) -> float | None:
    """Share of positions where the two agree (percent agreement); None when empty."""
    _check_pair(truth, pred)
    if not truth:
        return None
    return sum(t == p for t, p in zip(truth, pred, strict=True)) / len(truth)


def confusion_matrix(
    truth: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None
) -> np.ndarray:
    """Counts: rows are `truth` labels, columns `pred` labels, both in `labels` order.

    Pairs with a label outside `labels` are left out.
    """
    _check_pair(truth, pred)
    order = _labels(truth, pred, labels=labels)
    index = {label: i for i, label in enumerate(order)}
    matrix = np.zeros((len(order), len(order)), dtype=int)
    for t, p in zip(truth, pred, strict=True):
        if t in index and p in index:
            matrix[index[t], index[p]] += 1
    return matrix


def cohen_kappa(
    a: Sequence[str], b: Sequence[str], labels: Sequence[str] | None = None
) -> float | None:
    """Cohen's kappa of two raters: (observed - chance) / (1 - chance)."""
    matrix = confusion_matrix(a, b, labels).astype(float)
    n = matrix.sum()
    if n == 0:
        return None
    observed = np.trace(matrix) / n
    chance = float((matrix.sum(axis=1) / n) @ (matrix.sum(axis=0) / n))
    if chance >= 1.0:
        return None
    return float((observed - chance) / (1.0 - chance))


def fleiss_kappa(
    ratings: Sequence[Sequence[str]], labels: Sequence[str] | None = None
) -> float | None:
    """Fleiss' kappa: `ratings[i]` holds every rater's label for item i (same count each)."""
    if not ratings:
        return None
    raters = len(ratings[0])
    if raters < 2 or any(len(r) != raters for r in ratings):
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of ratings per item")
    order = _labels(*ratings, labels=labels)
    index = {label: i for i, label in enumerate(order)}
    counts = np.zeros((len(ratings), len(order)), dtype=float)
    for i, item in enumerate(ratings):
        for label in item:
            counts[i, index[label]] += 1
    per_item = (np.sum(counts * counts, axis=1) - raters) / (raters * (raters - 1))
    observed = per_item.mean()
    shares = counts.sum(axis=0) / counts.sum()
    chance = float(np.sum(shares * shares))
    if chance >= 1.0:
        return None
    return float((observed - chance) / (1.0 - chance))


def precision_recall(
    truth: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None
) -> dict[str, dict[str, float | int | None]]:
    """Per label: precision, recall (None when undefined) and support (count in `truth`)."""
    order = _labels(truth, pred, labels=labels)
    matrix = confusion_matrix(truth, pred, order)
    out: dict[str, dict[str, float | int | None]] = {}
    for i, label in enumerate(order):
        predicted, actual = int(matrix[:, i].sum()), int(matrix[i, :].sum())
        hit = int(matrix[i, i])
        out[label] = {
            "precision": hit / predicted if predicted else None,
            "recall": hit / actual if actual else None,
            "support": actual,
        }
    return out
