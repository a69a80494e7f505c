"""Load time and responses/second of the embedded judge on realistic answers.

    python benchmarks/judge_speed.py                 # all coconot_pref answers (1,854), 3 passes
    python benchmarks/judge_speed.py --passes 1 --limit 500

Uses both answers of every coconot_pref row (GPT-4 answers and over-refusing answers, median
~1,500 characters) from ../shared/data/coconot. Load time is measured in a fresh interpreter
(import + reading the weights), since that is what a `falsereject bench --judge embedded` run
pays. The target from issue 4 is >= 200 responses/s on 2 CPU cores, single-threaded here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

COCONOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "coconot" / "coconot_pref.jsonl"

LOAD = (
    "import time; t = time.perf_counter()\n"
    "from falsereject.judge.embedded import EmbeddedJudge\n"
    "EmbeddedJudge()\n"
    "print(time.perf_counter() - t)\n"
)


def load_seconds(repeats: int = 3) -> float:
    """Median wall time to import the module and load the weights in a fresh process."""
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", LOAD], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=COCONOT)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N answers")
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    prompts = [r["prompt"] for r in rows for _ in (0, 1)]
    responses = [a for r in rows for a in (r["chosen"], r["rejected"])]
    if args.limit:
        prompts, responses = prompts[: args.limit], responses[: args.limit]

    from falsereject.judge.embedded import EmbeddedJudge

    print(f"load (fresh process, median of 3): {load_seconds():.2f} s")
    judge = EmbeddedJudge()
    chars = statistics.median(len(r) for r in responses)
    rates = []
    for _ in range(args.passes):
        start = time.perf_counter()
        judge.classify(prompts, responses)
        rates.append(len(responses) / (time.perf_counter() - start))
    print(
        f"{len(responses)} answers (median {chars:.0f} chars), {args.passes} passes: "
        f"{statistics.median(rates):.0f} responses/s (best {max(rates):.0f}, "
        f"worst {min(rates):.0f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
