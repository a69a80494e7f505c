"""`Model`: a provider wrapped with caching, bounded concurrency, retries and usage counts.

    from falsereject.models import get_model
    model = get_model("openai/gpt-4o-mini", max_connections=32)
    results = model.generate_sync(["How do I kill a Python process?"])

Identical requests in one call are sent once. Each success is written to the cache as it
arrives. A request that still fails after its retries comes back with `error` set; the run
goes on unless the share of failures passes `max_error_rate`, in which case `TooManyErrors`
stops it with the last error's message.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from falsereject.errors import FalseRejectError
from falsereject.models.cache import CallCache, cache_key
from falsereject.models.provider import Messages, Provider
from falsereject.models.registry import create_provider
from falsereject.models.retry import (
    FatalModelError,
    PermanentError,
    RetryPolicy,
    TransientError,
    call_with_retry,
)
from falsereject.models.types import ChatRequest, ChatResult, GenerateConfig, chat_messages
from falsereject.models.usage import Usage

Progress = Callable[[ChatResult], None]


class TooManyErrors(FalseRejectError):
    """The share of failed requests passed the run's threshold."""


class Model:
    """A named model ready to generate. Build one with `get_model`."""

    def __init__(
        self,
        provider: Provider,
        *,
        config: GenerateConfig | None = None,
        max_connections: int | None = None,
        cache: CallCache | None = None,
        retry: RetryPolicy | None = None,
        max_error_rate: float = 0.2,
        min_errors_to_abort: int = 5,
    ) -> None:
        self.provider = provider
        self.config = config or GenerateConfig()
        self.max_connections = max_connections or provider.default_max_connections
        self.cache = cache
        self.retry = retry or RetryPolicy()
        self.max_error_rate = max_error_rate
        self.min_errors_to_abort = min_errors_to_abort
        self.usage = Usage(provider.name)
        self.retries = 0
        self._rng = random.Random()

    @property
    def name(self) -> str:
        """The `provider/model` name."""
        return self.provider.name

    def __repr__(self) -> str:
        return f"Model({self.name!r})"

    def _prepare(self, request: ChatRequest | str) -> tuple[Messages, GenerateConfig, str]:
        if isinstance(request, str):
            request = ChatRequest.user(request)
        config = request.config or self.config
        messages = chat_messages(request, config)
        params = config.model_dump(exclude={"system_prompt"})
        return messages, config, cache_key(self.provider.identity(), messages, params)

    async def generate(
        self, requests: Sequence[ChatRequest | str], *, progress: Progress | None = None
    ) -> list[ChatResult]:
        """Complete every request; results come back in the same order."""
        prepared = [self._prepare(r) for r in requests]
        results: list[ChatResult | None] = [None] * len(prepared)
        pending: dict[str, list[int]] = {}
        for i, (_, _, key) in enumerate(prepared):
            hit = self.cache.get(key) if self.cache is not None else None
            if hit is not None:
                results[i] = hit
                self.usage.add(hit)
                if progress:
                    progress(hit)
            else:
                pending.setdefault(key, []).append(i)

        keys = list(pending)
        batches = [
            keys[j : j + self.provider.batch_size]
            for j in range(0, len(keys), self.provider.batch_size)
        ]
        semaphore = asyncio.Semaphore(self.max_connections)
        errors = [0, 0]  # [failed, finished]

        async def run_batch(batch_keys: list[str]) -> None:
            items = [(prepared[pending[k][0]][0], prepared[pending[k][0]][1]) for k in batch_keys]
            outs = await self._call(items, semaphore)
            for key, out in zip(batch_keys, outs, strict=False):
                if self.cache is not None and out.ok:
                    self.cache.put(key, self.name, out)
                for n, i in enumerate(pending[key]):
                    # duplicates of one request share its answer; only the first was paid for
                    results[i] = out if n == 0 else out.model_copy(update={"cached": True})
                    self.usage.add(results[i])
                    errors[1] += 1
                    errors[0] += 0 if out.ok else 1
                    if progress:
                        progress(results[i])
            if (
                errors[0] >= self.min_errors_to_abort
                and errors[0] / errors[1] > self.max_error_rate
            ):
                last = next(o.error for o in reversed(outs) if not o.ok)
                raise TooManyErrors(
                    f"{self.name}: {errors[0]} of {errors[1]} requests failed "
                    f"(over the {self.max_error_rate:.0%} threshold); last error: {last}"
                )

        tasks = [asyncio.ensure_future(run_batch(b)) for b in batches]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return [r for r in results if r is not None]

    async def _call(
        self, items: list[tuple[Messages, GenerateConfig]], semaphore: asyncio.Semaphore
    ) -> list[ChatResult]:
        async def attempt() -> list[ChatResult]:
            async with semaphore:
                start = time.perf_counter()
                outs = await self.provider.generate_batch(items)
                elapsed = time.perf_counter() - start
            return [o if o.latency_s else o.model_copy(update={"latency_s": elapsed}) for o in outs]

        def count_retry(_: int, __: TransientError) -> None:
            self.retries += 1

        policy = self.retry if self.provider.retryable else RetryPolicy(max_attempts=1)
        try:
            return await call_with_retry(attempt, policy, rng=self._rng, on_retry=count_retry)
        except FatalModelError as exc:
            raise FalseRejectError(f"{self.name}: {exc}") from None
        except (TransientError, PermanentError) as exc:
            return [ChatResult(error=f"{type(exc).__name__}: {exc}") for _ in items]

    def generate_sync(
        self, requests: Sequence[ChatRequest | str], *, progress: Progress | None = None
    ) -> list[ChatResult]:
        """Blocking `generate`, usable in scripts and in notebooks with a running loop."""

        async def generate_then_release() -> list[ChatResult]:
            try:
                return await self.generate(requests, progress=progress)
            finally:
                await self.provider.release_loop()  # the loop dies with asyncio.run

        return run_sync(generate_then_release())

    async def aclose(self) -> None:
        """Release the provider's clients or engine."""
        await self.provider.aclose()


def run_sync(coro: Any) -> Any:
    """Run a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def worker() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def get_model(
    name: str,
    *,
    base_url: str | None = None,
    config: GenerateConfig | None = None,
    max_connections: int | None = None,
    cache: CallCache | bool | None = True,
    cache_dir: str | None = None,
    retry: RetryPolicy | None = None,
    max_error_rate: float = 0.2,
    timeout: float | None = None,
    **provider_kwargs: Any,
) -> Model:
    """Build a `Model` from a `provider/model` name.

    `cache=True` uses the default on-disk cache (or `cache_dir`); `False`/`None` disables it.
    `base_url` and `timeout` go to providers that talk HTTP; other keyword arguments go to
    the provider as they are.
    """
    if base_url is not None:
        provider_kwargs["base_url"] = base_url
    if timeout is not None:
        provider_kwargs["timeout"] = timeout
    provider = create_provider(name, **provider_kwargs)
    if cache is True:
        cache = CallCache(cache_dir)
    elif cache is False:
        cache = None
    return Model(
        provider,
        config=config,
        max_connections=max_connections,
        cache=cache,
        retry=retry,
        max_error_rate=max_error_rate,
    )
