"""Agreement statistics on hand-computed cases, cross-checked with sklearn when installed."""

from __future__ import annotations

import pytest

from falsereject.judge.agreement import (
    accuracy,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    precision_recall,
)

A = ["x", "x", "y", "y", "x", "y"]
B = ["x", "y", "y", "y", "x", "x"]


def test_cohen_kappa_hand_computed() -> None:
    # observed 4/6, chance 0.5*0.5 + 0.5*0.5 = 0.5 -> (2/3 - 1/2) / (1/2) = 1/3
    assert accuracy(A, B) == pytest.approx(4 / 6)
    assert cohen_kappa(A, B) == pytest.approx(1 / 3)
    # observed 2/3, chance 2/9 + 2/9 -> (6/9 - 4/9) / (5/9) = 0.4
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "b"]) == pytest.approx(0.4)
    assert cohen_kappa(A, A) == pytest.approx(1.0)


def test_kappa_undefined_when_everyone_says_the_same() -> None:
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    assert fleiss_kappa([["x", "x"], ["x", "x"]]) is None
    assert accuracy([], []) is None


def test_fleiss_kappa_hand_computed() -> None:
    # per-item agreement 1, 1/3, 1, 1/3 -> mean 2/3; shares 1/2, 1/2 -> chance 1/2 -> 1/3
    ratings = [["x", "x", "x"], ["x", "x", "y"], ["y", "y", "y"], ["x", "y", "y"]]
    assert fleiss_kappa(ratings) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        fleiss_kappa([["x", "y"], ["x"]])


def test_confusion_and_precision_recall() -> None:
    truth = ["f", "f", "f", "p", "r", "r"]
    pred = ["f", "f", "r", "f", "r", "r"]
    matrix = confusion_matrix(truth, pred, ["f", "p", "r"])
    assert matrix.tolist() == [[2, 0, 1], [1, 0, 0], [0, 0, 2]]
    scores = precision_recall(truth, pred, ["f", "p", "r"])
    assert scores["f"] == {
        "precision": pytest.approx(2 / 3),
        "recall": pytest.approx(2 / 3),
        "support": 3,
    }
    assert scores["p"] == {"precision": None, "recall": 0.0, "support": 1}
    assert scores["r"]["precision"] == pytest.approx(2 / 3)
    assert scores["r"]["recall"] == 1.0


def test_matches_sklearn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    truth = ["f", "f", "f", "p", "r", "r", "p", "f", "r", "p"]
    pred = ["f", "p", "r", "p", "r", "f", "p", "f", "r", "r"]
    assert cohen_kappa(truth, pred) == pytest.approx(metrics.cohen_kappa_score(truth, pred))
    assert confusion_matrix(truth, pred).tolist() == metrics.confusion_matrix(truth, pred).tolist()
