"""`falsereject stats`: the FalseReject paper's dataset comparison table, for any sets.

    falsereject stats demo
    falsereject stats falsereject=../shared/data/falsereject/FalseReject_test.json \\
        xstest=../shared/data/xstest/xstest_prompts.csv my_prompts.jsonl --format markdown
    falsereject stats big.csv --sample 1000 --seed 0 --out stats.json --format json

Every flag is a field of `falsereject.stats.StatsConfig`; this module builds one and calls
`compute_stats`.
"""

from __future__ import annotations

import typer

from falsereject.cli import options as o

HELP = "\n\n".join(
    (
        "Compare prompt sets: size, categories, mean length, Self-BLEU, Dist-1/Dist-2, "
        "training/CoT responses, near-duplicates, and optionally the mean rejection rate of "
        "some models.",
        "Each SPEC is a registry name (falsereject, xstest, oktest, coconot-contrast, demo, "
        "...), NAME=FILE for a local copy of a registry set, or a .jsonl/.json/.csv/.parquet "
        "file.",
        "Tokens: nltk's wordpunct_tokenize split (regex \\w+|[^\\w\\s]+), lower-cased.",
        "Self-BLEU (lower = more diverse): each prompt is the hypothesis and all other prompts "
        "of the same set are its references; BLEU-4 with uniform weights, nltk "
        "SmoothingFunction().method1 (epsilon 0.1), brevity penalty from the closest reference "
        "length (ties: the shorter); the set's score is the mean over hypotheses. Exact (equal "
        "to nltk's sentence_bleu) and computed in O(n log n). With --sample N only N hypotheses "
        "are scored; references stay the whole set. A set of one prompt has no Self-BLEU (n/a).",
        "Dist-n (higher = more diverse): distinct n-grams / total n-grams over the whole set.",
        "Near-duplicates: prompt pairs whose sets of 3-token shingles have a Jaccard index of at "
        "least --near-dup-threshold (MinHash-LSH candidates, each verified exactly).",
    )
)


def register(app: typer.Typer) -> None:
    @app.command("stats", help=HELP)
    def stats(
        specs: list[str] | None = typer.Argument(
            None, metavar="SPEC...", help="Sets to compare (or `datasets` in --config)."
        ),
        config_file: str | None = typer.Option(
            None, "--config", help="YAML or JSON file of StatsConfig fields; flags override it."
        ),
        data_path: list[str] | None = typer.Option(
            None,
            "--data-path",
            help="Local copy of a registry set: NAME=FILE (repeatable; FILE alone for one set).",
        ),
        prompt_column: str | None = typer.Option(
            None, "--prompt-column", help="Custom files: the prompt column (default: prompt)."
        ),
        category_column: str | None = typer.Option(
            None, "--category-column", help="Custom files: the category column."
        ),
        sample: int | None = typer.Option(
            None, "--sample", min=1, help="Score N Self-BLEU hypotheses (default: all)."
        ),
        seed: int | None = typer.Option(None, "--seed", help="Seed of the --sample draw (0)."),
        near_dup_threshold: float | None = typer.Option(
            None,
            "--near-dup-threshold",
            help="Report prompt pairs whose shingle Jaccard index reaches this (0.8).",
        ),
        rejection_rate_models: str | None = typer.Option(
            None,
            "--rejection-rate-models",
            help="m1,m2,...: benchmark each model on each set and report the mean refusal "
            "rate on its benign prompts (runs as `bench` does, into runs/).",
        ),
        judge: list[str] | None = typer.Option(
            None, "--judge", "-j", help="Judge of those runs: embedded (default), strmatch, ..."
        ),
        base_url: str | None = o.BASE_URL,
        judge_base_url: str | None = typer.Option(
            None, "--judge-base-url", help="OpenAI-compatible server of an LLM judge."
        ),
        max_tokens: int | None = typer.Option(
            None, "--max-tokens", help="Most tokens per answer in those runs."
        ),
        cache_dir: str | None = o.CACHE_DIR,
        fmt: str = typer.Option("table", "--format", "-f", help="table, markdown, csv or json."),
        out: str | None = typer.Option(None, "--out", "-o", help="Write the table to FILE."),
    ) -> None:
        from falsereject.atomic import write_text
        from falsereject.errors import FalseRejectError
        from falsereject.stats import FORMATS, compute_stats, format_stats
        from falsereject.stats.config import build_stats_config
        from falsereject.stats.table import near_duplicate_lines, rich_table

        if fmt not in FORMATS:
            raise FalseRejectError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
        fields = {
            "datasets": specs or None,
            "data_path": data_path or None,
            "prompt_column": prompt_column,
            "category_column": category_column,
            "sample": sample,
            "seed": seed,
            "near_dup_threshold": near_dup_threshold,
            "rejection_rate_models": rejection_rate_models,
            "judge": judge,
            "base_url": base_url,
            "judge_base_url": judge_base_url,
            "max_tokens": max_tokens,
            "cache_dir": cache_dir,
        }
        given = {k: v for k, v in fields.items() if v is not None}
        if config_file is None and "datasets" not in given:
            raise FalseRejectError("name at least one SPEC (a registry name or a data file)")
        config = build_stats_config(config_file, given)
        rows = compute_stats(config, progress=True)
        if out:
            write_text(out, format_stats(rows, fmt))  # type: ignore[arg-type]
            typer.echo(f"wrote {out}", err=True)
        elif fmt == "table":
            from rich.console import Console

            console = Console()
            console.print(rich_table(rows))
            for line in near_duplicate_lines(rows):
                console.print(line, markup=False, highlight=False)
        else:
            typer.echo(format_stats(rows, fmt), nl=False)  # type: ignore[arg-type]
