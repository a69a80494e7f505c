"""The call cache: hits after a restart, keys, duplicates, concurrent writers, kill and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

from falsereject.models import CallCache, ChatResult, GenerateConfig, get_model
from falsereject.testing import FakeOpenAIServer


def test_restart_hits_the_cache_with_zero_new_calls(openai_server, cache_dir):
    prompts = [f"prompt {i}" for i in range(10)]
    first = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    answers = first.generate_sync(prompts)
    assert openai_server.count == 10
    # a new Model over the same folder, as after a restart of the process
    second = get_model(
        "openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir), max_connections=3
    )
    again = second.generate_sync(prompts)
    assert openai_server.count == 10
    assert [a.text for a in again] == [a.text for a in answers]
    assert all(a.cached for a in again) and second.usage.cached == 10


def test_key_covers_what_changes_the_answer(openai_server, cache_dir):
    def run(**kwargs):
        model = get_model("openai/fake", cache_dir=str(cache_dir), **kwargs)
        return model.generate_sync(["same prompt"])[0]

    run(base_url=openai_server.url)
    run(base_url=openai_server.url, max_connections=7)  # concurrency is not in the key
    assert openai_server.count == 1
    run(base_url=openai_server.url, config=GenerateConfig(temperature=0.5))
    run(base_url=openai_server.url, config=GenerateConfig(system_prompt="Be careful."))
    assert openai_server.count == 3
    with FakeOpenAIServer() as other:  # another server is another model
        run(base_url=other.url)
        assert other.count == 1


def test_no_cache_always_calls(openai_server):
    model = get_model("openai/fake", base_url=openai_server.url, cache=False)
    model.generate_sync(["x"])
    model.generate_sync(["x"])
    assert openai_server.count == 2


def test_identical_requests_in_one_run_are_sent_once(openai_server, cache_dir):
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    results = model.generate_sync(["dup"] * 5 + ["other"])
    assert openai_server.count == 2
    assert len({r.text for r in results[:5]}) == 1
    assert [r.cached for r in results[:5]] == [False, True, True, True, True]


def test_failures_are_not_cached(openai_server, cache_dir):
    from falsereject.models import RetryPolicy

    openai_server.fault("500", times=3)
    model = get_model(
        "openai/fake",
        base_url=openai_server.url,
        cache_dir=str(cache_dir),
        retry=RetryPolicy(max_attempts=3, base_delay=0.01),
    )
    assert not model.generate_sync(["x"])[0].ok
    assert model.generate_sync(["x"])[0].ok
    assert openai_server.count == 4


def test_concurrent_writers_from_threads_and_processes(tmp_path):
    cache = CallCache(tmp_path)

    def write(i: int) -> None:
        CallCache(tmp_path).put(f"k{i}", "m", ChatResult(text=str(i)))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(200)))
    code = (
        "import sys; from falsereject.models import CallCache, ChatResult\n"
        "c = CallCache(sys.argv[1])\n"
        "[c.put(f'p{sys.argv[2]}-{i}', 'm', ChatResult(text='x')) for i in range(100)]\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(n)]) for n in range(3)
    ]
    assert all(p.wait(60) == 0 for p in procs)
    assert cache.stats()["entries"] == 500
    assert cache.get("k7").text == "7" and cache.get("k7").cached
    assert cache.clear() == 500 and cache.stats()["entries"] == 0


RUNNER = textwrap.dedent(
    """
    import sys
    from falsereject.models import get_model
    model = get_model("openai/fake", base_url=sys.argv[1], cache_dir=sys.argv[2],
                      max_connections=2)
    results = model.generate_sync([f"prompt {i}" for i in range(30)])
    print(sum(r.cached for r in results), flush=True)
    """
)


def test_killed_run_repays_at_most_the_calls_in_flight(tmp_path):
    cache_dir = tmp_path / "cache"
    with FakeOpenAIServer(latency_s=0.1) as server:
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, server.url, str(cache_dir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.time() + 60
        while server.count < 10 and time.time() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        served_before = server.count
        server.reset_counters()
        out = subprocess.run(
            [sys.executable, "-c", RUNNER, server.url, str(cache_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        cached = int(out.stdout.strip())
        # every request the server finished before the kill, but at most the 2 then in
        # flight, came back from the cache; the rest were asked exactly once
        assert cached >= served_before - 2
        assert server.count == 30 - cached
        assert len(set(server.prompts())) == server.count
