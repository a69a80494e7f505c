"""The README's offline quick start: `falsereject bench` on the demo set with the embedded
SmolLM2 model and the embedded judge, for real, then once more from the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MAX_TOKENS = 32  # short answers keep the whole demo set to about a minute on 2 cores


def _require_offline_defaults() -> None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pytest.skip('llama_cpp is not importable: pip install "falsereject[local]"')
    from falsereject.errors import FalseRejectError
    from falsereject.judge import get_judge
    from falsereject.models.embedded import embedded_gguf

    try:
        embedded_gguf()
        get_judge("embedded")
    except FalseRejectError as exc:
        pytest.skip(f"offline defaults not installed: {exc}")


@pytest.mark.slow
@pytest.mark.llamacpp
def test_default_bench_runs_offline_on_the_demo_set(tmp_path: Path) -> None:
    _require_offline_defaults()
    out = tmp_path / "demo"
    command = [
        sys.executable,
        "-m",
        "falsereject.cli.main",
        "bench",
        "--seed",
        "0",
        "--max-tokens",
        str(MAX_TOKENS),
        "--out",
        str(out),
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "judge: embedded" in first.stderr
    assert "demo" in first.stdout and "report:" in first.stdout

    from falsereject.datasets import load_dataset

    demo_size = len(load_dataset("demo"))
    written = (out / "samples.jsonl").read_text()
    samples = [json.loads(line) for line in written.splitlines()]
    assert len(samples) == demo_size
    assert {s["model"] for s in samples} == {"llamacpp/smollm2-135m"}
    assert {s["label"] for s in samples} == {"benign", "harmful"}
    assert all(s["error"] is None and s["response"].strip() for s in samples)
    assert all(0 < s["completion_tokens"] <= MAX_TOKENS for s in samples)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["judge"] == "embedded"
    assert metrics["overall"]["benign"]["n"] + metrics["overall"]["harmful"]["n"] == demo_size
    assert (out / "report.html").is_file()

    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (out / "samples.jsonl").read_text() == written
    usage = json.loads((out / "metrics.json").read_text())["usage"]["model"]
    assert usage["cached"] == demo_size and usage["completion_tokens"] == 0
