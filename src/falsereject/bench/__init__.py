"""Benchmark runs: answer a set of prompts, judge the answers, compute over-refusal metrics.

    falsereject bench --model openai/gpt-4o-mini --dataset xstest --judge openai/gpt-4o
    falsereject judge runs/openai-gpt-4o-mini__xstest --judge strmatch

    from falsereject.bench import BenchConfig, run_benchmark
    result = run_benchmark(BenchConfig(datasets=["demo"], judge=["strmatch"]))

Names are resolved on first use, so `import falsereject.bench` stays light and the modules
below it import each other without cycles.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BenchConfig": "falsereject.bench.config",
    "build_config": "falsereject.bench.config",
    "compute_metrics": "falsereject.bench.metrics",
    "RunResult": "falsereject.bench.run",
    "run_benchmark": "falsereject.bench.run",
    "rejudge_run": "falsereject.bench.rejudge",
    "Run": "falsereject.bench.rundir",
    "load_run": "falsereject.bench.rundir",
    "GroupMetrics": "falsereject.bench.types",
    "Rate": "falsereject.bench.types",
    "RunMetrics": "falsereject.bench.types",
    "SampleRecord": "falsereject.bench.types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'falsereject.bench' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
