"""Write a run's reports: `report.md`, a self-contained `report.html` and the PNG plots.

    from falsereject.bench.report import write_reports, rewrite_reports
    write_reports(Path("runs/my-run"), metrics, samples, config)
    rewrite_reports("runs/my-run")      # again, from the files of a finished run folder

The benchmark calls `write_reports` after `metrics.json`; `falsereject judge` calls it after
re-scoring. Every file is written atomically, plots first, so a report never links to a plot
that is not there yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from falsereject.atomic import write_bytes
from falsereject.bench.rundir import REPORT_HTML, REPORT_MD, load_run
from falsereject.bench.types import RunMetrics, SampleRecord
from falsereject.errors import FalseRejectError

CATEGORY_PLOT = "compliance_by_category.png"
SCATTER_PLOT = "compliance_vs_usr.png"
TRADEOFF_PLOT = "tradeoff.png"
PLOT_TITLES = {
    CATEGORY_PLOT: "Compliance per category",
    SCATTER_PLOT: "Compliance Rate vs Useful Safety Rate",
    TRADEOFF_PLOT: "Benign compliance vs harmful USR (trade-off)",
}


def render_plots(metrics: RunMetrics) -> dict[str, bytes]:
    """File name -> PNG bytes for the run's three plots; the run is its own single point."""
    from falsereject.bench.plots import plot_category_compliance, plot_runs_scatter, plot_tradeoff

    point = [(metrics.model, metrics)]
    return {
        CATEGORY_PLOT: plot_category_compliance(metrics),
        SCATTER_PLOT: plot_runs_scatter(point),
        TRADEOFF_PLOT: plot_tradeoff(point),
    }


def _utf8(text: str) -> bytes:
    # a lone surrogate from odd input data must not stop the report from being written
    return text.encode("utf-8", errors="replace")


def write_reports(
    folder: Path, metrics: RunMetrics, samples: list[SampleRecord], config: Mapping[str, Any]
) -> None:
    """Write the PNG plots, `report.md` and `report.html` into `folder`."""
    from falsereject.bench.report_html import render_html
    from falsereject.bench.report_md import render_markdown

    folder = Path(folder)
    plots = render_plots(metrics)
    for name, png in plots.items():
        write_bytes(folder / name, png)
    titles = {PLOT_TITLES[name]: name for name in plots}
    write_bytes(folder / REPORT_MD, _utf8(render_markdown(metrics, samples, config, titles)))
    images = [(PLOT_TITLES[name], png) for name, png in plots.items()]
    write_bytes(folder / REPORT_HTML, _utf8(render_html(metrics, samples, config, images)))


def rewrite_reports(folder: str | Path) -> None:
    """Write the reports of a finished run folder again from its own files."""
    run = load_run(folder)
    if run.metrics is None:
        raise FalseRejectError(f"{run.path} has no metrics.json yet: the run did not finish")
    write_reports(run.path, run.metrics, run.samples, run.config)
