"""Options shared by every command that calls a model, so each reads the same everywhere.

`-M key=value` passes provider-specific generation parameters through (`-M top_k=20`); values
are parsed as JSON when they can be (numbers, booleans, lists), else kept as strings.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from falsereject.errors import FalseRejectError
from falsereject.models.embedded import EMBEDDED_MODEL
from falsereject.models.types import GenerateConfig

DEFAULT_MODEL = EMBEDDED_MODEL

MODEL = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model under test, as provider/model.")
BASE_URL = typer.Option(
    None,
    "--base-url",
    help="OpenAI-compatible server for the model (default: $OPENAI_BASE_URL, else the OpenAI API).",
)
TEMPERATURE = typer.Option(0.0, "--temperature", help="Sampling temperature (0 = greedy).")
MAX_TOKENS = typer.Option(1024, "--max-tokens", help="Most tokens per answer.")
TOP_P = typer.Option(None, "--top-p", help="Nucleus sampling mass.")
SEED = typer.Option(None, "--seed", help="Seed for sampling and for any subsampling.")
STOP = typer.Option(None, "--stop", help="Stop sequence (repeatable).")
SYSTEM = typer.Option(None, "--system-prompt", help="System message put before every prompt.")
MODEL_ARGS = typer.Option(None, "-M", help="Provider-specific parameter key=value (repeatable).")
MAX_CONNECTIONS = typer.Option(
    None,
    "--max-connections",
    help="Concurrent requests per model (default: 16 for APIs, 1 for local engines).",
)
TIMEOUT = typer.Option(None, "--timeout", help="Seconds before an API request is abandoned.")
MAX_ERROR_RATE = typer.Option(
    0.2,
    "--max-error-rate",
    help="Stop the run when more than this share of requests fail after retries.",
)
NO_CACHE = typer.Option(False, "--no-cache", help="Neither read nor write the call cache.")
CACHE_DIR = typer.Option(
    None,
    "--cache-dir",
    help="Call cache folder (default: $FALSEREJECT_CACHE_DIR, else the user cache dir).",
)


def parse_model_args(items: list[str] | None) -> dict[str, Any]:
    """`['top_k=20', 'enable_thinking=false']` -> `{'top_k': 20, 'enable_thinking': False}`."""
    parsed: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise FalseRejectError(f"-M expects key=value, got {item!r}")
        try:
            parsed[key] = json.loads(value)
        except ValueError:
            parsed[key] = value
    return parsed


def generate_config(
    temperature: float | None,
    max_tokens: int | None,
    top_p: float | None,
    seed: int | None,
    stop: list[str] | None,
    system_prompt: str | None,
    model_args: list[str] | None,
) -> GenerateConfig:
    """The typed generation config from the shared CLI options."""
    return GenerateConfig(
        temperature=temperature,
        max_tokens=max_tokens,
        top_p=top_p,
        seed=seed,
        stop=stop or None,
        system_prompt=system_prompt,
        extra=parse_model_args(model_args),
    )
