"""`BenchConfig`: one schema for `falsereject bench`, the Python API and a YAML/JSON config file.

    falsereject bench --config bench.yaml --limit 50      # flags override the file's values

    from falsereject.bench import BenchConfig, run_benchmark
    run_benchmark(BenchConfig(model="openai/gpt-4o-mini", datasets=["xstest"], judge=["strmatch"]))

A config file holds the same field names as the class below, e.g.

    model: openai/Qwen/Qwen3-8B
    base_url: http://localhost:8000/v1
    datasets: [xstest, oktest]
    data_path: {xstest: data/xstest_prompts.csv, oktest: data/OKTest.csv}
    judge: [openai/gpt-4o]
    generate: {temperature: 0, max_tokens: 512}

The resolved config is saved as `config.json` in the run folder (base URLs without any
user:password part; API keys are never part of it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from falsereject.errors import FalseRejectError, InputError
from falsereject.models.embedded import EMBEDDED_MODEL
from falsereject.models.types import GenerateConfig
from falsereject.models.urls import public_url

DEFAULT_MODEL = EMBEDDED_MODEL
DEFAULT_JUDGE = "embedded"
RUNS_DIR = "runs"

# Fields that change how a run goes but not what it produces: a run folder may be resumed
# with different values for these.
RUNTIME_FIELDS = frozenset(
    {
        "max_connections",
        "judge_max_connections",
        "timeout",
        "max_error_rate",
        "max_retries",
        "cache",
        "cache_dir",
        "out",
        "overwrite",
        "allow_self_judge",
    }
)


class BenchConfig(BaseModel):
    """Everything a benchmark run needs; every field is also a `falsereject bench` flag."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(DEFAULT_MODEL, description="Model under test, as provider/model.")
    base_url: str | None = Field(
        None, description="OpenAI-compatible server of the model (default: $OPENAI_BASE_URL)."
    )
    datasets: list[str] = Field(
        default_factory=lambda: ["demo"],
        min_length=1,
        description="Registry names (demo, falsereject, xstest, ...) or paths to data files.",
    )
    data_path: dict[str, str] = Field(
        default_factory=dict,
        description="Local copy per registry set, {name: file}; a bare FILE when one set is run.",
    )
    prompt_column: str | None = Field(None, description="Custom files: the prompt column.")
    category_column: str | None = Field(None, description="Custom files: the category column.")
    label_column: str | None = Field(
        None, description="Custom files: a column of benign/harmful labels."
    )
    label: Literal["benign", "harmful"] | None = Field(
        None, description="Custom files: one label for every row (default benign)."
    )
    id_column: str | None = Field(None, description="Custom files: the id column.")
    limit: int | None = Field(None, ge=1, description="Most prompts per dataset (subsampled).")
    categories: list[str] | None = Field(
        None, description="Keep only these categories (category or category_text)."
    )
    seed: int | None = Field(None, description="Seed for subsampling with `limit`.")
    generate: GenerateConfig = Field(
        default_factory=GenerateConfig, description="Generation parameters of the model."
    )
    judge: list[str] = Field(
        default_factory=lambda: [DEFAULT_JUDGE],
        min_length=1,
        description="Judge specs: embedded, strmatch, provider/model; several = an ensemble.",
    )
    judge_base_url: str | None = Field(
        None, description="OpenAI-compatible server of an LLM judge (default: $OPENAI_BASE_URL)."
    )
    max_connections: int | None = Field(
        None, ge=1, description="Concurrent requests to the model (default: the provider's)."
    )
    judge_max_connections: int | None = Field(
        None, ge=1, description="Concurrent requests to an LLM judge."
    )
    timeout: float | None = Field(None, gt=0, description="Seconds before a request is dropped.")
    max_error_rate: float = Field(
        0.2, ge=0, le=1, description="Stop when more than this share of model calls fail."
    )
    max_retries: int = Field(
        5, ge=0, description="Retries of a failed API call (429, 5xx, timeouts) before it errors."
    )
    cache: bool = Field(True, description="Read and write the call cache (resume needs it).")
    cache_dir: str | None = Field(None, description="Call cache folder.")
    out: str | None = Field(
        None, description="Run folder (default: runs/<model>__<datasets>, stable for resume)."
    )
    overwrite: bool = Field(
        False, description="Replace a run folder that holds a run with another config."
    )
    allow_self_judge: bool = Field(
        False, description="Let the model under test judge its own answers."
    )

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("datasets", "judge", "categories"):
            value = data.get(key)
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                data[key] = [part for item in value for part in _split_commas(str(item))]
        datasets = data.get("datasets") or ["demo"]
        if isinstance(datasets, list) and "data_path" in data:
            data["data_path"] = parse_data_paths(data["data_path"], [str(d) for d in datasets])
        return data

    def out_dir(self) -> Path:
        """The run folder: `out`, else `runs/<model slug>__<dataset slugs>`."""
        if self.out:
            return Path(self.out)
        sets = "+".join(slug(Path(d).stem if _is_file(d) else d) for d in self.datasets)
        return Path(RUNS_DIR) / f"{slug(self.model)}__{sets}"

    def judge_spec(self) -> str | list[str]:
        """What `get_judge` takes: one spec, or the list for an ensemble."""
        return self.judge[0] if len(self.judge) == 1 else list(self.judge)

    def resolved(self) -> dict[str, Any]:
        """The config as saved in `config.json`: JSON-ready, credentials removed from URLs."""
        data = self.model_dump(mode="json")
        data["base_url"] = public_url(self.base_url)
        data["judge_base_url"] = public_url(self.judge_base_url)
        return data


def _split_commas(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _is_file(spec: str) -> bool:
    return Path(spec).suffix.lower() in (".jsonl", ".json", ".csv", ".parquet")


def parse_data_paths(value: Any, datasets: list[str]) -> dict[str, str]:
    """`--data-path` values to {dataset: file}.

    Accepts a mapping, a bare FILE (only when one dataset is run), or a list of `NAME=FILE`
    items (a bare FILE in the list again needs a single dataset).
    """
    if value is None:
        return {}
    if isinstance(value, dict):
        paths = {str(k): str(v) for k, v in value.items()}
    else:
        items = [value] if isinstance(value, (str, os.PathLike)) else list(value)
        paths = {}
        for item in map(str, items):
            name, sep, file = item.partition("=")
            if sep and name in datasets:
                paths[name] = file
            elif len(datasets) == 1:
                paths[datasets[0]] = item
            else:
                raise FalseRejectError(
                    f"--data-path {item!r}: with several datasets write NAME=FILE "
                    f"(datasets: {', '.join(datasets)})"
                )
    unknown = sorted(set(paths) - set(datasets))
    if unknown:
        raise FalseRejectError(
            f"--data-path names {', '.join(unknown)}, which is not among the datasets "
            f"({', '.join(datasets)})"
        )
    return paths


def slug(text: str) -> str:
    """A folder-safe name: `openai/Qwen/Qwen3-8B` -> `openai-Qwen-Qwen3-8B`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "run"


def effective_url(url: str | None) -> str | None:
    """The base URL a provider will use: the given one, else `$OPENAI_BASE_URL`."""
    return public_url(url or os.environ.get("OPENAI_BASE_URL"))


def check_self_judge(
    model: str,
    base_url: str | None,
    judges: list[str],
    judge_base_url: str | None,
    *,
    allow: bool = False,
) -> bool:
    """Refuse a judge that is the model under test (same name and base URL).

    Returns True when such a judge is present and allowed, so the caller can warn about it.
    """
    same = [
        spec
        for spec in judges
        if spec == model and effective_url(judge_base_url) == effective_url(base_url)
    ]
    if same and not allow:
        raise FalseRejectError(
            f"the judge {same[0]} is the model under test (same name and base URL), and a "
            "model grading its own answers is biased; choose another --judge, point "
            "--judge-base-url elsewhere, or pass --allow-self-judge"
        )
    return bool(same)


def load_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The mapping in a YAML or JSON config file, with a clear error for anything else."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise InputError("config file not found", path=file)
    try:
        data = (
            json.loads(file.read_text(encoding="utf-8"))
            if file.suffix.lower() == ".json"
            else yaml.safe_load(file.read_text(encoding="utf-8"))
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"broken JSON ({exc.msg})", path=file, line=exc.lineno) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"broken YAML ({getattr(exc, 'problem', exc)})", path=file, line=line
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("a config file must hold a mapping of field: value", path=file)
    return data


def build_config(
    file: str | os.PathLike[str] | None = None, overrides: dict[str, Any] | None = None
) -> BenchConfig:
    """A `BenchConfig` from a config file's values updated by `overrides` (the CLI flags).

    Nested mappings (`generate`, `generate.extra`) are merged key by key, so `--max-tokens`
    keeps the file's temperature.
    """
    data = load_config_file(file) if file is not None else {}
    merged = _deep_merge(data, overrides or {})
    return validate_config(merged, where=file)


def validate_config(data: dict[str, Any], *, where: object = None) -> BenchConfig:
    """`BenchConfig(**data)` with pydantic's errors turned into one line naming the field."""
    try:
        return BenchConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "config"
        message = f"{field}: {first['msg']}"
        if where is not None:
            raise InputError(message, path=where) from None
        raise FalseRejectError(f"bench config: {message}") from None


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The fields, other than runtime ones, whose values differ between two saved configs."""
    keys = (set(old) | set(new)) - RUNTIME_FIELDS
    return sorted(k for k in keys if old.get(k) != new.get(k))
