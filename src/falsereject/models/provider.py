"""The interface every model provider implements.

A provider turns a batch of chats into results and knows nothing of caching, retries or
concurrency: `Model` adds those around it. API providers take batches of one and raise
`TransientError` / `PermanentError` / `FatalModelError` (see `retry.py`); local providers
(`LocalProvider`) load their engine once and run batches in a worker thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from falsereject.models.types import ChatResult, GenerateConfig

Messages = list[dict[str, str]]


class Provider(ABC):
    """One model behind one engine or endpoint."""

    #: requests per `generate_batch` call; 1 for HTTP APIs, larger for local engines
    batch_size: int = 1
    #: concurrent `generate_batch` calls when the user sets none
    default_max_connections: int = 1
    #: whether failed calls are worth retrying (network APIs: yes; in-process engines: no)
    retryable: bool = False

    def __init__(self, provider: str, model: str) -> None:
        self.provider = provider
        self.model = model

    @property
    def name(self) -> str:
        """The `provider/model` name."""
        return f"{self.provider}/{self.model}"

    def identity(self) -> dict[str, Any]:
        """What, besides messages and parameters, decides the answer: the cache key's part.

        Never include secrets here.
        """
        return {"provider": self.provider, "model": self.model}

    @abstractmethod
    async def generate_batch(
        self, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        """Complete each chat; return one result per item, in order."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release clients and engines."""

    async def release_loop(self) -> None:  # noqa: B027 - optional hook
        """Release what is bound to the running event loop (HTTP clients), keep engines."""


class LocalProvider(Provider):
    """An engine in this process (llama.cpp, transformers, vLLM).

    The engine is created once, on first use, under a lock; each batch then runs under the
    same lock on the provider's own worker thread, so the event loop and progress bars stay
    live and two batches never share an engine that is not thread-safe. It is always the
    same thread: llama.cpp's OpenMP team (and torch's thread pools) belong to the calling
    thread, and a second calling thread left the first team spinning, which cut llama.cpp
    from ~90 to ~28 tokens/s on 2 cores.
    """

    def __init__(self, provider: str, model: str) -> None:
        super().__init__(provider, model)
        self._engine: Any = None
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=f"falsereject-{provider}"
        )
        self.load_seconds: float | None = None

    @abstractmethod
    def load_engine(self) -> Any:
        """Create the engine; called once, with the lock held."""

    @abstractmethod
    def run_batch(
        self, engine: Any, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        """Complete a batch on `engine`; called with the lock held, in a worker thread."""

    def release_engine(self, engine: Any) -> None:
        """Free what the engine holds beyond memory (files, GPU contexts)."""

    def _engine_locked(self) -> Any:
        if self._engine is None:
            start = time.perf_counter()
            self._engine = self.load_engine()
            self.load_seconds = time.perf_counter() - start
        return self._engine

    def _run_locked(self, batch: list[tuple[Messages, GenerateConfig]]) -> list[ChatResult]:
        with self._lock:
            return self.run_batch(self._engine_locked(), batch)

    async def generate_batch(
        self, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self._run_locked, batch)

    async def aclose(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            self.release_engine(engine)
