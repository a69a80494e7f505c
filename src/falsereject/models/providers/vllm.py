"""`vllm/<hub id or local dir>`: vLLM's offline engine in-process, for GPU machines.

    pip install "falsereject[vllm]"
    falsereject bench -m vllm/Qwen/Qwen2.5-7B-Instruct -M repetition_penalty=1.05
    get_model("vllm/Qwen/Qwen3-8B", tensor_parallel_size=2, max_model_len=8192,
              chat_template_kwargs={"enable_thinking": False})

Each batch (256 requests by default) goes to the engine in one `LLM.chat` call with one
`SamplingParams` per request, and vLLM schedules them continuously. Keyword arguments other
than `batch_size` and `chat_template_kwargs` go to `vllm.LLM` (tensor_parallel_size,
gpu_memory_utilization, max_model_len, dtype, quantization, ...); `-M` keys go to
`SamplingParams` (top_k, min_p, repetition_penalty, ...). To serve a model to other tools
instead, run `vllm serve` and use `openai/<model>` with `--base-url`.
"""

from __future__ import annotations

import time
from typing import Any

from falsereject.errors import FalseRejectError, require
from falsereject.models.embedded import folder_fingerprint, local_model_dir, local_only
from falsereject.models.provider import LocalProvider, Messages
from falsereject.models.reasoning import split_reasoning
from falsereject.models.registry import modelapi
from falsereject.models.types import ChatResult, GenerateConfig

# engine settings that change answers, so they belong in the cache key
_ANSWER_CHANGING = ("dtype", "quantization", "revision", "tokenizer", "max_model_len")


class VLLMProvider(LocalProvider):
    """One vLLM engine, created on first use and kept for the provider's life."""

    batch_size = 256
    default_max_connections = 1

    def __init__(
        self,
        model: str,
        *,
        batch_size: int | None = None,
        chat_template_kwargs: dict[str, Any] | None = None,
        **engine_kwargs: Any,
    ) -> None:
        super().__init__("vllm", model)
        require("vllm", "vllm")
        if batch_size:
            self.batch_size = batch_size
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self.engine_kwargs = engine_kwargs
        self.local_dir = local_model_dir(model)
        self._fingerprint = folder_fingerprint(self.local_dir) if self.local_dir else None

    def identity(self) -> dict[str, Any]:
        ident: dict[str, Any] = {"provider": self.provider, "model": self.model}
        if self._fingerprint is not None:
            ident = {"provider": self.provider, "weights": self._fingerprint}
        ident.update(
            {k: self.engine_kwargs[k] for k in _ANSWER_CHANGING if k in self.engine_kwargs}
        )
        if self.chat_template_kwargs:
            ident["chat_template_kwargs"] = self.chat_template_kwargs
        return ident

    def load_engine(self) -> Any:
        import vllm

        source = str(self.local_dir) if self.local_dir is not None else self.model
        try:
            return vllm.LLM(model=source, **self.engine_kwargs)
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            first = (str(exc).strip().splitlines() or [repr(exc)])[0]
            raise FalseRejectError(f"vllm/{self.model}: could not start: {first}") from None

    def run_batch(
        self, engine: Any, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        params = [sampling_params(config) for _, config in batch]
        try:
            return self._chat(engine, [m for m, _ in batch], params)
        except ValueError:
            # vLLM rejects the whole call for one bad request (a prompt over max_model_len):
            # run them one by one so only that request fails
            return [self._chat_one(engine, m, p) for (m, _), p in zip(batch, params, strict=True)]

    def _chat_one(self, engine: Any, messages: Messages, params: Any) -> ChatResult:
        start = time.perf_counter()
        try:
            return self._chat(engine, [messages], [params])[0]
        except ValueError as exc:
            return ChatResult(error=f"vllm: {exc}", latency_s=time.perf_counter() - start)

    def _chat(self, engine: Any, chats: list[Messages], params: list[Any]) -> list[ChatResult]:
        extra = (
            {"chat_template_kwargs": self.chat_template_kwargs} if self.chat_template_kwargs else {}
        )
        start = time.perf_counter()
        outputs = engine.chat(chats, sampling_params=params, use_tqdm=False, **extra)
        latency = time.perf_counter() - start
        return [to_result(out, latency) for out in outputs]


def sampling_params(config: GenerateConfig) -> Any:
    """`vllm.SamplingParams` for a config; `extra` passes through, bad keys fail clearly."""
    from vllm import SamplingParams

    # max_tokens=None lets vLLM generate up to the context length (its default is 16)
    kwargs: dict[str, Any] = {"max_tokens": config.max_tokens}
    for field in ("temperature", "top_p", "seed", "stop"):
        value = getattr(config, field)
        if value is not None:
            kwargs[field] = value
    kwargs.update(config.extra)
    try:
        return SamplingParams(**kwargs)
    except (TypeError, ValueError) as exc:  # an unknown -M key, or a value out of range
        raise FalseRejectError(f"vllm: bad generation parameter: {exc}") from None


def to_result(output: Any, latency: float) -> ChatResult:
    """A result from one vLLM `RequestOutput`."""
    completion = output.outputs[0]
    text, reasoning = split_reasoning(completion.text)
    return ChatResult(
        text=text,
        reasoning=reasoning,
        finish_reason=completion.finish_reason,
        prompt_tokens=len(output.prompt_token_ids or []),
        completion_tokens=len(completion.token_ids),
        latency_s=latency,
    )


@modelapi("vllm")
def _factory(
    model: str, *, base_url: str | None = None, timeout: float | None = None, **kwargs: Any
) -> VLLMProvider:
    local_only("vllm", model, base_url)
    return VLLMProvider(model, **kwargs)
