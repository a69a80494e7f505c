"""Token counts and cost per model, from a user-editable price table.

Prices are USD per million input and output tokens. The table ships with the package; a user
file at `$FALSEREJECT_PRICES` or `<user config dir>/falsereject/prices.json` overrides entries.
Models with no price get tokens only (cost None), never a guessed figure.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from falsereject.models.types import ChatResult


def load_prices() -> dict[str, tuple[float, float]]:
    """The shipped table updated with the user's."""
    table = json.loads(resources.files("falsereject.models").joinpath("prices.json").read_text())
    user = os.environ.get("FALSEREJECT_PRICES")
    if user is None:
        from platformdirs import user_config_dir

        user = str(Path(user_config_dir("falsereject")) / "prices.json")
    if Path(user).is_file():
        table.update(json.loads(Path(user).read_text()))
    return {k: (float(v[0]), float(v[1])) for k, v in table.items() if not k.startswith("_")}


def price_for(model: str, table: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    """Exact match first, then the longest key that is a prefix of `model`."""
    if model in table:
        return table[model]
    prefixes = [k for k in table if model.startswith(k)]
    return table[max(prefixes, key=len)] if prefixes else None


@dataclass
class Usage:
    """Running totals for one model; thread-safe."""

    model: str
    requests: int = 0
    cached: int = 0
    errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, result: ChatResult) -> None:
        """Count one result. Cached results count as requests but cost nothing new."""
        with self._lock:
            self.requests += 1
            if result.cached:
                self.cached += 1
            elif result.ok:
                self.prompt_tokens += result.prompt_tokens
                self.completion_tokens += result.completion_tokens
            if not result.ok:
                self.errors += 1

    def cost(self, table: dict[str, tuple[float, float]] | None = None) -> float | None:
        """USD spent on non-cached calls, or None when the model has no price."""
        price = price_for(self.model, table if table is not None else load_prices())
        if price is None:
            return None
        return (self.prompt_tokens * price[0] + self.completion_tokens * price[1]) / 1e6

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "model": self.model,
            "requests": self.requests,
            "cached": self.cached,
            "errors": self.errors,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost(),
        }
