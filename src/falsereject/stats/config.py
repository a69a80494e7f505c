"""`StatsConfig`: one schema for `falsereject stats`, the Python API and a JSON/YAML config.

    from falsereject.stats import StatsConfig, compute_stats
    compute_stats(StatsConfig(datasets=["xstest", "oktest"],
                              data_path={"xstest": "xstest_prompts.csv", "oktest": "OKTest.csv"}))

Field names follow `BenchConfig`, so a dataset, its local copy and the model list read the same
in `bench` and `stats`. A config file (YAML or JSON) holds the same field names:

    datasets: [falsereject, xstest, my_prompts.jsonl]
    data_path: {falsereject: FalseReject_test.json, xstest: xstest_prompts.csv}
    sample: 1000
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from falsereject.errors import FalseRejectError, InputError

DEFAULT_NEAR_DUP_THRESHOLD = 0.8


class StatsConfig(BaseModel):
    """What `falsereject stats` computes, and for which sets."""

    model_config = ConfigDict(extra="forbid")

    datasets: list[str] = Field(
        min_length=1,
        description="Registry names (falsereject, xstest, ...), NAME=FILE, or data files.",
    )
    data_path: dict[str, str] = Field(
        default_factory=dict,
        description="Local copy per registry set, {name: file}; a bare FILE when one set is given.",
    )
    prompt_column: str | None = Field(None, description="Custom files: the prompt column.")
    category_column: str | None = Field(None, description="Custom files: the category column.")
    sample: int | None = Field(
        None, ge=1, description="Self-BLEU of this many hypotheses (references: the whole set)."
    )
    seed: int = Field(0, description="Seed of the Self-BLEU hypothesis sample.")
    near_dup_threshold: float = Field(
        DEFAULT_NEAR_DUP_THRESHOLD,
        gt=0,
        le=1,
        description="Report prompt pairs whose 3-token-shingle Jaccard index reaches this.",
    )
    rejection_rate_models: list[str] = Field(
        default_factory=list,
        description="Models whose mean refusal rate on each set's benign prompts is reported.",
    )
    judge: list[str] = Field(
        default_factory=lambda: ["embedded"],
        description="Judge of the rejection-rate runs (as in `bench`).",
    )
    base_url: str | None = Field(None, description="Server of the rejection-rate models.")
    judge_base_url: str | None = Field(None, description="Server of an LLM judge.")
    max_tokens: int | None = Field(None, ge=1, description="Most tokens per answer.")
    cache_dir: str | None = Field(None, description="Call cache folder of those runs.")

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        from falsereject.bench.config import parse_data_paths

        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("datasets", "rejection_rate_models", "judge"):
            if isinstance(data.get(key), str):
                data[key] = [part.strip() for part in data[key].split(",") if part.strip()]
        if isinstance(data.get("datasets"), list):
            datasets, inline = split_inline_paths([str(d) for d in data["datasets"]])
            paths = parse_data_paths(data.get("data_path"), datasets)
            twice = sorted(set(paths) & set(inline))
            if twice:
                raise FalseRejectError(f"two local copies given for {', '.join(twice)}")
            data["datasets"], data["data_path"] = datasets, {**paths, **inline}
        return data


def split_inline_paths(specs: list[str]) -> tuple[list[str], dict[str, str]]:
    """`["xstest=x.csv", "demo"]` -> `(["xstest", "demo"], {"xstest": "x.csv"})`.

    Only a registry name before `=` pairs a set with its local copy; anything else stays a
    path, so a file whose name holds `=` still loads.
    """
    from falsereject.datasets import dataset_names

    known = set(dataset_names())
    datasets, paths = [], {}
    for spec in specs:
        name, sep, file = spec.partition("=")
        if sep and name in known and file:
            datasets.append(name)
            paths[name] = file
        else:
            datasets.append(spec)
    return datasets, paths


def build_stats_config(
    file: str | os.PathLike[str] | None = None, overrides: dict[str, Any] | None = None
) -> StatsConfig:
    """A `StatsConfig` from a config file's values replaced by `overrides` (the CLI flags);
    a bad value is one `InputError` line naming the field."""
    from falsereject.bench.config import load_config_file

    data = load_config_file(file) if file is not None else {}
    data.update(overrides or {})
    try:
        return StatsConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "config"
        raise InputError(f"{field}: {first['msg']}", path=file) from None
