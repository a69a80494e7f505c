"""A `falsereject bench` process killed midway and started again pays no finished call twice and
ends with the same samples as a run that was never interrupted.

The CLI runs in a real subprocess against two loopback servers (the model under test, slowed
down so the kill lands mid-run, and a scripted LLM judge); SIGKILL gives it no chance to clean
up. Samples are compared without `latency_s`, the one field that measures wall time rather
than what the model or judge said: a resumed run reads finished answers, with the latency
they had then, from the cache.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from falsereject.models import CallCache
from falsereject.testing import FakeOpenAIServer

N = 40
CONNECTIONS = 2
KILL_AFTER = 12


def judge_answer(body: dict[str, Any]) -> str:
    request = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
    verdict = "Direct Refusal" if "kill" in request.lower() else "Full Compliance"
    return f"Scripted. [[{verdict}]]"


def bench(model: FakeOpenAIServer, judge: FakeOpenAIServer, xstest: Path, out: Path, cache: Path):
    return [
        sys.executable,
        "-m",
        "falsereject.cli.main",
        "bench",
        "-m",
        "openai/mut",
        "--base-url",
        model.url,
        "-d",
        "xstest",
        "--data-path",
        str(xstest),
        "-j",
        "openai/judge",
        "--judge-base-url",
        judge.url,
        "--limit",
        str(N),
        "--seed",
        "3",
        "--max-connections",
        str(CONNECTIONS),
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
    ]


def samples_without_latency(folder: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (folder / "samples.jsonl").read_text().splitlines()]
    for row in rows:
        row.pop("latency_s")
    return rows


@pytest.mark.slow
def test_a_killed_run_resumes_from_the_cache(
    openai_server: FakeOpenAIServer, shared_data: Path, tmp_path: Path
) -> None:
    model = openai_server
    model.latency_s = 0.1
    xstest = shared_data / "xstest" / "xstest_prompts.csv"
    cache, out = tmp_path / "cache", tmp_path / "run"
    env = {**os.environ, "COLUMNS": "120"}
    with FakeOpenAIServer(default=judge_answer) as judge:
        proc = subprocess.Popen(
            bench(model, judge, xstest, out, cache),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while model.count < KILL_AFTER and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

        finished = CallCache(cache).stats()["models"].get("openai/mut", 0)
        first = model.prompts()
        assert 0 < finished < N and judge.count == 0
        assert len(first) - finished <= CONNECTIONS  # only in-flight calls were lost
        assert not (out / "samples.jsonl").exists()

        model.reset_counters()
        resumed = subprocess.run(
            bench(model, judge, xstest, out, cache), env=env, capture_output=True, timeout=120
        )
        assert resumed.returncode == 0, resumed.stderr.decode()
        second = model.prompts()
        assert len(second) == N - finished  # not one finished prompt asked again
        assert len(set(first) | set(second)) == N
        assert judge.count == N

        model.reset_counters()
        fresh = tmp_path / "fresh"
        straight = subprocess.run(
            bench(model, judge, xstest, fresh, tmp_path / "cache2"),
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert straight.returncode == 0, straight.stderr.decode()
        assert model.count == N

    assert samples_without_latency(out) == samples_without_latency(fresh)
    resumed_metrics = json.loads((out / "metrics.json").read_text())
    fresh_metrics = json.loads((fresh / "metrics.json").read_text())
    resumed_metrics.pop("usage"), fresh_metrics.pop("usage")  # cached calls count apart
    assert resumed_metrics == fresh_metrics
