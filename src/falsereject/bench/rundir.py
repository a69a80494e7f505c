"""The layout of a run folder, and reading one back.

    runs/<name>/
      config.json     the resolved BenchConfig (written first)
      samples.jsonl   one SampleRecord per line, in prompt order
      metrics.json    RunMetrics (written after the samples)
      report.md, report.html, *.png

Every file is written atomically, so a folder never holds half a file; `metrics.json` is
written after `samples.jsonl`, so its presence means the samples are complete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from falsereject.atomic import write_json, write_jsonl
from falsereject.bench.types import RunMetrics, SampleRecord
from falsereject.errors import FalseRejectError, InputError

CONFIG = "config.json"
SAMPLES = "samples.jsonl"
METRICS = "metrics.json"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"


@dataclass
class Run:
    """A finished run read back from its folder."""

    path: Path
    config: dict[str, Any]
    samples: list[SampleRecord]
    metrics: RunMetrics | None

    @property
    def name(self) -> str:
        """The folder name, used as the run's label in comparisons."""
        return self.path.name


def write_samples(folder: Path, samples: list[SampleRecord]) -> None:
    """Write `samples.jsonl` atomically."""
    write_jsonl(folder / SAMPLES, (s.model_dump(mode="json") for s in samples))


def write_metrics(folder: Path, metrics: RunMetrics) -> None:
    """Write `metrics.json` atomically."""
    write_json(folder / METRICS, metrics.model_dump(mode="json"))


def read_samples(path: Path) -> list[SampleRecord]:
    """Read a `samples.jsonl`, naming the line of any broken record."""
    samples = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                samples.append(SampleRecord.model_validate_json(line))
            except ValueError as exc:
                first = str(exc).splitlines()[0]
                raise InputError(
                    f"not a sample record ({first})", path=path, line=line_no
                ) from None
    return samples


def load_run(folder: str | Path) -> Run:
    """Read a run folder; a missing folder or samples file is a clear error."""
    path = Path(folder)
    if not (path / SAMPLES).is_file():
        raise FalseRejectError(f"{path} is not a run folder (no {SAMPLES})")
    config = json.loads((path / CONFIG).read_text()) if (path / CONFIG).is_file() else {}
    metrics = None
    if (path / METRICS).is_file():
        metrics = RunMetrics.model_validate_json((path / METRICS).read_text())
    return Run(path=path, config=config, samples=read_samples(path / SAMPLES), metrics=metrics)
