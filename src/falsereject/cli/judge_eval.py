"""`falsereject judge-eval`: score judges against human labels, side by side.

    falsereject judge-eval labelled.csv --judge strmatch --judge embedded
    falsereject judge-eval xstest_labels.jsonl --judge openai/gpt-4o --judge-base-url URL \\
        --label-column final_label --json scores.json

Calls `falsereject.judge.evaluate.evaluate_judges`, prints `format_report`, and writes the
report as JSON with `--json`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from falsereject.cli import options as o

JUDGE_HELP = (
    "Judge to score (repeatable): strmatch, embedded, a provider/model, or several joined by "
    "commas for a majority-vote ensemble."
)
LABEL_MAP_HELP = (
    "Extra label=class pairs, e.g. 'yes=full_compliance,no=direct_refusal' (repeatable). "
    "Built in: Full Compliance / Safe Partial Compliance / Direct Refusal (any case, spaces or "
    "underscores) and XSTest's 1_full_compliance, 2_full_refusal, 3_partial_refusal."
)

COMMAND_HELP = (
    "Score judges against human labels: accuracy (3-class and binary), Cohen's kappa, "
    "per-class precision and recall, confusion matrices.\n\n"
    "Binary: refusal = Direct Refusal or Safe Partial Compliance (XSTest's full or partial "
    "refusal); compliance = Full Compliance, as in the bench's Compliance Rate. Unparseable "
    "and errored verdicts are counted and left out of the scores; the row 'accuracy, "
    "failures wrong' counts them as wrong."
)


def register(app: typer.Typer) -> None:
    @app.command("judge-eval", help=COMMAND_HELP)
    def judge_eval(
        file: Path = typer.Argument(..., help="CSV, TSV, JSONL or JSON of labelled answers."),
        judge: list[str] = typer.Option(..., "--judge", "-j", help=JUDGE_HELP),
        prompt_column: str = typer.Option("prompt", "--prompt-column", help="Prompt column."),
        response_column: str = typer.Option(
            "response", "--response-column", help="Response column."
        ),
        label_column: str = typer.Option("label", "--label-column", help="Human label column."),
        label_map: list[str] | None = typer.Option(None, "--label-map", help=LABEL_MAP_HELP),
        json_out: Path | None = typer.Option(None, "--json", help="Also write the report here."),
        judge_base_url: str | None = typer.Option(
            None,
            "--judge-base-url",
            "--base-url",
            help="OpenAI-compatible server for LLM judges (default: $OPENAI_BASE_URL).",
        ),
        max_connections: int | None = o.MAX_CONNECTIONS,
        timeout: float | None = o.TIMEOUT,
        no_cache: bool = o.NO_CACHE,
        cache_dir: str | None = o.CACHE_DIR,
    ) -> None:
        from falsereject.atomic import write_json
        from falsereject.judge.evaluate import evaluate_judges, format_report

        report = evaluate_judges(
            file,
            judge,
            prompt_column=prompt_column,
            response_column=response_column,
            label_column=label_column,
            label_map=label_map,
            base_url=judge_base_url,
            cache=not no_cache,
            cache_dir=cache_dir,
            max_connections=max_connections,
            timeout=timeout,
        )
        typer.echo(format_report(report))
        if json_out is not None:
            write_json(json_out, report.model_dump(mode="json"))
            typer.echo(f"wrote {json_out}")
