"""Judges by name: `strmatch`, `embedded`, any `provider/model`, or several joined by commas.

    from falsereject.judge import get_judge, judge_sync
    judge = get_judge("strmatch,embedded,openai/gpt-4o", base_url="http://localhost:8000/v1")
    judgments = judge_sync(judge, items)

Named judges import their module only when chosen, so asking for `strmatch` never loads the
embedded judge's artefact. An LLM judge gets its own base URL (the bench's `--judge-base-url`;
the OpenAI provider falls back to `$OPENAI_BASE_URL`), so it is never silently the model under
test's server.
"""

from __future__ import annotations

import importlib
from typing import Any

from falsereject.errors import FalseRejectError
from falsereject.judge.types import Judge, JudgeInput, Judgment
from falsereject.models import RetryPolicy, get_model, run_sync
from falsereject.models.types import GenerateConfig

# judge name -> (module, class); imported on first use
NAMED_JUDGES: dict[str, tuple[str, str]] = {
    "strmatch": ("falsereject.judge.strmatch", "StrMatchJudge"),
    "embedded": ("falsereject.judge.embedded", "EmbeddedJudge"),
}


def known_judges() -> str:
    """The options, in the words the error messages and `--help` use."""
    names = ", ".join(NAMED_JUDGES)
    return f"{names}, any provider/model (e.g. openai/gpt-4o), or several joined by commas"


def split_spec(spec: str | list[str]) -> list[str]:
    """`'a,b'` or `['a', 'b,c']` -> `['a', 'b', 'c']`, without empty parts."""
    parts = [spec] if isinstance(spec, str) else list(spec)
    names = [p.strip() for part in parts for p in part.split(",")]
    return [n for n in names if n]


def _named(name: str) -> Judge:
    module_name, class_name = NAMED_JUDGES[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise FalseRejectError(f"the {name} judge is not available in this install") from None
    return getattr(module, class_name)()


def get_judge(
    spec: str | list[str],
    *,
    base_url: str | None = None,
    cache: bool = True,
    cache_dir: str | None = None,
    max_connections: int | None = None,
    timeout: float | None = None,
    config: GenerateConfig | None = None,
    retry: RetryPolicy | None = None,
    max_error_rate: float = 0.2,
) -> Judge:
    """Build a judge from its name(s); several names make an `EnsembleJudge`.

    `base_url`, `cache`, `cache_dir`, `max_connections`, `timeout`, `retry` and
    `max_error_rate` apply to LLM judges (they go to `get_model`); `config` replaces the
    judge's generation settings (default: temperature 0, 512 tokens).
    """
    names = split_spec(spec)
    if not names:
        raise FalseRejectError(f"no judge given; use {known_judges()}")

    def build(name: str) -> Judge:
        if name in NAMED_JUDGES:
            return _named(name)
        if "/" in name:
            from falsereject.judge.llm import JUDGE_CONFIG, LLMJudge

            model = get_model(
                name,
                base_url=base_url,
                config=config or JUDGE_CONFIG,
                max_connections=max_connections,
                cache=cache,
                cache_dir=cache_dir,
                retry=retry,
                max_error_rate=max_error_rate,
                timeout=timeout,
            )
            return LLMJudge(model, config=config)
        raise FalseRejectError(f"unknown judge {name!r}; use {known_judges()}")

    if len(names) == 1:
        return build(names[0])
    from falsereject.judge.ensemble import EnsembleJudge

    return EnsembleJudge([build(n) for n in names])


def judge_sync(judge: Judge, items: list[JudgeInput], **kwargs: Any) -> list[Judgment]:
    """Blocking `judge.judge(items)`, usable in scripts and notebooks."""
    return run_sync(judge.judge(items, **kwargs))
