"""End-to-end speed of `falsereject bench` on the whole FalseReject-Test set.

    python benchmarks/bench_e2e.py                          # ../shared/data copy, 1,187 prompts
    python benchmarks/bench_e2e.py --data-path FalseReject_test.json --latency 0.5

The model under test is the scripted OpenAI-compatible server (in its own process) with a
fixed latency per answer, so the figures measure falsereject itself: loading the set, the
concurrent model phase (ideal: prompts x latency / max-connections), the embedded judge, the
metrics and the reports. A second run of the same config shows the resume path: every
answer from the cache.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/falsereject/FalseReject_test.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-path", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per model answer")
    parser.add_argument("--max-connections", type=int, default=32)
    args = parser.parse_args()

    from falsereject.bench import BenchConfig, run_benchmark
    from falsereject.testing.openai_server import serve_in_subprocess

    with serve_in_subprocess(args.latency) as url, tempfile.TemporaryDirectory() as tmp:
        config = BenchConfig(
            model="openai/scripted",
            base_url=url,
            datasets=["falsereject"],
            data_path={"falsereject": str(args.data_path)},
            judge=["embedded"],
            max_connections=args.max_connections,
            cache_dir=str(Path(tmp) / "cache"),
            out=str(Path(tmp) / "run"),
        )
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            result = run_benchmark(config, progress=False)
            timings.append(time.perf_counter() - start)
        n = len(result.samples)
    ideal = n * args.latency / args.max_connections
    print(f"prompts={n} latency={args.latency}s max_connections={args.max_connections}")
    print(f"first run:   {timings[0]:6.1f} s  (ideal model phase {ideal:.1f} s)")
    print(f"resumed run: {timings[1]:6.1f} s  (every answer from the cache)")


if __name__ == "__main__":
    main()
