"""Retries, the concurrency bound, the error threshold and timeouts, measured on the server."""

from __future__ import annotations

import time

import pytest

from falsereject.models import RetryPolicy, TooManyErrors, get_model
from falsereject.testing import FakeOpenAIServer

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "cutoff", "empty", "hang"])
def test_each_fault_is_retried_once_then_answered(openai_server, cache_dir, fault):
    openai_server.fault(fault, hang_s=5)
    model = get_model(
        "openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir), retry=FAST, timeout=1
    )
    [result] = model.generate_sync(["hello"])
    assert result.ok, result.error
    assert result.text == "Here is a helpful answer to: hello"
    assert openai_server.count == 2
    assert model.retries == 1


def test_retry_after_is_honoured(openai_server, cache_dir):
    openai_server.fault("429", times=2, retry_after=0.4)
    model = get_model(
        "openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir), retry=FAST
    )
    start = time.perf_counter()
    [result] = model.generate_sync(["hello"])
    assert result.ok
    assert time.perf_counter() - start >= 0.8  # two waits of the server's 0.4 s
    assert openai_server.count == 3


def test_persistent_failure_is_recorded_and_the_run_goes_on(openai_server, cache_dir):
    openai_server.fault("500", times=100, match="doomed")
    model = get_model(
        "openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir), retry=FAST
    )
    results = model.generate_sync(["doomed prompt"] + [f"fine {i}" for i in range(9)])
    assert "gave up after 4 attempts" in results[0].error
    assert all(r.ok for r in results[1:])
    assert model.usage.errors == 1


def test_error_rate_over_threshold_stops_the_run(openai_server, cache_dir):
    openai_server.fault("500", times=1000)
    model = get_model(
        "openai/fake",
        base_url=openai_server.url,
        cache_dir=str(cache_dir),
        retry=FAST,
        max_error_rate=0.2,
    )
    with pytest.raises(TooManyErrors, match="HTTP 500"):
        model.generate_sync([f"p{i}" for i in range(20)])


def test_unreachable_server_is_a_clear_error(cache_dir):
    with FakeOpenAIServer() as server:
        url = server.url  # a port that was just closed
    model = get_model("openai/fake", base_url=url, cache_dir=str(cache_dir), retry=FAST)
    with pytest.raises(TooManyErrors, match=r"connection error to http://127\.0\.0\.1"):
        model.generate_sync([f"p{i}" for i in range(8)])


@pytest.mark.parametrize("bound", [1, 4])
def test_concurrency_bound_holds_on_the_server(cache_dir, bound):
    with FakeOpenAIServer(latency_s=0.05) as server:
        model = get_model(
            "openai/fake", base_url=server.url, cache_dir=str(cache_dir), max_connections=bound
        )
        results = model.generate_sync([f"prompt {i}" for i in range(24)])
        assert all(r.ok for r in results)
        assert server.max_in_flight == bound


def test_results_keep_request_order(cache_dir):
    with FakeOpenAIServer(latency_s=0.01) as server:
        model = get_model("openai/fake", base_url=server.url, cache_dir=str(cache_dir))
        prompts = [f"prompt {i}" for i in range(50)]
        results = model.generate_sync(prompts)
    assert [r.text for r in results] == [f"Here is a helpful answer to: {p}" for p in prompts]
