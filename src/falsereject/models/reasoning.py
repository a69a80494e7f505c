"""Split reasoning ("thinking") text from the final answer.

Servers return reasoning in three ways: a separate `reasoning_content` field (vLLM, SGLang,
DeepSeek), a `reasoning` field (OpenRouter, Ollama), or inline as `<think>...</think>` at the
start of the content (Qwen3, DeepSeek-R1 distills served raw). The judge must only see the
answer, and the run keeps the reasoning beside it.
"""

from __future__ import annotations

import re

_THINK = re.compile(r"^\s*<think>(.*?)(?:</think>|$)(.*)$", re.DOTALL)
_ORPHAN_CLOSE = re.compile(r"^(.*?)</think>(.*)$", re.DOTALL)


def split_reasoning(text: str, reasoning: str | None = None) -> tuple[str, str | None]:
    """Return (answer, reasoning) from a completion's text and optional reasoning field.

    An unclosed `<think>` means the model ran out of tokens while thinking: everything is
    reasoning and the answer is empty. A lone `</think>` (templates that open the tag in the
    prompt) splits at the tag.
    """
    text = text or ""
    match = _THINK.match(text)
    if match is None and "<think>" not in text:
        match = _ORPHAN_CLOSE.match(text)
    if match is None:
        return text.strip(), (reasoning or None)
    inline, answer = match.group(1).strip(), match.group(2).strip()
    parts = [p for p in (reasoning, inline) if p]
    return answer, ("\n\n".join(parts) if parts else None)
