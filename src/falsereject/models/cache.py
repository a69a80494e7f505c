"""A content-keyed SQLite cache of successful model calls.

The key is a SHA-256 over the provider, model, base URL, messages and generation parameters,
and nothing else: changing concurrency, batch size or the API key never misses the cache, and
no secret is ever stored. Each result is committed as soon as it arrives, so a run killed at
any point re-pays at most the calls that were in flight. WAL mode and a busy timeout make it
safe for several processes writing at once.

    falsereject cache stats
    falsereject cache clear
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from falsereject.models.types import ChatResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    result TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def default_cache_dir() -> Path:
    """`$FALSEREJECT_CACHE_DIR`, else the platform's user cache dir for falsereject."""
    env = os.environ.get("FALSEREJECT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("falsereject"))


def cache_key(
    identity: dict[str, Any], messages: list[dict[str, str]], params: dict[str, Any]
) -> str:
    """Stable hash of everything that determines a model's answer."""
    payload = json.dumps(
        {"identity": identity, "messages": messages, "params": params},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CallCache:
    """The on-disk cache. One connection per thread; all methods are thread-safe."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "calls.sqlite"
        self._local = threading.local()
        self._connect()  # create the schema now, so errors surface at start

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute(_SCHEMA)
            self._local.conn = conn
        return conn

    def get(self, key: str) -> ChatResult | None:
        """The cached result for `key`, marked `cached=True`, or None."""
        row = self._connect().execute("SELECT result FROM calls WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        result = ChatResult.model_validate_json(row[0])
        return result.model_copy(update={"cached": True})

    def put(self, key: str, model: str, result: ChatResult) -> None:
        """Store a successful result; failed ones are never cached."""
        if not result.ok:
            return
        data = result.model_copy(update={"cached": False}).model_dump_json()
        self._connect().execute(
            "INSERT OR REPLACE INTO calls (key, model, result, created) VALUES (?, ?, ?, ?)",
            (key, model, data, time.time()),
        )

    def stats(self) -> dict[str, Any]:
        """Entry counts per model and the file size."""
        rows = (
            self._connect()
            .execute("SELECT model, COUNT(*) FROM calls GROUP BY model ORDER BY COUNT(*) DESC")
            .fetchall()
        )
        size = sum(p.stat().st_size for p in self.directory.glob("calls.sqlite*"))
        return {
            "path": str(self.path),
            "entries": sum(n for _, n in rows),
            "bytes": size,
            "models": {m: n for m, n in rows},
        }

    def clear(self, model: str | None = None) -> int:
        """Delete every entry (or those of one model); returns how many went."""
        conn = self._connect()
        if model is None:
            cur = conn.execute("DELETE FROM calls")
        else:
            cur = conn.execute("DELETE FROM calls WHERE model = ?", (model,))
        conn.execute("VACUUM")
        return cur.rowcount
