"""Fixtures shared by every test package: the loopback OpenAI server, caches, shared data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from falsereject.testing import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A fresh scripted OpenAI-compatible server on 127.0.0.1 for one test."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty call cache, also set as $FALSEREJECT_CACHE_DIR for CLI runs."""
    path = tmp_path / "cache"
    monkeypatch.setenv("FALSEREJECT_CACHE_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's keys, base URL or cache."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("FALSEREJECT_CACHE_DIR", str(tmp_path / "default-cache"))
    monkeypatch.setenv("FALSEREJECT_PRICES", str(tmp_path / "no-prices.json"))


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data` beside the repo; tests that need it skip clearly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
