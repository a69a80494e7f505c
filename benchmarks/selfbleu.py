"""Self-BLEU speed: our exact O(n log n) method against nltk's all-pairs `sentence_bleu`.

    python benchmarks/selfbleu.py             # needs nltk: pip install "falsereject[dev]"
    python benchmarks/selfbleu.py --data ../shared/data/falsereject/FalseReject_test.json \\
        --big 80000 --nltk-sample 200

Prints (1) the time to score every one of FalseReject-Test's 1,187 prompts against all the
others, (2) the time for a synthetic set of `--big` prompts (real prompts with ~30% of their
tokens swapped for random tokens of the set, seeded, so the n-gram statistics stay realistic;
OR-Bench's 80K is not available offline), and (3) nltk's time for `--nltk-sample` hypotheses
against all other FalseReject-Test prompts, extrapolated to the whole set, as a ratio to ours.
It also prints the largest difference between nltk's scores and ours on that sample.
Targets: (1) < 1 s, (2) < 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from falsereject.stats import find_near_duplicates, self_bleu_scores, tokenize

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/falsereject/FalseReject_test.json"


def synthetic_prompts(real: list[str], n: int, *, swap: float = 0.3, seed: int = 0) -> list[str]:
    """`n` prompts: real ones in turn, each token swapped for a random one with prob `swap`."""
    rng = np.random.default_rng(seed)
    words = [tokenize(text) for text in real]
    pool = np.array([w for ws in words for w in ws], dtype=object)
    out = []
    for i in range(n):
        base = words[i % len(words)]
        swapped = rng.random(len(base)) < swap
        picks = pool[rng.integers(len(pool), size=int(swapped.sum()))]
        it = iter(picks)
        out.append(" ".join(next(it) if s else w for w, s in zip(base, swapped, strict=True)))
    return out


def timed(fn, *args):
    """(value, wall seconds, CPU seconds of this process): the CPU figure shows what a busy
    shared machine would hide, since the work is single-threaded."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return value, time.perf_counter() - start, time.process_time() - cpu


def nltk_scores(texts: list[str], indices: np.ndarray) -> np.ndarray:
    from nltk.tokenize import wordpunct_tokenize
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

    tokens = [[t.lower() for t in wordpunct_tokenize(text)] for text in texts]
    smooth = SmoothingFunction().method1
    return np.array(
        [
            sentence_bleu(tokens[:i] + tokens[i + 1 :], tokens[i], smoothing_function=smooth)
            for i in indices
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--big", type=int, default=80_000)
    parser.add_argument("--nltk-sample", type=int, default=200)
    args = parser.parse_args()

    real = [row["prompt"] for row in json.loads(args.data.read_text(encoding="utf-8"))]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores available: {cores}")

    self_bleu_scores(real)  # warm-up: first numpy calls pay one-off costs
    ours, ours_s, ours_cpu = timed(self_bleu_scores, real)
    print(
        f"ours, {len(real):,} prompts (every one a hypothesis): {ours_s:.3f} s "
        f"(CPU {ours_cpu:.3f} s), Self-BLEU {ours.mean():.4f}"
    )

    big = synthetic_prompts(real, args.big)
    big_scores, big_s, big_cpu = timed(self_bleu_scores, big)
    print(
        f"ours, {len(big):,} synthetic prompts: {big_s:.2f} s (CPU {big_cpu:.2f} s), "
        f"Self-BLEU {big_scores.mean():.4f}"
    )
    pairs, dup_s, dup_cpu = timed(find_near_duplicates, big)
    print(
        f"near-duplicates, {len(big):,} synthetic prompts: {dup_s:.2f} s "
        f"(CPU {dup_cpu:.2f} s), {len(pairs)} pairs"
    )

    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(len(real), size=min(args.nltk_sample, len(real)), replace=False))
    reference, nltk_s, _ = timed(nltk_scores, real, sample)
    whole = nltk_s * len(real) / len(sample)
    print(
        f"nltk, {len(sample)} hypotheses x {len(real) - 1:,} references: {nltk_s:.1f} s; "
        f"whole set extrapolated {whole:.0f} s = {whole / ours_s:,.0f}x ours"
    )
    print(f"largest |nltk - ours| on the sample: {np.abs(reference - ours[sample]).max():.2e}")


if __name__ == "__main__":
    main()
