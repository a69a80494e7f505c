"""Typed records that cross the model boundary: messages, generation settings, results.

Every provider takes a list of `ChatRequest` and returns one `ChatResult` per request, in
order. `GenerateConfig` holds the generation parameters; it is part of the cache key, so it
holds nothing that does not change the answer (no concurrency or batch knobs).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, every surrogate code point is lone

Role = Literal["system", "user", "assistant"]


class ChatMessage(BaseModel):
    """One chat turn, as in the OpenAI and TRL `messages` format."""

    model_config = ConfigDict(frozen=True)

    role: Role
    content: str


class GenerateConfig(BaseModel):
    """Generation parameters shared by every provider.

    `extra` carries provider-specific parameters (`-M key=value` on the CLI) and is passed
    through unchanged, e.g. `repetition_penalty` to vLLM or `top_k` to llama.cpp.
    """

    model_config = ConfigDict(frozen=True)

    temperature: float | None = Field(0.0, description="Sampling temperature; 0 is greedy.")
    max_tokens: int | None = Field(1024, description="Most tokens to generate.")
    top_p: float | None = Field(None, description="Nucleus sampling mass.")
    seed: int | None = Field(None, description="Sampling seed where the provider supports one.")
    stop: list[str] | None = Field(None, description="Stop sequences.")
    system_prompt: str | None = Field(None, description="System message put before each chat.")
    extra: dict[str, Any] = Field(default_factory=dict, description="Provider-specific params.")

    def merged(self, **changes: Any) -> GenerateConfig:
        """A copy with `changes` applied (None values are ignored)."""
        data = self.model_dump()
        data.update({k: v for k, v in changes.items() if v is not None})
        return GenerateConfig(**data)


class ChatRequest(BaseModel):
    """A chat to complete: the messages and, optionally, per-request settings."""

    model_config = ConfigDict(frozen=True)

    messages: list[ChatMessage]
    config: GenerateConfig | None = None

    @classmethod
    def user(cls, prompt: str, config: GenerateConfig | None = None) -> ChatRequest:
        """A single-turn request with one user message."""
        return cls(messages=[ChatMessage(role="user", content=prompt)], config=config)


class ChatResult(BaseModel):
    """What one request produced. `error` is set (and `text` empty) when the call failed."""

    text: str = ""
    reasoning: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    error: str | None = None
    cached: bool = False

    @field_validator("text", "reasoning")
    @classmethod
    def _no_lone_surrogates(cls, value: str | None) -> str | None:
        # A server can send "\ud800" in JSON; such a string cannot be stored as UTF-8 (cache,
        # JSONL, reports), so it becomes U+FFFD here, once, for every consumer.
        if value is None:
            return None
        return _SURROGATE.sub("\ufffd", value)

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error is None


def chat_messages(request: ChatRequest, config: GenerateConfig) -> list[dict[str, str]]:
    """The request's messages as plain dicts, with the config's system prompt prepended.

    A system prompt already present in the messages wins over the config's.
    """
    messages = [m.model_dump() for m in request.messages]
    if config.system_prompt and not any(m["role"] == "system" for m in messages):
        messages.insert(0, {"role": "system", "content": config.system_prompt})
    return messages
