"""`LocalProvider`: the engine loads once and every batch runs on one and the same thread.

The same thread matters: llama.cpp's OpenMP team belongs to the calling thread, and batches
that hopped between executor threads ran three times slower (see `LocalProvider`).
"""

from __future__ import annotations

import threading
from typing import Any

from falsereject.models import ChatResult, GenerateConfig, Model
from falsereject.models.provider import LocalProvider, Messages


class RecordingEngine(LocalProvider):
    """An in-process 'engine' that echoes and records where it ran."""

    def __init__(self) -> None:
        super().__init__("local-test", "echo")
        self.loads = 0
        self.threads: set[int] = set()

    def load_engine(self) -> Any:
        self.loads += 1
        return object()

    def run_batch(
        self, engine: Any, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        self.threads.add(threading.get_ident())
        return [ChatResult(text=messages[-1]["content"].upper()) for messages, _ in batch]


def test_engine_loads_once_and_every_batch_runs_on_one_thread():
    provider = RecordingEngine()
    model = Model(provider)
    for round_ in range(3):  # each generate_sync runs on a fresh event loop
        results = model.generate_sync([f"prompt {round_} {i}" for i in range(20)])
        assert [r.text for r in results] == [f"PROMPT {round_} {i}" for i in range(20)]
    assert provider.loads == 1
    assert len(provider.threads) == 1
    assert threading.get_ident() not in provider.threads  # the event loop's thread stays free
