"""`PromptRecord`: one prompt of any over-refusal set, with FalseReject's field names."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

PromptLabel = Literal["benign", "harmful"]


class PromptRecord(BaseModel):
    """A prompt to send to the model under test.

    `label` says what a well-calibrated model should do: answer (`benign`) or decline
    (`harmful`). `category` is the set's own category id or name; `category_text` its
    readable name (FalseReject's 46 names, XSTest's types, ...).
    """

    id: str
    prompt: str
    category: str | None = None
    category_text: str | None = None
    label: PromptLabel = "benign"
    source: str = "custom"
    metadata: dict[str, Any] = Field(default_factory=dict)
