"""Run a benchmark: answer prompts with the model under test, judge the answers, score them.

    falsereject bench                                   # demo set, embedded model and judge

    from falsereject.bench import BenchConfig, run_benchmark
    result = run_benchmark(BenchConfig(datasets=["xstest"], data_path={"xstest": "x.csv"}))
    print(result.metrics.overall["benign"].compliance_rate)

A run loads and selects the prompts, writes `config.json`, has the model answer every prompt,
has the judge grade every answer (answers whose model call failed get the verdict `error`
without a judge call; the judge never sees reasoning text), then writes `samples.jsonl`,
`metrics.json` and the reports, in that order. Every model and judge call goes through the
call cache, so a run killed midway and started again with the same config re-pays only the
calls that were in flight, and ends with the same samples. Re-scoring a finished run with
another judge lives in `rejudge.py`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from falsereject.atomic import write_json
from falsereject.bench.config import (
    BenchConfig,
    changed_fields,
    check_self_judge,
)
from falsereject.bench.metrics import compute_metrics
from falsereject.bench.progress import RunProgress
from falsereject.bench.rundir import (
    CONFIG,
    METRICS,
    REPORT_HTML,
    REPORT_MD,
    SAMPLES,
    write_metrics,
    write_samples,
)
from falsereject.bench.types import RunMetrics, SampleRecord
from falsereject.datasets.record import PromptRecord
from falsereject.errors import FalseRejectError
from falsereject.judge.types import Judge, JudgeInput, Judgment
from falsereject.models import ChatResult, Model, run_sync


@dataclass
class RunResult:
    """A finished run: its folder, samples and metrics."""

    path: Path
    metrics: RunMetrics
    samples: list[SampleRecord]
    config: dict[str, Any]

    @property
    def report_md(self) -> Path:
        """The Markdown report."""
        return self.path / REPORT_MD

    @property
    def report_html(self) -> Path:
        """The self-contained HTML report."""
        return self.path / REPORT_HTML


def load_prompts(config: BenchConfig) -> list[PromptRecord]:
    """Every selected prompt of every dataset, in the config's dataset order.

    `limit`, `categories` and `seed` apply to each dataset on its own.
    """
    from falsereject.datasets import load_datasets, select

    loaded = load_datasets(
        config.datasets,
        data_paths=config.data_path,
        prompt_column=config.prompt_column,
        category_column=config.category_column,
        label_column=config.label_column,
        label=config.label,
        id_column=config.id_column,
    )
    prompts: list[PromptRecord] = []
    for spec, records in loaded.items():
        chosen = select(records, limit=config.limit, categories=config.categories, seed=config.seed)
        if not chosen:
            raise FalseRejectError(
                f"dataset {spec}: no prompts left after --categories "
                f"{','.join(config.categories or [])}"
            )
        prompts += chosen
    return prompts


def prepare_folder(folder: Path, config: dict[str, Any], *, overwrite: bool = False) -> None:
    """Make `folder` ready for a run with `config`, never replacing another run silently.

    A folder holding a run with the same config (runtime fields aside) is resumed, and so is
    one whose run was killed before it wrote any samples; one with a finished run of another
    config, or with other files, needs `overwrite`. The old `metrics.json` is removed first,
    so until the new one is written nothing claims the samples are complete.
    """
    saved = folder / CONFIG
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        if not saved.is_file():
            raise FalseRejectError(
                f"{folder} exists and is not a run folder; choose another --out or pass --overwrite"
            )
        changed = changed_fields(json.loads(saved.read_text(encoding="utf-8")), config)
        if changed and (folder / SAMPLES).is_file():
            raise FalseRejectError(
                f"{folder} holds a run with another config ({', '.join(changed)} differ); "
                "choose another --out or pass --overwrite"
            )
    if overwrite and folder.exists() and not saved.is_file():
        shutil.rmtree(folder)  # not one of our runs, and the user asked to replace it
    folder.mkdir(parents=True, exist_ok=True)
    (folder / METRICS).unlink(missing_ok=True)
    if overwrite:
        # the old samples belong to the old config: never leave them beside the new one
        (folder / SAMPLES).unlink(missing_ok=True)


def run_benchmark(
    config: BenchConfig, *, progress: bool = True, console: Console | None = None
) -> RunResult:
    """Run `config` end to end and write its run folder; see the module docstring."""
    from falsereject.judge import get_judge
    from falsereject.models import RetryPolicy, get_model

    console = console or Console(stderr=True)
    retry = RetryPolicy(max_attempts=config.max_retries + 1)
    allowed_self = check_self_judge(
        config.model,
        config.base_url,
        config.judge,
        config.judge_base_url,
        allow=config.allow_self_judge,
    )
    prompts = load_prompts(config)
    # judge and model are built before the folder is touched, so a bad name leaves no trace
    judge = get_judge(
        config.judge_spec(),
        base_url=config.judge_base_url,
        cache=config.cache,
        cache_dir=config.cache_dir,
        max_connections=config.judge_max_connections,
        timeout=config.timeout,
        retry=retry,
        max_error_rate=config.max_error_rate,
    )
    model = get_model(
        config.model,
        base_url=config.base_url,
        config=config.generate,
        max_connections=config.max_connections,
        cache=config.cache,
        cache_dir=config.cache_dir,
        max_error_rate=config.max_error_rate,
        timeout=config.timeout,
        retry=retry,
    )
    folder = config.out_dir()
    resolved = config.resolved()
    prepare_folder(folder, resolved, overwrite=config.overwrite)
    write_json(folder / CONFIG, resolved)
    with RunProgress(enabled=progress, console=console) as bars:
        bars.log(f"model: [bold]{escape(model.name)}[/] ({len(prompts)} prompts)")
        bars.log(f"judge: [bold]{escape(judge.name)}[/]")
        bars.log(f"run folder: {escape(str(folder))}")
        if allowed_self:
            bars.log("[yellow]warning:[/] the model under test is judging its own answers")
        results = run_sync(_answer_and_judge(model, judge, prompts, bars))
    answers, judgments = results
    samples = [
        to_sample(p, model.name, r, j) for p, r, j in zip(prompts, answers, judgments, strict=True)
    ]
    usage = {"model": {**model.usage.to_dict(), "retries": model.retries}}
    usage["judge"] = judge_usage(judge, samples)
    metrics = compute_metrics(samples, model=model.name, judge=judge.name, usage=usage)
    return finish_run(folder, samples, metrics, resolved)


async def _answer_and_judge(
    model: Model, judge: Judge, prompts: list[PromptRecord], bars: RunProgress
) -> tuple[list[ChatResult], list[Judgment | None]]:
    try:
        step = bars.phase("answering", len(prompts), tokens=lambda: model.usage.completion_tokens)
        answers = await model.generate([p.prompt for p in prompts], progress=step)
        pairs = [
            (p.prompt, a.text) if a.ok else None for p, a in zip(prompts, answers, strict=True)
        ]
        judgments = await judge_answers(judge, pairs, bars)
    finally:
        await model.aclose()
        close = getattr(judge, "aclose", None)
        if close is not None:
            await close()
    return answers, judgments


async def judge_answers(
    judge: Judge, pairs: list[tuple[str, str] | None], bars: RunProgress
) -> list[Judgment | None]:
    """Judge each (prompt, answer) pair; None pairs (failed model calls) stay None."""
    todo = [(i, pair) for i, pair in enumerate(pairs) if pair is not None]
    step = bars.phase("judging", len(todo), tokens=lambda: _judge_tokens(judge))
    items = [JudgeInput(prompt=prompt, response=answer) for _, (prompt, answer) in todo]
    found = await judge.judge(items, progress=step) if items else []
    out: list[Judgment | None] = [None] * len(pairs)
    for (i, _), judgment in zip(todo, found, strict=True):
        out[i] = judgment
    return out


def to_sample(
    prompt: PromptRecord, model: str, answer: ChatResult, judgment: Judgment | None
) -> SampleRecord:
    """One sample record; a failed model call gets the verdict `error`."""
    return SampleRecord(
        id=prompt.id,
        dataset=prompt.source,
        prompt=prompt.prompt,
        category=prompt.category,
        category_text=prompt.category_text,
        label=prompt.label,
        model=model,
        response=answer.text,
        reasoning=answer.reasoning,
        finish_reason=answer.finish_reason,
        error=answer.error,
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        latency_s=answer.latency_s,
        metadata=prompt.metadata,
        **verdict_fields(judgment),
    )


def verdict_fields(judgment: Judgment | None) -> dict[str, Any]:
    """The SampleRecord fields a judgment sets (all of them, so a re-score replaces each)."""
    if judgment is None:
        return {
            "verdict": "error",
            "rationale": None,
            "confidence": None,
            "judge": None,
            "judge_votes": None,
        }
    return {
        "verdict": judgment.verdict,
        "rationale": judgment.rationale,
        "confidence": judgment.confidence,
        "judge": judgment.judge,
        "judge_votes": getattr(judgment, "votes", None),
    }


def _judge_models(judge: Judge) -> list[Model]:
    """The chat models behind a judge (LLM judges, and LLM members of an ensemble)."""
    model = getattr(judge, "model", None)
    found = [model] if isinstance(model, Model) else []
    for member in getattr(judge, "members", []):
        found += _judge_models(member)
    return found


def _judge_tokens(judge: Judge) -> int:
    return sum(m.usage.completion_tokens for m in _judge_models(judge))


def judge_usage(judge: Judge, samples: list[SampleRecord]) -> dict[str, Any]:
    """Calls, tokens and cost of the judge (zero tokens for offline judges).

    For an ensemble, `members` holds each LLM member's usage and `pairwise_agreement` the
    members' percent agreement and Cohen's kappa over this run's samples.
    """
    models = _judge_models(judge)
    per_model = [m.usage.to_dict() for m in models]
    costs = [u["cost_usd"] for u in per_model]
    judged = [s for s in samples if s.judge is not None]
    usage: dict[str, Any] = {
        "model": judge.name,
        "requests": sum(u["requests"] for u in per_model) if models else len(judged),
        "cached": sum(u["cached"] for u in per_model),
        "errors": sum(u["errors"] for u in per_model),
        "prompt_tokens": sum(u["prompt_tokens"] for u in per_model),
        "completion_tokens": sum(u["completion_tokens"] for u in per_model),
        "cost_usd": None if any(c is None for c in costs) else float(sum(costs)),
    }
    if len(models) > 1 or hasattr(judge, "members"):
        usage["members"] = {u["model"]: u for u in per_model}
    votes = [s.judge_votes for s in samples if s.judge_votes]
    if votes:
        from falsereject.judge.ensemble import pairwise_agreement

        usage["pairwise_agreement"] = [p.model_dump() for p in pairwise_agreement(votes)]
    return usage


def finish_run(
    folder: Path, samples: list[SampleRecord], metrics: RunMetrics, config: dict[str, Any]
) -> RunResult:
    """Samples, then metrics (its presence marks the samples complete), then reports."""
    from falsereject.bench.report import write_reports

    write_samples(folder, samples)
    write_metrics(folder, metrics)
    write_reports(folder, metrics, samples, config)
    return RunResult(path=folder, metrics=metrics, samples=samples, config=config)
