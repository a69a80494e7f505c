"""Re-score a finished run with another judge, without calling the model under test again.

    falsereject judge runs/openai-gpt-4o-mini__xstest --judge openai/gpt-4o

    from falsereject.bench import rejudge_run
    result = rejudge_run("runs/openai-gpt-4o-mini__xstest", "strmatch")

The new run folder (default `<run>__judge-<judge>`) holds the same answers, reasoning, tokens
and model errors, with the new verdicts, metrics and reports. Samples whose model call failed
stay `error` and are not sent to the judge.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from falsereject.atomic import write_json
from falsereject.bench.config import check_self_judge, slug
from falsereject.bench.metrics import compute_metrics
from falsereject.bench.progress import RunProgress
from falsereject.bench.run import (
    RunResult,
    finish_run,
    judge_answers,
    judge_usage,
    prepare_folder,
    verdict_fields,
)
from falsereject.bench.rundir import CONFIG, METRICS, load_run
from falsereject.errors import FalseRejectError
from falsereject.judge.types import Judge, Judgment
from falsereject.models import run_sync
from falsereject.models.urls import public_url


def rejudge_run(
    run: str | Path,
    judge: str | list[str],
    *,
    judge_base_url: str | None = None,
    out: str | Path | None = None,
    overwrite: bool = False,
    allow_self_judge: bool = False,
    judge_max_connections: int | None = None,
    timeout: float | None = None,
    max_retries: int = 5,
    cache: bool = True,
    cache_dir: str | None = None,
    progress: bool = True,
    console: Console | None = None,
) -> RunResult:
    """Re-score a finished run's answers with another judge, into a new run folder.

    The model under test is not called: answers, reasoning, tokens and errors are copied.
    The new folder defaults to `<run>__judge-<judge slug>`.
    """
    from falsereject.judge import get_judge
    from falsereject.judge.registry import split_spec
    from falsereject.models import RetryPolicy

    console = console or Console(stderr=True)
    source = load_run(run)
    if source.metrics is None:
        raise FalseRejectError(f"{source.path} is not finished (no {METRICS}); run it to the end")
    specs = split_spec(judge)
    model_name = source.config.get("model") or source.metrics.model
    allowed_self = check_self_judge(
        model_name,
        source.config.get("base_url"),
        specs,
        judge_base_url,
        allow=allow_self_judge,
    )
    folder = (
        Path(out)
        if out is not None
        else source.path.with_name(f"{source.path.name}__judge-{'+'.join(map(slug, specs))}")
    )
    if folder.resolve() == source.path.resolve():
        raise FalseRejectError("the re-scored run needs its own folder; --out names the source")
    config = {
        **source.config,
        "judge": specs,
        "judge_base_url": public_url(judge_base_url),
        "judge_max_connections": judge_max_connections,
        "out": str(folder),
        "rejudged_from": str(source.path),
    }
    built = get_judge(
        specs if len(specs) > 1 else specs[0],
        base_url=judge_base_url,
        cache=cache,
        cache_dir=cache_dir,
        max_connections=judge_max_connections,
        timeout=timeout,
        retry=RetryPolicy(max_attempts=max_retries + 1),
    )
    prepare_folder(folder, config, overwrite=overwrite)
    write_json(folder / CONFIG, config)
    pairs = [None if s.error is not None else (s.prompt, s.response) for s in source.samples]
    with RunProgress(enabled=progress, console=console) as bars:
        bars.log(f"re-scoring {len(pairs)} answers of {escape(str(source.path))}")
        bars.log(f"judge: [bold]{escape(built.name)}[/]")
        bars.log(f"run folder: {escape(str(folder))}")
        if allowed_self:
            bars.log("[yellow]warning:[/] the model under test is judging its own answers")
        judgments = run_sync(_rejudge(built, pairs, bars))
    samples = [
        s.model_copy(update=verdict_fields(j))
        for s, j in zip(source.samples, judgments, strict=True)
    ]
    usage = {
        "model": source.metrics.usage.get("model", {}),
        "judge": judge_usage(built, samples),
    }
    metrics = compute_metrics(samples, model=source.metrics.model, judge=built.name, usage=usage)
    return finish_run(folder, samples, metrics, config)


async def _rejudge(
    judge: Judge, pairs: list[tuple[str, str] | None], bars: RunProgress
) -> list[Judgment | None]:
    try:
        return await judge_answers(judge, pairs, bars)
    finally:
        close = getattr(judge, "aclose", None)
        if close is not None:
            await close()
