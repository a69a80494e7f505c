"""`falsereject judge RUN`: re-score a finished run's answers with another judge.

    falsereject judge runs/openai-gpt-4o-mini__xstest --judge strmatch
    falsereject judge runs/x --judge openai/gpt-4o --judge-base-url http://localhost:8000/v1
    falsereject judge runs/x --judge embedded,openai/gpt-4o --out runs/x-ensemble

The model under test is not called again. The new run folder (default
`<RUN>__judge-<judge>`) holds the same answers with the new verdicts, metrics and reports;
an existing folder with another run is never replaced without `--overwrite`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from falsereject.cli import options as o
from falsereject.cli.bench import (
    ALLOW_SELF_JUDGE,
    JUDGE_BASE_URL,
    JUDGE_MAX_CONNECTIONS,
    MAX_RETRIES,
    OVERWRITE,
    print_summary,
)


def register(app: typer.Typer) -> None:
    @app.command("judge")
    def judge(
        run: Path = typer.Argument(..., help="A finished run folder (from falsereject bench)."),
        judge: list[str] = typer.Option(
            ...,
            "--judge",
            "-j",
            help="embedded, strmatch, or provider/model; several make an ensemble.",
        ),
        judge_base_url: str | None = JUDGE_BASE_URL,
        out: str | None = typer.Option(
            None, "--out", "-o", help="New run folder (default: RUN__judge-<judge>)."
        ),
        judge_max_connections: int | None = JUDGE_MAX_CONNECTIONS,
        timeout: float | None = o.TIMEOUT,
        max_retries: int = MAX_RETRIES,
        no_cache: bool = o.NO_CACHE,
        cache_dir: str | None = o.CACHE_DIR,
        overwrite: bool = OVERWRITE,
        allow_self_judge: bool = ALLOW_SELF_JUDGE,
    ) -> None:
        """Re-score a finished run with another judge, into a new run folder."""
        from rich.console import Console

        from falsereject.bench.rejudge import rejudge_run

        result = rejudge_run(
            run,
            judge,
            judge_base_url=judge_base_url,
            out=out,
            overwrite=overwrite,
            allow_self_judge=allow_self_judge,
            judge_max_connections=judge_max_connections,
            timeout=timeout,
            max_retries=max_retries,
            cache=not no_cache,
            cache_dir=cache_dir,
        )
        print_summary(Console(), result)
