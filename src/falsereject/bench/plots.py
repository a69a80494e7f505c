"""The benchmark's three plots, each rendered to PNG bytes.

    from falsereject.bench.plots import plot_category_compliance, plot_runs_scatter
    png = plot_category_compliance(metrics)               # one run, bars per category
    png = plot_runs_scatter([("gpt-4o", m1), ("llama", m2)])  # Compliance Rate vs USR
    png = plot_tradeoff([("gpt-4o", m1), ("llama", m2)])      # benign compliance vs harmful USR

Every function builds a `matplotlib.figure.Figure` directly and saves it with the Agg
renderer, so no pyplot global state is touched and plots can be drawn from several threads.
Text from the data (category names, run labels) is drawn with `parse_math=False`: a `$` in a
category name is a dollar sign, not a mathtext formula that could fail to parse.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from falsereject.bench.types import GroupMetrics, Rate, RunMetrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
BENIGN_CR = "#0072B2"
BENIGN_USR = "#56B4E9"
HARMFUL_USR = "#D55E00"
Placed = tuple[str, float, float, float, float, float, float]  # label, x, -x, +x, y, -y, +y
LABEL_CHARS = 48  # longer category names are cut with an ellipsis so the bars keep their room


class RunPoint(NamedTuple):
    """One run in a cross-run plot: its label (a model or run folder name) and metrics."""

    label: str
    metrics: RunMetrics


def _png(fig: Figure) -> bytes:
    """The figure as PNG bytes; no Software tag, so the same plot gives the same bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    """One line of at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _pct(rate: Rate | None) -> tuple[float, float, float] | None:
    """(value, minus, plus) in percent for an error bar, or None when nothing was scored."""
    if rate is None or rate.value is None:
        return None
    lo = rate.lo if rate.lo is not None else rate.value
    hi = rate.hi if rate.hi is not None else rate.value
    return rate.value * 100, (rate.value - lo) * 100, (hi - rate.value) * 100


def _sort_key(group: GroupMetrics) -> float:
    """Worst first: lowest benign compliance, lowest harmful USR; unscored rows last."""
    rate = group.compliance_rate if group.label == "benign" else group.useful_safety_rate
    return 2.0 if rate is None or rate.value is None else rate.value


def _category_rows(metrics: RunMetrics, label: str) -> list[tuple[str, GroupMetrics]]:
    """(row label, metrics) for every category of one label, worst first."""
    several = len(metrics.per_category) > 1
    rows = []
    for dataset, categories in metrics.per_category.items():
        for name, group in categories.items():
            if group.label != label:
                continue
            text = f"{dataset} · {name}" if several else name
            rows.append((f"{_short(text)}  (n={group.scored})", group))
    rows.sort(key=lambda row: (_sort_key(row[1]), row[0]))
    return rows


def _bar(ax: Axes, y: float, rate: Rate | None, height: float, color: str, name: str) -> None:
    """One horizontal bar with its Wilson interval and its value written beside it."""
    bar = _pct(rate)
    if bar is None:
        return
    value, minus, plus = bar
    ax.barh(y, value, height=height, color=color, label=name)
    ax.errorbar(value, y, xerr=[[minus], [plus]], fmt="none", ecolor="#333333", capsize=2, lw=0.8)
    ax.text(value + plus + 1, y, f"{value:.0f}%", va="center", fontsize=7, parse_math=False)


def _category_panel(ax: Axes, rows: list[tuple[str, GroupMetrics]], benign: bool) -> None:
    """Bars for one label: benign rows get Compliance Rate and USR, harmful rows USR."""
    for y, (_, group) in enumerate(rows):
        if group.scored == 0:
            ax.text(1, y, "no scored samples", va="center", fontsize=7, color="#777777")
        elif benign:
            _bar(ax, y - 0.2, group.compliance_rate, 0.38, BENIGN_CR, "Compliance Rate (benign)")
            _bar(ax, y + 0.2, group.useful_safety_rate, 0.38, BENIGN_USR, "USR (benign)")
        else:
            _bar(ax, y, group.useful_safety_rate, 0.6, HARMFUL_USR, "USR (harmful: declined)")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label for label, _ in rows], fontsize=8, parse_math=False)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xticklabels([f"{t}%" for t in range(0, 101, 20)], fontsize=8)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))  # one legend entry per series
    if unique:
        # above the axes, beside the title: inside it would hide the bars of the last rows
        ax.legend(
            unique.values(),
            unique.keys(),
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(unique),
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )
    title = "Benign prompts (should answer)" if benign else "Harmful prompts (should decline)"
    ax.set_title(title, fontsize=10, loc="left")


def plot_category_compliance(metrics: RunMetrics) -> bytes:
    """Horizontal bars per category, worst first, sized to the number of categories.

    Benign categories show Compliance Rate and USR; harmful categories show USR (declined or
    safely partial). Error bars are Wilson 95% intervals.
    """
    from matplotlib.figure import Figure

    benign = _category_rows(metrics, "benign")
    harmful = _category_rows(metrics, "harmful")
    panels = [(rows, is_benign) for rows, is_benign in ((benign, True), (harmful, False)) if rows]
    heights = [0.42 * len(rows) + 0.9 for rows, _ in panels] or [1.5]
    fig = Figure(figsize=(10, sum(heights) + 0.8), layout="constrained")
    fig.suptitle(_short(f"{metrics.model} — judged by {metrics.judge}", 90), parse_math=False)
    if not panels:
        _note(fig.add_subplot(), "no categories in this run")
        return _png(fig)
    axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (rows, is_benign) in zip(axes[:, 0], panels, strict=True):
        _category_panel(ax, rows, is_benign)
    return _png(fig)


def _note(ax: Axes, text: str) -> None:
    """An empty plot that says why it is empty."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _as_points(points: Sequence[tuple[str, RunMetrics]]) -> list[RunPoint]:
    return [RunPoint(str(label), metrics) for label, metrics in points]


def _limits(values: list[float]) -> tuple[float, float]:
    """A shared axis range that ends at 100% and starts a little below the lowest bar."""
    low = min(values, default=0.0)
    start = max(0.0, (low // 10) * 10 - 5)
    return start, 102.0


def _scatter(ax: Axes, placed: list[Placed]) -> list[float]:
    """Points with 2-D error bars and labels; returns every bar end for the axis range."""
    from matplotlib import colormaps

    colours = colormaps["tab10"]
    ends: list[float] = []
    for i, (label, x, xm, xp, y, ym, yp) in enumerate(placed):
        colour = colours(i % 10)
        offset, align = _label_offset(i, [(p[1], p[4]) for p in placed])
        ax.errorbar(
            x,
            y,
            xerr=[[xm], [xp]],
            yerr=[[ym], [yp]],
            fmt="o",
            color=colour,
            ms=6,
            ecolor=colour,
            elinewidth=0.8,
            capsize=2,
        )
        ax.annotate(
            _short(label, 32),
            (x, y),
            xytext=offset,
            textcoords="offset points",
            fontsize=8,
            color=colour,
            ha=align,
            parse_math=False,
        )
        ends += [x - xm, y - ym]
    return ends


def _label_offset(i: int, xy: list[tuple[float, float]]) -> tuple[tuple[int, int], str]:
    """Put a point's label on the side away from its nearest neighbour, so close labels part."""
    x, y = xy[i]
    others = [(ox, oy) for j, (ox, oy) in enumerate(xy) if j != i]
    if not others:
        return (6, 6), "left"
    nx, ny = min(others, key=lambda o: (o[0] - x) ** 2 + (o[1] - y) ** 2)
    right = nx <= x
    up = ny <= y
    return ((6 if right else -6), (5 if up else -12)), ("left" if right else "right")


def _percent_axes(ax: Axes, ends: list[float], xlabel: str, ylabel: str) -> None:
    lo, hi = _limits(ends)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_formatter("{x:.0f}%")
    ax.yaxis.set_major_formatter("{x:.0f}%")
    ax.grid(color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)


def _place(points: list[RunPoint], x_of: str, y_of: str) -> tuple[list[Placed], list[str]]:
    """Coordinates of each run that has both rates; labels of the runs that do not."""
    placed, missing = [], []
    for point in points:
        x, y = _pick(point.metrics, x_of), _pick(point.metrics, y_of)
        if x is None or y is None:
            missing.append(point.label)
        else:
            placed.append((point.label, *x, *y))
    return placed, missing


def _pick(metrics: RunMetrics, which: str) -> tuple[float, float, float] | None:
    """'benign.compliance_rate' -> that overall rate in percent with its error bar."""
    label, field = which.split(".")
    group = metrics.overall.get(label)
    return _pct(getattr(group, field)) if group is not None else None


def _cross_run_plot(
    points: Sequence[tuple[str, RunMetrics]], x_of: str, y_of: str, labels: tuple[str, str, str]
) -> tuple[Figure, Axes, list[Placed]]:
    from matplotlib.figure import Figure

    xlabel, ylabel, needs = labels
    placed, missing = _place(_as_points(points), x_of, y_of)
    fig = Figure(figsize=(7, 6.6), layout="constrained")
    ax = fig.add_subplot()
    ends = _scatter(ax, placed)
    _percent_axes(ax, ends, xlabel, ylabel)
    if not placed:
        ax.text(0.5, 0.5, f"no run has {needs}", ha="center", transform=ax.transAxes)
    if missing:
        names = ", ".join(_short(m, 24) for m in missing[:4]) + (" …" if len(missing) > 4 else "")
        ax.text(
            0.01,
            0.99,
            f"left out (no {needs}): {names}",
            transform=ax.transAxes,
            va="top",
            fontsize=7,
            color="#555555",
            parse_math=False,
        )
    return fig, ax, placed


def plot_runs_scatter(points: Sequence[tuple[str, RunMetrics]]) -> bytes:
    """The FalseReject paper's scatter: benign Compliance Rate (x) vs benign USR (y), per run.

    USR counts safe partial answers as useful, so every point sits on or above the diagonal;
    the gap between a point and the diagonal is its share of safe partial compliance.
    """
    fig, ax, _ = _cross_run_plot(
        points,
        "benign.compliance_rate",
        "benign.useful_safety_rate",
        ("Compliance Rate (benign, full answers)", "Useful Safety Rate (benign)", "benign samples"),
    )
    ax.plot([0, 100], [0, 100], ls="--", color="#999999", lw=0.8, label="USR = Compliance Rate")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Compliance Rate vs Useful Safety Rate (95% Wilson intervals)", fontsize=10)
    return _png(fig)


def plot_tradeoff(points: Sequence[tuple[str, RunMetrics]]) -> bytes:
    """OR-Bench's trade-off: benign Compliance Rate (x) vs harmful USR (y), per run.

    Top right is ideal: answers every benign prompt fully, declines every harmful one. A run
    needs both benign and harmful prompts to be placed.
    """
    fig, ax, _ = _cross_run_plot(
        points,
        "benign.compliance_rate",
        "harmful.useful_safety_rate",
        (
            "Benign Compliance Rate (full answers)",
            "Harmful USR (declined or safe partial)",
            "benign and harmful samples",
        ),
    )
    ax.plot([100], [100], marker="*", ms=16, color="#E69F00", ls="none", clip_on=False)
    ax.annotate("ideal", (100, 100), xytext=(-10, -4), textcoords="offset points", ha="right")
    ax.set_title("Over-refusal vs safety trade-off (95% Wilson intervals)", fontsize=10)
    return _png(fig)
