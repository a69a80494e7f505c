"""The interface every model provider implements.

A provider turns a batch of chats into results and knows nothing of caching, retries or
concurrency: `Model` adds those around it. API providers take batches of one and raise
`TransientError` / `PermanentError` / `FatalModelError` (see `retry.py`); local providers take
large batches and run them in a worker thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
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
