"""`openai/<model>`: the OpenAI API or any OpenAI-compatible server.

    falsereject bench --model openai/gpt-4o-mini
    falsereject bench --model openai/Qwen/Qwen3-8B --base-url http://localhost:8000/v1

The base URL comes from `base_url`, else `$OPENAI_BASE_URL`, else the OpenAI API. The key
comes from `$OPENAI_API_KEY`; servers on a custom base URL rarely check it, so a placeholder
is sent there when it is unset. The client's own retries are off: `Model` retries, and also
retries what the client does not (malformed or cut-off bodies, empty choices).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from typing import Any

from falsereject.errors import FalseRejectError, require
from falsereject.models.provider import Messages, Provider
from falsereject.models.reasoning import split_reasoning
from falsereject.models.registry import modelapi
from falsereject.models.retry import FatalModelError, PermanentError, TransientError
from falsereject.models.types import ChatResult, GenerateConfig
from falsereject.models.urls import public_url

DEFAULT_TIMEOUT = 120.0


def _retry_after(headers: Any) -> float | None:
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class OpenAIProvider(Provider):
    """Chat completions through the official async client, one request per call."""

    batch_size = 1
    default_max_connections = 16
    retryable = True

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float | None = None,
        api_key_env: str = "OPENAI_API_KEY",
    ) -> None:
        super().__init__("openai", model)
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get(api_key_env)
        if not key:
            if self.base_url is None:
                raise FalseRejectError(
                    f"openai/{model} needs an API key: set {api_key_env}, or point --base-url "
                    "(or OPENAI_BASE_URL) at an OpenAI-compatible server"
                )
            key = "EMPTY"  # local servers (vLLM, Ollama, llama.cpp) accept any key
        self._api_key = key
        self.timeout = timeout or DEFAULT_TIMEOUT
        self._clients: dict[int, Any] = {}
        require("openai", "openai", pip="pip install openai")

    def identity(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": public_url(self.base_url),
        }

    def _client(self) -> Any:
        # httpx clients are bound to the loop they first ran on: keep one per loop.
        loop = id(asyncio.get_running_loop())
        client = self._clients.get(loop)
        if client is None:
            import openai

            client = openai.AsyncOpenAI(
                api_key=self._api_key, base_url=self.base_url, timeout=self.timeout, max_retries=0
            )
            self._clients[loop] = client
        return client

    async def generate_batch(
        self, batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        return [await self._one(messages, config) for messages, config in batch]

    async def _one(self, messages: Messages, config: GenerateConfig) -> ChatResult:
        import openai

        params: dict[str, Any] = {"model": self.model, "messages": messages}
        for field in ("temperature", "max_tokens", "top_p", "seed", "stop"):
            value = getattr(config, field)
            if value is not None:
                params[field] = value
        known = {
            "frequency_penalty",
            "presence_penalty",
            "logit_bias",
            "n",
            "reasoning_effort",
            "max_completion_tokens",
            "response_format",
            "logprobs",
            "top_logprobs",
        }
        extra_body = {k: v for k, v in config.extra.items() if k not in known}
        params.update({k: v for k, v in config.extra.items() if k in known})
        if extra_body:
            params["extra_body"] = extra_body
        start = time.perf_counter()
        try:
            response = await self._client().chat.completions.create(**params)
        except openai.AuthenticationError as exc:
            raise FatalModelError(
                f"authentication failed ({exc.status_code}); check the API key"
            ) from None
        except openai.RateLimitError as exc:
            raise TransientError("429 rate limited", _retry_after(exc.response.headers)) from None
        except openai.APIStatusError as exc:
            if exc.status_code in (408, 409, 425) or exc.status_code >= 500:
                raise TransientError(
                    f"HTTP {exc.status_code}", _retry_after(exc.response.headers)
                ) from None
            raise PermanentError(f"HTTP {exc.status_code}: {_short(exc.message)}") from None
        except openai.APITimeoutError:
            raise TransientError(f"timed out after {self.timeout:g}s") from None
        except openai.APIConnectionError as exc:
            cause = exc.__cause__ or exc
            where = public_url(self.base_url) or "the OpenAI API"
            raise TransientError(f"connection error to {where}: {_short(str(cause))}") from None
        except openai.APIResponseValidationError as exc:
            raise TransientError(f"malformed response body: {_short(str(exc))}") from None
        except ValueError as exc:  # JSON decode errors of a garbled 200 body
            raise TransientError(f"malformed response body: {_short(str(exc))}") from None
        latency = time.perf_counter() - start
        return _to_result(response, latency)

    async def release_loop(self) -> None:
        client = self._clients.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            await client.close()

    async def aclose(self) -> None:
        clients, self._clients = self._clients, {}
        for client in clients.values():
            # a client whose loop is already closed has nothing left to release
            with contextlib.suppress(RuntimeError):
                await client.close()


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_result(response: Any, latency: float) -> ChatResult:
    """Turn a completion into a result; anything malformed is a transient error."""
    choices = getattr(response, "choices", None)
    if isinstance(response, (str, bytes)) or not choices:
        raise TransientError("malformed response body: no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    if message is None:
        raise TransientError("malformed response body: choice without message")
    content = message.content or ""
    extra = getattr(message, "model_extra", None) or {}
    field_reasoning = extra.get("reasoning_content") or extra.get("reasoning") or None
    text, reasoning = split_reasoning(
        content, field_reasoning if isinstance(field_reasoning, str) else None
    )
    usage = getattr(response, "usage", None)
    return ChatResult(
        text=text,
        reasoning=reasoning,
        finish_reason=getattr(choice, "finish_reason", None),
        prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        latency_s=latency,
    )


@modelapi("openai")
def _factory(model: str, **kwargs: Any) -> OpenAIProvider:
    return OpenAIProvider(model, **kwargs)
