"""The `hf/` provider on a tiny random Llama built at test time (see conftest.py): no hub.

.venv/bin/pytest tests/models/test_hf.py -q
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from falsereject.errors import FalseRejectError
from falsereject.models import CallCache, ChatRequest, GenerateConfig, Model, get_model

pytest.importorskip("torch", reason="needs torch (pip install 'falsereject[hf]')")
pytest.importorskip("transformers", reason="needs transformers (pip install 'falsereject[hf]')")

pytestmark = [pytest.mark.torch, pytest.mark.slow]

PROMPTS = [
    "hi",
    "Tell me a long story about a dragon who lived in a cave under the old mountain",
    "What is 2+2?",
    "How do I kill a Python process that ignores Ctrl-C on Linux?",
]


def tiny(folder: Path, max_tokens: int = 10, **kwargs) -> Model:
    return get_model(
        f"hf/{folder}",
        cache=False,
        config=GenerateConfig(temperature=0, max_tokens=max_tokens),
        device="cpu",
        **kwargs,
    )


def test_batched_answers_equal_answers_generated_alone(tiny_llama_dir: Path) -> None:
    # Left padding done right leaves each row's greedy answer unchanged by its neighbours.
    model = tiny(tiny_llama_dir, batch_size=8)
    batched = model.generate_sync(PROMPTS)
    alone = [model.generate_sync([p])[0] for p in PROMPTS]

    assert [r.text for r in batched] == [r.text for r in alone]
    assert all(r.ok and r.text for r in batched)
    assert len({r.text for r in batched}) > 1, "the tiny model should answer prompts differently"
    assert [r.prompt_tokens for r in batched] == [r.prompt_tokens for r in alone]
    assert batched[1].prompt_tokens > batched[0].prompt_tokens  # real lengths, not padded ones


def test_max_tokens_and_length_finish(tiny_llama_dir: Path) -> None:
    results = tiny(tiny_llama_dir, max_tokens=7).generate_sync(PROMPTS[:2])
    assert [r.completion_tokens for r in results] == [7, 7]
    assert [r.finish_reason for r in results] == ["length", "length"]


def test_stop_string_cuts_the_answer(tiny_llama_dir: Path) -> None:
    model = tiny(tiny_llama_dir, max_tokens=12)
    [full] = model.generate_sync([PROMPTS[1]])
    word = full.text.split()[2]
    config = GenerateConfig(temperature=0, max_tokens=12, stop=[word])
    [cut] = model.generate_sync([ChatRequest.user(PROMPTS[1], config=config)])

    assert cut.text == full.text[: full.text.index(word)].strip()
    assert cut.finish_reason == "stop"
    assert cut.completion_tokens < 12


def test_sampling_with_a_seed_repeats(tiny_llama_dir: Path) -> None:
    model = tiny(tiny_llama_dir)

    def sample(seed: int) -> str:
        config = GenerateConfig(temperature=1.0, max_tokens=10, seed=seed)
        return model.generate_sync([ChatRequest.user("hi", config=config)])[0].text

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)


def test_cache_follows_the_weights_not_the_folder(
    tiny_llama_dir: Path, tmp_path: Path, cache_dir: Path
) -> None:
    # A checkpoint folder rewritten by a new training run must not serve stale answers.
    folder = tmp_path / "ckpt"
    shutil.copytree(tiny_llama_dir, folder)
    config = GenerateConfig(max_tokens=5)

    def ask() -> bool:
        model = get_model(f"hf/{folder}", config=config, cache_dir=str(cache_dir), device="cpu")
        return model.generate_sync(["hi"])[0].cached

    assert ask() is False
    assert ask() is True
    import torch
    from transformers import AutoModelForCausalLM

    retrained = AutoModelForCausalLM.from_pretrained(folder)
    with torch.no_grad():
        retrained.lm_head.weight.mul_(-1.0)
    retrained.save_pretrained(folder)
    assert ask() is False
    assert CallCache(cache_dir).stats()["entries"] == 2


def test_bad_dtype_params_and_folder_are_one_line_errors(
    tiny_llama_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(FalseRejectError, match="unknown dtype 'float99'"):
        tiny(tiny_llama_dir, dtype="float99")
    bad = GenerateConfig(max_tokens=4, extra={"top_kk": 3})
    with pytest.raises(FalseRejectError, match=r"^hf/.*top_kk"):
        tiny(tiny_llama_dir).generate_sync([ChatRequest.user("hi", config=bad)])
    missing = tmp_path / "runs" / "sft"
    with pytest.raises(FalseRejectError, match=f"{missing}: no such model folder"):
        get_model(f"hf/{missing}", cache=False)
