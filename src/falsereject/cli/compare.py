"""`falsereject compare`: a leaderboard of finished runs, and paired tests against the first.

    falsereject compare runs/llama runs/qwen
    falsereject compare runs/* --format markdown --out leaderboard.md
    falsereject compare runs/a runs/b --format json --seed 1 --resamples 20000
    falsereject compare runs/* --plots leaderboard/      # cross-run scatter and trade-off PNGs

The work happens in `falsereject.bench.compare.compare_runs`; this module only prints it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from falsereject.errors import FalseRejectError

if TYPE_CHECKING:
    from rich.console import Console

    from falsereject.bench.compare import Comparison

FORMATS = ("table", "markdown", "json")


def register(app: typer.Typer) -> None:
    @app.command("compare")
    def compare(
        runs: list[Path] = typer.Argument(..., help="Run folders; later ones pair with the first."),
        fmt: str = typer.Option("table", "--format", help="table, markdown or json."),
        out: Path | None = typer.Option(None, "--out", help="Also write the output to FILE."),
        seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling."),
        resamples: int = typer.Option(10_000, "--resamples", help="Bootstrap resamples."),
        plots: Path | None = typer.Option(
            None, "--plots", help="Also draw the cross-run scatter and trade-off PNGs into DIR."
        ),
    ) -> None:
        """Rank runs by benign Compliance Rate and test paired differences against the first."""
        from rich.console import Console
        from rich.markup import escape

        from falsereject.atomic import write_text
        from falsereject.bench.compare import compare_runs, to_markdown, write_comparison_plots

        if fmt not in FORMATS:
            raise FalseRejectError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if resamples < 1:
            raise FalseRejectError(f"--resamples must be at least 1, got {resamples}")
        comparison = compare_runs(runs, seed=seed, resamples=resamples)
        console = Console(record=out is not None and fmt == "table")
        if fmt == "table":
            _print_tables(console, comparison)
            text = console.export_text() if out is not None else ""
        else:
            text = to_markdown(comparison) if fmt == "markdown" else _json(comparison)
            typer.echo(text, nl=False)  # plain stdout, so it pipes into files and jq unchanged
        if out is not None:
            write_text(out, text)
            Console(stderr=True).print(f"[dim]wrote {escape(str(out))}[/]")
        if plots is not None:
            for path in write_comparison_plots(runs, plots):
                Console(stderr=True).print(f"[dim]wrote {escape(str(path))}[/]")


def _json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2) + "\n"


def _print_tables(console: Console, comparison: Comparison) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from falsereject.bench import compare as c

    board = Table(title="Leaderboard (best benign Compliance Rate first)", title_justify="left")
    for column in c.LEADERBOARD_COLUMNS:
        board.add_column(column, overflow="fold")
    for row in comparison.leaderboard:
        board.add_row(*map(Text, c.leaderboard_cells(row)))
    console.print(board)
    for pair in comparison.paired:
        if not pair.tests:
            console.print(
                f"{escape(c.paired_heading(pair))}: no prompts in common, nothing to pair."
            )
            continue
        table = Table(title=c.paired_heading(pair), title_justify="left")
        for column in c.PAIRED_COLUMNS:
            table.add_column(column, overflow="fold")
        for test in pair.tests:
            table.add_row(*map(Text, c.paired_cells(test)))
        console.print(table)
    if comparison.paired:
        console.print(
            f"[dim]Changes are second run minus first; {comparison.resamples:,} paired bootstrap "
            f"resamples (seed {comparison.seed}); McNemar is exact and two-sided.[/]"
        )
