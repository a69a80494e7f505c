"""`llamacpp/<path to .gguf>`: a GGUF model run in-process by llama.cpp (llama-cpp-python).

    falsereject chat "How do I kill a Python process?"             # llamacpp/smollm2-135m
    falsereject chat -m llamacpp/~/models/qwen3-1.7b-q4_k_m.gguf -M top_k=20 "..."
    get_model("llamacpp/model.gguf", n_ctx=8192, n_threads=4)

`llamacpp/smollm2-135m` is the embedded default model (see `falsereject.models.embedded`).
Chats go through the chat template stored in the GGUF. `-M` keys go to llama.cpp's
`create_chat_completion` (top_k, min_p, repeat_penalty, ...). One engine per provider is
loaded on first use; it is not thread-safe, so requests run one after another in a worker
thread, which keeps the event loop (and progress bars) live while the engine works.
"""

from __future__ import annotations

import inspect
import os
import time
from pathlib import Path
from typing import Any

from falsereject.errors import FalseRejectError, InputError, require
from falsereject.models.embedded import (
    EMBEDDED_ALIAS,
    embedded_gguf,
    local_only,
    weights_fingerprint,
)
from falsereject.models.provider import LocalProvider, Messages
from falsereject.models.reasoning import split_reasoning
from falsereject.models.registry import modelapi
from falsereject.models.types import ChatResult, GenerateConfig

DEFAULT_N_CTX = 4096
# arguments that `-M` must not reach: they would break one-text-result-per-request
_RESERVED = {"messages", "stream", "model", "functions", "function_call", "tools", "tool_choice"}


def resolve_gguf(model: str) -> Path:
    """The GGUF file a `llamacpp/<model>` name points at (the alias or a path)."""
    if model == EMBEDDED_ALIAS:
        return embedded_gguf()
    path = Path(model).expanduser()
    if not path.is_file():
        hint = "" if model.endswith(".gguf") else f" (or use the alias llamacpp/{EMBEDDED_ALIAS})"
        raise InputError(f"no such GGUF model file{hint}", path=path)
    return path


class LlamaCppProvider(LocalProvider):
    """One GGUF model in one in-process llama.cpp engine."""

    # llama.cpp answers one chat at a time, so a larger batch gains nothing and would hold
    # finished answers back from the cache (and the progress bar) until the batch ends
    batch_size = 1
    default_max_connections = 1

    def __init__(
        self,
        model: str,
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        batch_size: int | None = None,
        verbose: bool = False,
    ) -> None:
        super().__init__("llamacpp", model)
        require("llama_cpp", "local")
        self.path = resolve_gguf(model)
        self.n_ctx = n_ctx or DEFAULT_N_CTX
        self.n_threads = n_threads or _usable_cores()
        self.n_gpu_layers = n_gpu_layers
        self.verbose = verbose
        if batch_size:
            self.batch_size = batch_size
        self._fingerprint = weights_fingerprint([self.path])

    def identity(self) -> dict[str, Any]:
        # the file's name and content, not its path: the alias and a path to the same file
        # share cache entries, and no home directory ends up in a key
        return {"provider": self.provider, "file": self.path.name, "sha": self._fingerprint}

    def load_engine(self) -> Any:
        import llama_cpp

        try:
            return llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_gpu_layers=self.n_gpu_layers,
                verbose=self.verbose,
            )
        except ValueError as exc:  # llama-cpp-python's "Failed to load model from file"
            raise FalseRejectError(f"llama.cpp could not load {self.path}: {exc}") from None

    def run_batch(
        self, engine: Any, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        return [self._one(engine, messages, config) for messages, config in batch]

    def _one(self, engine: Any, messages: Messages, config: GenerateConfig) -> ChatResult:
        params = completion_params(engine, config)
        start = time.perf_counter()
        try:
            response = engine.create_chat_completion(messages=messages, **params)
        except (ValueError, RuntimeError) as exc:
            # e.g. a prompt longer than n_ctx: this request fails, the run goes on
            return ChatResult(error=f"llama.cpp: {exc}", latency_s=time.perf_counter() - start)
        latency = time.perf_counter() - start
        choice = response["choices"][0]
        text, reasoning = split_reasoning(choice["message"].get("content") or "")
        usage = response.get("usage") or {}
        return ChatResult(
            text=text,
            reasoning=reasoning,
            finish_reason=choice.get("finish_reason"),
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
            latency_s=latency,
        )

    def release_engine(self, engine: Any) -> None:
        engine.close()


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # honours taskset and container CPU sets (Linux)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def completion_params(engine: Any, config: GenerateConfig) -> dict[str, Any]:
    """`create_chat_completion` keyword arguments for a config; bad `-M` keys fail clearly."""
    params: dict[str, Any] = {}
    for field in ("temperature", "max_tokens", "top_p", "seed", "stop"):
        value = getattr(config, field)
        if value is not None:
            params[field] = value
    accepted = set(inspect.signature(engine.create_chat_completion).parameters) - _RESERVED
    unknown = sorted(set(config.extra) - accepted)
    if unknown:
        raise FalseRejectError(
            f"llamacpp does not take -M {', '.join(unknown)}; "
            f"it takes: {', '.join(sorted(accepted - set(GenerateConfig.model_fields)))}"
        )
    params.update(config.extra)
    return params


@modelapi("llamacpp")
def _factory(
    model: str, *, base_url: str | None = None, timeout: float | None = None, **kwargs: Any
) -> LlamaCppProvider:
    local_only("llamacpp", model, base_url)
    return LlamaCppProvider(model, **kwargs)
