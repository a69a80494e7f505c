"""Retries with exponential backoff and full jitter, honouring Retry-After.

Providers raise `TransientError` for anything worth another try (429, 5xx, timeouts, dropped
connections, malformed or cut-off bodies) and `PermanentError` for the rest (400, 401, 404).
`call_with_retry` turns the final failure into an exception the caller records per sample.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class TransientError(Exception):
    """A failure that may go away: retry after `retry_after` seconds if the server said so."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(Exception):
    """A failure that another try will not fix (bad request, model not found)."""


class FatalModelError(Exception):
    """A failure that dooms every request of the run (bad API key): stop at once."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Delay for attempt k (0-based) is uniform in [0, min(cap, base*2^k)]."""

    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 120.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before the next attempt."""
        if retry_after is not None and retry_after >= 0:
            # The server knows best, but a small jitter keeps waiters from stampeding.
            return min(retry_after, self.max_retry_after) + rng.uniform(0, 0.1 * self.base_delay)
        return rng.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))


async def call_with_retry(
    fn: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    rng: random.Random | None = None,
    on_retry: Callable[[int, TransientError], None] | None = None,
) -> T:
    """Await `fn()` until it succeeds, fails permanently, or runs out of attempts."""
    rng = rng or random.Random()
    for attempt in range(policy.max_attempts):
        try:
            return await fn()
        except TransientError as exc:
            if attempt + 1 >= policy.max_attempts:
                raise TransientError(
                    f"gave up after {policy.max_attempts} attempts: {exc}", exc.retry_after
                ) from exc
            if on_retry is not None:
                on_retry(attempt, exc)
            await asyncio.sleep(policy.delay(attempt, exc.retry_after, rng))
    raise AssertionError("unreachable")  # pragma: no cover
