"""Compare finished runs: a leaderboard, and paired tests between runs on the same prompts.

    falsereject compare runs/llama runs/qwen --format markdown --out compare.md

    from falsereject.bench.compare import compare_runs, to_markdown
    print(to_markdown(compare_runs([Path("runs/llama"), Path("runs/qwen")])))

Leaderboard rates come from each run's `metrics.json` (recomputed from `samples.jsonl` when a
run has none), with Wilson 95% intervals. Every run after the first is paired with the first
on the prompts both answered, matched by (dataset, id). Benign and harmful prompts are tested
separately, because a refusal is a failure on one and a success on the other: an exact
McNemar test on refusal flips, and bootstrap intervals on the change in refusal rate and in
compliance rate (second run minus first). Pairs where either verdict is unparseable or an
error are left out and counted.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from pydantic import BaseModel

from falsereject.bench.paired import (
    McNemarResult,
    PairedDifference,
    mcnemar_exact,
    paired_bootstrap,
)
from falsereject.bench.rundir import Run, load_run
from falsereject.bench.types import GroupMetrics, Rate, RunMetrics, SampleRecord
from falsereject.errors import FalseRejectError

SCORED = ("full_compliance", "safe_partial_compliance", "direct_refusal")


class LeaderboardRow(BaseModel):
    """One run's headline numbers; a rate is None when the run has no prompts of that label."""

    run: str
    path: str
    model: str
    judge: str
    datasets: list[str]
    n: int
    benign_n: int
    harmful_n: int
    compliance_rate: Rate | None  # benign: Full / scored
    benign_usr: Rate | None  # benign: (Full + Partial) / scored
    harmful_usr: Rate | None  # harmful: (Refusal + Partial) / scored
    refusal_rate: Rate | None  # benign: Refusal / scored (over-refusal)
    harmful_refusal_rate: Rate | None
    unparseable: int
    errors: int


class PairedTest(BaseModel):
    """Paired results on the matched prompts of one label."""

    label: str
    pairs: int  # matched prompts of this label that both judges scored
    excluded: int  # matched prompts left out: unparseable or error on either side
    mcnemar: McNemarResult  # b: only the first run refused; c: only the second did
    refusal_diff: PairedDifference  # second minus first
    compliance_diff: PairedDifference  # Full Compliance rate, second minus first


class PairedComparison(BaseModel):
    """The second run against the first, on the prompts they share."""

    first: str
    second: str
    matched: int
    only_first: int
    only_second: int
    tests: list[PairedTest]


class Comparison(BaseModel):
    """What `falsereject compare` shows and writes."""

    leaderboard: list[LeaderboardRow]
    paired: list[PairedComparison]
    seed: int
    resamples: int


def compare_runs(paths: list[Path], *, seed: int = 0, resamples: int = 10_000) -> Comparison:
    """Leaderboard of `paths` (best benign Compliance Rate first) and each later run paired
    with the first one."""
    if not paths:
        raise FalseRejectError("compare needs at least one run folder")
    runs = [load_run(p) for p in paths]
    names = _run_names(runs)
    rows = [_row(run, name) for run, name in zip(runs, names, strict=True)]
    rows.sort(key=_rank)
    paired = [
        _pair(runs[0], names[0], run, name, seed=seed, resamples=resamples)
        for run, name in zip(runs[1:], names[1:], strict=True)
    ]
    return Comparison(leaderboard=rows, paired=paired, seed=seed, resamples=resamples)


def write_comparison_plots(paths: list[Path], folder: Path) -> list[Path]:
    """The paper's Compliance Rate vs USR scatter and the OR-Bench-style trade-off of benign
    compliance vs harmful USR, one point per run, as PNGs in `folder` (written atomically)."""
    from falsereject.atomic import write_bytes
    from falsereject.bench.plots import plot_runs_scatter, plot_tradeoff
    from falsereject.bench.report import SCATTER_PLOT, TRADEOFF_PLOT

    runs = [load_run(p) for p in paths]
    points = [(name, run_metrics(run)) for run, name in zip(runs, _run_names(runs), strict=True)]
    written = []
    for name, plot in ((SCATTER_PLOT, plot_runs_scatter), (TRADEOFF_PLOT, plot_tradeoff)):
        write_bytes(folder / name, plot(points))
        written.append(folder / name)
    return written


def _run_names(runs: list[Run]) -> list[str]:
    """Folder names, or the full paths where two folders share a name."""
    counts = Counter(run.name for run in runs)
    return [run.name if counts[run.name] == 1 else str(run.path) for run in runs]


def run_metrics(run: Run) -> RunMetrics:
    """The run's `metrics.json`, or the same metrics recomputed from its samples."""
    if run.metrics is not None:
        return run.metrics
    from falsereject.bench.metrics import compute_metrics

    return compute_metrics(run.samples, model=_most_common(run, "model"), judge=_judge(run))


def _most_common(run: Run, field: str) -> str:
    values = Counter(getattr(s, field) for s in run.samples if getattr(s, field))
    return values.most_common(1)[0][0] if values else "unknown"


def _judge(run: Run) -> str:
    judge = _most_common(run, "judge")
    if judge == "unknown" and run.config.get("judge"):
        configured = run.config["judge"]
        judge = "+".join(configured) if isinstance(configured, list) else str(configured)
    return judge


def _row(run: Run, name: str) -> LeaderboardRow:
    metrics = run_metrics(run)
    benign: GroupMetrics | None = metrics.overall.get("benign")
    harmful: GroupMetrics | None = metrics.overall.get("harmful")
    groups = [g for g in (benign, harmful) if g is not None]
    return LeaderboardRow(
        run=name,
        path=str(run.path),
        model=metrics.model,
        judge=metrics.judge,
        datasets=metrics.datasets,
        n=metrics.n_samples,
        benign_n=benign.n if benign else 0,
        harmful_n=harmful.n if harmful else 0,
        compliance_rate=benign.compliance_rate if benign else None,
        benign_usr=benign.useful_safety_rate if benign else None,
        harmful_usr=harmful.useful_safety_rate if harmful else None,
        refusal_rate=benign.refusal_rate if benign else None,
        harmful_refusal_rate=harmful.refusal_rate if harmful else None,
        unparseable=sum(g.unparseable for g in groups),
        errors=sum(g.errors for g in groups),
    )


def _rank(row: LeaderboardRow) -> tuple[float, float, str]:
    """Highest benign Compliance Rate first, then highest harmful USR; unknown rates last."""

    def value(rate: Rate | None) -> float:
        return rate.value if rate is not None and rate.value is not None else -math.inf

    return (-value(row.compliance_rate), -value(row.harmful_usr), row.run)


def _pair(
    first: Run, first_name: str, second: Run, second_name: str, *, seed: int, resamples: int
) -> PairedComparison:
    a = {(s.dataset, s.id): s for s in first.samples}
    b = {(s.dataset, s.id): s for s in second.samples}
    keys = [key for key in a if key in b]  # the first run's prompt order
    tests = []
    for label in ("benign", "harmful"):
        pairs = [(a[k], b[k]) for k in keys if a[k].label == label]
        if pairs:
            tests.append(_paired_test(label, pairs, seed=seed, resamples=resamples))
    return PairedComparison(
        first=first_name,
        second=second_name,
        matched=len(keys),
        only_first=len(a) - len(keys),
        only_second=len(b) - len(keys),
        tests=tests,
    )


def _paired_test(
    label: str, pairs: list[tuple[SampleRecord, SampleRecord]], *, seed: int, resamples: int
) -> PairedTest:
    scored = [(x, y) for x, y in pairs if x.verdict in SCORED and y.verdict in SCORED]
    refused_a = [x.verdict == "direct_refusal" for x, _ in scored]
    refused_b = [y.verdict == "direct_refusal" for _, y in scored]
    complied_a = [x.verdict == "full_compliance" for x, _ in scored]
    complied_b = [y.verdict == "full_compliance" for _, y in scored]
    only_a = sum(ra and not rb for ra, rb in zip(refused_a, refused_b, strict=True))
    only_b = sum(rb and not ra for ra, rb in zip(refused_a, refused_b, strict=True))
    return PairedTest(
        label=label,
        pairs=len(scored),
        excluded=len(pairs) - len(scored),
        mcnemar=mcnemar_exact(only_a, only_b),
        refusal_diff=paired_bootstrap(refused_a, refused_b, seed=seed, resamples=resamples),
        compliance_diff=paired_bootstrap(complied_a, complied_b, seed=seed, resamples=resamples),
    )


def format_rate(rate: Rate | None) -> str:
    """`72.4% [68.1, 76.3]`, or `-` when there is nothing to rate."""
    if rate is None or rate.value is None:
        return "-"
    return f"{100 * rate.value:.1f}% [{100 * (rate.lo or 0):.1f}, {100 * (rate.hi or 0):.1f}]"


def format_diff(diff: PairedDifference) -> str:
    """`+3.2 pts [+1.0, +5.5]`, or `-` without pairs."""
    if diff.diff is None:
        return "-"
    return f"{100 * diff.diff:+.1f} pts [{100 * (diff.lo or 0):+.1f}, {100 * (diff.hi or 0):+.1f}]"


def format_p(p: float) -> str:
    """p-values to three significant figures, tiny ones as `<1e-300`-style bounds."""
    return "<1e-300" if p < 1e-300 else f"{p:.3g}"


LEADERBOARD_COLUMNS = (
    "run",
    "model",
    "judge",
    "datasets",
    "n",
    "Compliance Rate (benign)",
    "USR (benign)",
    "USR (harmful)",
    "Refusal rate (benign)",
    "Refusal rate (harmful)",
    "unparseable",
    "errors",
)
PAIRED_COLUMNS = (
    "label",
    "pairs",
    "excluded",
    "only first refused",
    "only second refused",
    "McNemar p",
    "refusal rate change",
    "compliance rate change",
)


def leaderboard_cells(row: LeaderboardRow) -> list[str]:
    """A row's cells in `LEADERBOARD_COLUMNS` order, shared by the terminal and Markdown."""
    return [
        row.run,
        row.model,
        row.judge,
        ", ".join(row.datasets),
        str(row.n),
        format_rate(row.compliance_rate),
        format_rate(row.benign_usr),
        format_rate(row.harmful_usr),
        format_rate(row.refusal_rate),
        format_rate(row.harmful_refusal_rate),
        str(row.unparseable),
        str(row.errors),
    ]


def paired_cells(test: PairedTest) -> list[str]:
    """A paired test's cells in `PAIRED_COLUMNS` order."""
    return [
        test.label,
        str(test.pairs),
        str(test.excluded),
        str(test.mcnemar.b),
        str(test.mcnemar.c),
        format_p(test.mcnemar.p_value),
        format_diff(test.refusal_diff),
        format_diff(test.compliance_diff),
    ]


def paired_heading(pair: PairedComparison) -> str:
    """`qwen vs llama: 450 prompts matched (0 only in llama, 12 only in qwen)`."""
    return (
        f"{pair.second} vs {pair.first}: {pair.matched} prompts matched "
        f"({pair.only_first} only in {pair.first}, {pair.only_second} only in {pair.second})"
    )


def to_markdown(comparison: Comparison) -> str:
    """The leaderboard and paired tests as GitHub Markdown tables."""
    lines = [
        "## Leaderboard",
        "",
        *_md_table(LEADERBOARD_COLUMNS, [leaderboard_cells(r) for r in comparison.leaderboard]),
    ]
    for pair in comparison.paired:
        lines += ["", f"## {paired_heading(pair)}", ""]
        if pair.tests:
            lines += _md_table(PAIRED_COLUMNS, [paired_cells(t) for t in pair.tests])
        else:
            lines.append("No prompts in common: nothing to pair.")
    if comparison.paired:
        lines += [
            "",
            f"Changes are second run minus first, with {comparison.resamples:,} paired "
            f"bootstrap resamples (seed {comparison.seed}); McNemar is exact and two-sided.",
        ]
    return "\n".join(lines) + "\n"


def _md_table(header: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    from falsereject.bench.report_md import md_table

    return md_table((list(header), rows)).splitlines()
