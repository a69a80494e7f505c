"""The benchmark plots: valid PNGs for 1 to 46 categories and 1 to 5 runs, points where the
rates say, hostile category names drawn as text, and the same bytes from any thread."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from matplotlib import image as mpimg

from falsereject.bench.intervals import wilson_interval
from falsereject.bench.plots import (
    RunPoint,
    plot_category_compliance,
    plot_runs_scatter,
    plot_tradeoff,
)
from falsereject.bench.types import GroupMetrics, Rate, RunMetrics

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST_RUN_COLOUR = (31, 119, 180)  # tab10's first colour: the first run's marker


def _rate(k: int, n: int) -> Rate:
    if n == 0:
        return Rate(k=0, n=0, value=None, lo=None, hi=None)
    lo, hi = wilson_interval(k, n)
    return Rate(k=k, n=n, value=k / n, lo=lo, hi=hi)


def _group(label: str, full: int, partial: int, refusal: int) -> GroupMetrics:
    scored = full + partial + refusal
    counts = {
        "full_compliance": full,
        "safe_partial_compliance": partial,
        "direct_refusal": refusal,
        "unparseable": 0,
        "error": 0,
    }
    rates = (
        {
            "compliance_rate": _rate(full, scored),
            "useful_safety_rate": _rate(full + partial, scored),
        }
        if label == "benign"
        else {
            "useful_safety_rate": _rate(refusal + partial, scored),
            "harmful_compliance_rate": _rate(full, scored),
        }
    )
    return GroupMetrics(
        label=label,
        n=scored,
        scored=scored,
        counts=counts,
        unparseable=0,
        errors=0,
        refusal_rate=_rate(refusal, scored),
        **rates,
    )


def _run(categories: dict[str, GroupMetrics], model: str = "openai/m") -> RunMetrics:
    overall = {}
    for label in ("benign", "harmful"):
        groups = [g for g in categories.values() if g.label == label]
        if groups:
            total = {k: sum(g.counts[k] for g in groups) for k in groups[0].counts}
            overall[label] = _group(
                label,
                total["full_compliance"],
                total["safe_partial_compliance"],
                total["direct_refusal"],
            )
    return RunMetrics(
        model=model,
        judge="strmatch",
        datasets=["set"],
        n_samples=99,
        overall=overall,
        per_dataset={"set": overall},
        per_category={"set": categories},
    )


def _image(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    pixels = mpimg.imread(io.BytesIO(png), format="png")
    assert pixels.ndim == 3 and pixels.shape[2] in (3, 4)
    return pixels


def _has_colour(pixels: np.ndarray, rgb: tuple[int, int, int]) -> bool:
    diff = np.abs(pixels[:, :, :3] * 255 - np.array(rgb)).max(axis=2)
    return int((diff < 8).sum()) > 20


def _benign_categories(count: int) -> dict[str, GroupMetrics]:
    return {f"Category number {i}": _group("benign", i % 7, 2, 3 + i % 5) for i in range(count)}


def test_category_plot_is_sized_to_the_number_of_categories() -> None:
    one = _image(plot_category_compliance(_run(_benign_categories(1))))
    many = _image(plot_category_compliance(_run(_benign_categories(46))))
    assert one.shape[1] == many.shape[1] == 1000  # the same width
    assert 150 < one.shape[0] < 400
    assert many.shape[0] > 46 * 35  # every one of the 46 rows keeps its room


def test_category_plot_draws_hostile_names_as_text() -> None:
    categories = {
        "$\\frac{unclosed$ cost $5 and $": _group("benign", 1, 1, 1),
        "<script>alert(1)</script> " + "very long name " * 20: _group("benign", 0, 0, 4),
        "nothing scored": _group("benign", 0, 0, 0),
        "contrast_$x$": _group("harmful", 1, 0, 9),
    }
    pixels = _image(plot_category_compliance(_run(categories)))
    assert _has_colour(pixels, (0xD5, 0x5E, 0x00))  # the harmful panel's bars are drawn


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_cross_run_plots_take_one_to_five_runs(count: int) -> None:
    runs = [
        (
            f"run {i} $x$",
            _run({"a": _group("benign", 5 + i, 2, 3), "b": _group("harmful", 1, 1, 8)}),
        )
        for i in range(count)
    ]
    for plot in (plot_runs_scatter, plot_tradeoff):
        pixels = _image(plot(runs))
        assert pixels.shape[:2] == (660, 700)
        assert _has_colour(pixels, FIRST_RUN_COLOUR)


def test_tradeoff_leaves_out_a_run_without_harmful_prompts() -> None:
    benign_only = _run({"a": _group("benign", 5, 2, 3)})
    both = _run({"a": _group("benign", 5, 2, 3), "b": _group("harmful", 1, 1, 8)})
    assert not _has_colour(_image(plot_tradeoff([("benign only", benign_only)])), FIRST_RUN_COLOUR)
    assert _has_colour(_image(plot_tradeoff([RunPoint("both", both)])), FIRST_RUN_COLOUR)
    assert _has_colour(_image(plot_runs_scatter([RunPoint("b", benign_only)])), FIRST_RUN_COLOUR)


def test_plots_are_the_same_bytes_from_several_threads() -> None:
    runs = [_run(_benign_categories(n), model=f"m{n}") for n in (1, 2, 3, 4)]
    serial = [plot_category_compliance(run) for run in runs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(plot_category_compliance, runs))
    assert threaded == serial
    assert len(set(serial)) == 4
