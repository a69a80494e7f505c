"""Throughput of the model layer against a loopback server with a fixed latency.

    python benchmarks/throughput.py --requests 1000 --concurrency 32 --latency 0.05

Runs the scripted OpenAI-compatible server in a separate process, then sends the same number
of distinct requests (a) through `falsereject.models` (cache off, so every request is real) and
(b) through a bare `openai.AsyncOpenAI` loop with a semaphore, in the same run. Prints achieved
requests/s for both, the ideal (concurrency / latency) and the ratio ours / bare (target >= 0.9).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from falsereject.testing.openai_server import serve_in_subprocess


async def bare_loop(url: str, n: int, concurrency: int, tag: str) -> float:
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="EMPTY", max_retries=0)
    semaphore = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with semaphore:
            await client.chat.completions.create(
                model="fake",
                messages=[{"role": "user", "content": f"{tag} {i}"}],
                temperature=0,  # the same request our default GenerateConfig sends
                max_tokens=1024,
            )

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - start
    await client.close()
    return n / elapsed


def ours(url: str, n: int, concurrency: int, tag: str) -> float:
    from falsereject.models import get_model

    model = get_model("openai/fake", base_url=url, cache=False, max_connections=concurrency)
    start = time.perf_counter()
    results = model.generate_sync([f"{tag} {i}" for i in range(n)])
    elapsed = time.perf_counter() - start
    assert all(r.ok for r in results), next(r.error for r in results if not r.ok)
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best is kept")
    args = parser.parse_args()
    with serve_in_subprocess(args.latency) as url:
        best_ours, best_bare = 0.0, 0.0
        for r in range(args.rounds):
            best_bare = max(
                best_bare, asyncio.run(bare_loop(url, args.requests, args.concurrency, f"bare{r}"))
            )
            best_ours = max(best_ours, ours(url, args.requests, args.concurrency, f"ours{r}"))
        ideal = args.concurrency / args.latency
        print(f"requests={args.requests} concurrency={args.concurrency} latency={args.latency}s")
        print(f"ideal (concurrency/latency): {ideal:8.1f} req/s")
        for label, rate in (
            ("bare openai async loop:", best_bare),
            ("falsereject.models:", best_ours),
        ):
            print(f"{label:28} {rate:8.1f} req/s ({rate / ideal:.2f} of ideal)")
        print(f"ratio ours / bare:           {best_ours / best_bare:8.3f}  (target >= 0.9)")


if __name__ == "__main__":
    main()
