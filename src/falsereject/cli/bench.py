"""`falsereject bench`: measure how often a model refuses prompts that only sound dangerous.

    falsereject bench                                    # demo set, embedded model, offline
    falsereject bench --model openai/gpt-4o-mini --dataset xstest --judge openai/gpt-4o
    falsereject bench --dataset xstest --dataset oktest \\
        --data-path xstest=xstest_prompts.csv --data-path oktest=OKTest.csv
    falsereject bench --config bench.yaml --limit 20     # flags override the file

Every flag is a field of `falsereject.bench.BenchConfig`; this module only turns the flags
that were given into overrides and calls `run_benchmark`.
"""

from __future__ import annotations

from typing import Any

import typer

from falsereject.cli import options as o

CONFIG_FILE = typer.Option(
    None, "--config", help="YAML or JSON file of BenchConfig fields; flags override it."
)
DATASET = typer.Option(
    None,
    "--dataset",
    "-d",
    help="Registry name or data file (repeatable, or comma-separated; default: demo).",
)
DATA_PATH = typer.Option(
    None,
    "--data-path",
    help="Local copy of a registry set: FILE with one dataset, else NAME=FILE (repeatable).",
)
JUDGE = typer.Option(
    None,
    "--judge",
    "-j",
    help="embedded (default), strmatch, or provider/model; several make an ensemble.",
)
JUDGE_BASE_URL = typer.Option(
    None, "--judge-base-url", help="OpenAI-compatible server of an LLM judge."
)
OUT = typer.Option(None, "--out", "-o", help="Run folder (default: runs/<model>__<datasets>).")
OVERWRITE = typer.Option(
    False, "--overwrite", help="Replace an existing run folder that holds another run."
)
ALLOW_SELF_JUDGE = typer.Option(
    False, "--allow-self-judge", help="Let the model under test judge its own answers."
)
MAX_RETRIES = typer.Option(
    5, "--max-retries", help="Retries of a failed API call (429, 5xx, timeouts) before it errors."
)
JUDGE_MAX_CONNECTIONS = typer.Option(
    None, "--judge-max-connections", help="Concurrent requests to an LLM judge."
)

# CLI parameter -> BenchConfig field, for the flags that map one to one
_TOP_LEVEL = {
    "model": "model",
    "base_url": "base_url",
    "datasets": "datasets",
    "data_path": "data_path",
    "prompt_column": "prompt_column",
    "category_column": "category_column",
    "label_column": "label_column",
    "label": "label",
    "id_column": "id_column",
    "limit": "limit",
    "categories": "categories",
    "judge": "judge",
    "judge_base_url": "judge_base_url",
    "max_connections": "max_connections",
    "judge_max_connections": "judge_max_connections",
    "timeout": "timeout",
    "max_error_rate": "max_error_rate",
    "max_retries": "max_retries",
    "cache_dir": "cache_dir",
    "out": "out",
    "overwrite": "overwrite",
    "allow_self_judge": "allow_self_judge",
}
_GENERATE = ("temperature", "max_tokens", "top_p", "stop", "system_prompt")


def overrides_from_flags(ctx: typer.Context, values: dict[str, Any]) -> dict[str, Any]:
    """BenchConfig values for the flags the user actually gave (not their defaults)."""
    # compared by name: typer ships its own copy of click, with its own ParameterSource enum
    sources = {name: ctx.get_parameter_source(name) for name in values}
    given = {name for name, src in sources.items() if src is not None and src.name != "DEFAULT"}
    out: dict[str, Any] = {_TOP_LEVEL[n]: values[n] for n in given if n in _TOP_LEVEL}
    generate: dict[str, Any] = {n: values[n] for n in _GENERATE if n in given}
    if "seed" in given:  # one seed for subsampling and for sampling, as the flag says
        out["seed"] = generate["seed"] = values["seed"]
    if "model_args" in given:
        generate["extra"] = o.parse_model_args(values["model_args"])
    if "no_cache" in given:
        out["cache"] = not values["no_cache"]
    if generate:
        out["generate"] = generate
    return out


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench(
        ctx: typer.Context,
        config: str | None = CONFIG_FILE,
        model: str = o.MODEL,
        base_url: str | None = o.BASE_URL,
        datasets: list[str] | None = DATASET,
        data_path: list[str] | None = DATA_PATH,
        prompt_column: str | None = typer.Option(None, help="Custom files: the prompt column."),
        category_column: str | None = typer.Option(None, help="Custom files: category column."),
        label_column: str | None = typer.Option(None, help="Custom files: benign/harmful column."),
        label: str | None = typer.Option(None, help="Custom files: one label for every row."),
        id_column: str | None = typer.Option(None, help="Custom files: the id column."),
        limit: int | None = typer.Option(None, help="Most prompts per dataset (subsampled)."),
        categories: list[str] | None = typer.Option(
            None, help="Only these categories (repeatable, or comma-separated)."
        ),
        judge: list[str] | None = JUDGE,
        judge_base_url: str | None = JUDGE_BASE_URL,
        temperature: float = o.TEMPERATURE,
        max_tokens: int = o.MAX_TOKENS,
        top_p: float | None = o.TOP_P,
        seed: int | None = o.SEED,
        stop: list[str] | None = o.STOP,
        system_prompt: str | None = o.SYSTEM,
        model_args: list[str] | None = o.MODEL_ARGS,
        max_connections: int | None = o.MAX_CONNECTIONS,
        judge_max_connections: int | None = JUDGE_MAX_CONNECTIONS,
        timeout: float | None = o.TIMEOUT,
        max_error_rate: float = o.MAX_ERROR_RATE,
        max_retries: int = MAX_RETRIES,
        no_cache: bool = o.NO_CACHE,
        cache_dir: str | None = o.CACHE_DIR,
        out: str | None = OUT,
        overwrite: bool = OVERWRITE,
        allow_self_judge: bool = ALLOW_SELF_JUDGE,
    ) -> None:
        """Answer every prompt with the model, judge the answers, write metrics and reports."""
        values = {k: v for k, v in locals().items() if k not in ("ctx", "config")}
        from rich.console import Console

        from falsereject.bench.config import build_config
        from falsereject.bench.run import run_benchmark

        bench_config = build_config(config, overrides_from_flags(ctx, values))
        result = run_benchmark(bench_config)
        print_summary(Console(), result)


def print_summary(console: Any, result: Any) -> None:
    """The closing table and where the reports are."""
    from rich.markup import escape

    from falsereject.bench.progress import summary_table

    console.print(summary_table(result.metrics))
    for pair in result.metrics.usage.get("judge", {}).get("pairwise_agreement", []):
        agree, kappa = pair["percent_agreement"], pair["cohen_kappa"]
        console.print(
            f"judges {escape(pair['a'])} and {escape(pair['b'])} agree on "
            + (f"{agree:.0%}" if agree is not None else "-")
            + f" of {pair['n']} answers (Cohen's kappa "
            + (f"{kappa:.2f})" if kappa is not None else "undefined)"),
            highlight=False,
        )
    report = result.report_html if result.report_html.is_file() else result.path
    console.print(f"report: {escape(str(report))}", highlight=False)
