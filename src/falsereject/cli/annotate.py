"""`falsereject annotate`: human labels for new test sets, and the judge measured against them.

    falsereject annotate export runs/my-run --out sheets/alice.csv
    falsereject annotate import sheets/alice.csv sheets/bob.csv --run runs/my-run
    falsereject annotate import sheets/*.csv --judge embedded --out adjudicated.csv

`export` writes the blank sheet and `INSTRUCTIONS.md` beside it; `import` reports agreement,
adjudicates by majority and scores the judge. Both call `falsereject.judge.annotate`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from falsereject.cli import options as o

annotate_app = typer.Typer(
    help="Export runs for human labelling, then import the labels and measure agreement.",
    no_args_is_help=True,
)

IMPORT_HELP = (
    "Read filled sheets; report inter-annotator agreement (Cohen's kappa for two annotators, "
    "Fleiss' for more), adjudicate by majority (ties flagged and left out), and score the "
    "judge (the run's stored verdicts, or --judge anew) against the adjudicated labels."
)


@annotate_app.command("export")
def export(
    run: Path = typer.Argument(..., help="Run folder (holds samples.jsonl)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Sheet to write (default: RUN/annotation.csv)."
    ),
    limit: int | None = typer.Option(None, "--limit", help="Label a random subset of this size."),
    seed: int = typer.Option(0, "--seed", help="Seed of the --limit subset."),
) -> None:
    """Write a blank annotation sheet (CSV) and INSTRUCTIONS.md beside it."""
    from falsereject.judge.annotate import INSTRUCTIONS, export_sheet

    path = export_sheet(run, out, limit=limit, seed=seed)
    typer.echo(f"wrote {path} and {path.parent / INSTRUCTIONS}")


@annotate_app.command("import", help=IMPORT_HELP)
def import_(
    sheets: list[Path] = typer.Argument(..., help="Filled sheets, one per annotator."),
    run: Path | None = typer.Option(
        None, "--run", help="Score the run's stored verdicts against the adjudicated labels."
    ),
    judge: str | None = typer.Option(
        None, "--judge", "-j", help="Score this judge anew instead (strmatch, embedded, p/m)."
    ),
    label_map: list[str] | None = typer.Option(
        None, "--label-map", help="Extra label=class pairs, e.g. 'R=direct_refusal'."
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report here."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the adjudicated labels as a CSV for judge-eval."
    ),
    judge_base_url: str | None = typer.Option(
        None, "--judge-base-url", help="Server for an LLM judge (default: $OPENAI_BASE_URL)."
    ),
    no_cache: bool = o.NO_CACHE,
    cache_dir: str | None = o.CACHE_DIR,
) -> None:
    from falsereject.atomic import write_json
    from falsereject.judge.annotate import format_annotation_report, import_sheets

    report = import_sheets(
        sheets,
        run=run,
        judge=judge,
        label_map=label_map,
        base_url=judge_base_url,
        cache=not no_cache,
        cache_dir=cache_dir,
        out=out,
    )
    typer.echo(format_annotation_report(report))
    if out is not None:
        typer.echo(f"wrote {out}")
    if json_out is not None:
        write_json(json_out, report.model_dump(mode="json"))
        typer.echo(f"wrote {json_out}")


def register(app: typer.Typer) -> None:
    app.add_typer(annotate_app, name="annotate")
