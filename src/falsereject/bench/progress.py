"""What a benchmark run shows on the terminal: a progress bar per phase and the closing table.

    with RunProgress(enabled=True) as bars:
        step = bars.phase("answering", total=60, tokens=lambda: model.usage.completion_tokens)
        ...  # call step(cached=False) once per finished request

Each bar shows done/total, ETA, items per second, and the tokens generated so far with their
rate (cached answers cost no tokens and are counted apart). Everything goes to stderr, so the
summary table on stdout stays clean for piping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from falsereject.bench.types import Rate, RunMetrics


class _ThroughputColumn(ProgressColumn):
    """`12.3/s  4,210 tok (350 tok/s)  8 cached`."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        parts = [f"{speed:.1f}/s" if speed else "-/s"]
        tokens = task.fields.get("tokens", 0)
        elapsed = task.elapsed or 0.0
        if tokens:
            rate = f" ({tokens / elapsed:,.0f} tok/s)" if elapsed > 0 else ""
            parts.append(f"{tokens:,} tok{rate}")
        cached = task.fields.get("cached", 0)
        if cached:
            parts.append(f"{cached:,} cached")
        return Text("  ".join(parts), style="cyan")


class RunProgress:
    """Progress bars of one run; a no-op when `enabled` is False."""

    def __init__(self, *, enabled: bool = True, console: Console | None = None) -> None:
        self.enabled = enabled
        self.console = console or Console(stderr=True)
        self._progress: Progress | None = None

    def __enter__(self) -> RunProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]{task.description:<10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TimeElapsedColumn(),
                _ThroughputColumn(),
                console=self.console,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def log(self, message: str) -> None:
        """A line above the bars (markup allowed; pass data through `Text`, never raw)."""
        if self.enabled:
            self.console.print(message, highlight=False)

    def phase(
        self, name: str, total: int, *, tokens: Callable[[], int] | None = None
    ) -> Callable[..., None]:
        """Add a bar; returns the step function to call once per finished item."""
        progress = self._progress
        if progress is None:
            return lambda *_, **__: None
        task = progress.add_task(name, total=total, tokens=0, cached=0)

        def step(item: Any = None) -> None:
            cached = 1 if getattr(item, "cached", False) else 0
            fields = progress.tasks[task].fields
            progress.update(
                task,
                advance=1,
                tokens=tokens() if tokens is not None else 0,
                cached=fields.get("cached", 0) + cached,
            )

        return step


def format_rate(rate: Rate | None) -> str:
    """`72.0% [65.1-78.0]`, or `-` when there is nothing to rate."""
    if rate is None or rate.value is None or math.isnan(rate.value):
        return "-"
    return f"{100 * rate.value:.1f}% [{100 * (rate.lo or 0):.1f}-{100 * (rate.hi or 0):.1f}]"


def summary_table(metrics: RunMetrics) -> Table:
    """Per dataset: benign CR and USR, harmful USR, unparseable and errored samples."""
    table = Table(
        title=Text(f"{metrics.model} judged by {metrics.judge}"),
        title_justify="left",
        show_edge=False,
    )
    for column in ("dataset", "n", "benign CR", "benign USR", "harmful USR", "unparse.", "errors"):
        table.add_column(column, justify="left" if column == "dataset" else "right")
    rows = [(name, groups) for name, groups in metrics.per_dataset.items()]
    if len(rows) > 1:
        rows.append(("overall", metrics.overall))
    for name, groups in rows:
        benign, harmful = groups.get("benign"), groups.get("harmful")
        present = [g for g in (benign, harmful) if g is not None]
        table.add_row(
            Text(name),
            str(sum(g.n for g in present)),
            format_rate(benign.compliance_rate if benign else None),
            format_rate(benign.useful_safety_rate if benign else None),
            format_rate(harmful.useful_safety_rate if harmful else None),
            str(sum(g.unparseable for g in present)),
            str(sum(g.errors for g in present)),
        )
    return table
