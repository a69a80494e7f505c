"""The `vllm/` provider: its error paths everywhere, the engine itself only on a CUDA machine.

.venv/bin/pytest tests/models/test_vllm.py -q
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from falsereject.errors import FalseRejectError, MissingExtraError
from falsereject.models import ChatRequest, GenerateConfig, Model, get_model


def _gpu_ready() -> str | None:
    """Why the engine tests cannot run here, or None when they can."""
    if importlib.util.find_spec("vllm") is None:
        return "vllm is not installed (pip install 'falsereject[vllm]'; it needs a CUDA GPU)"
    import torch

    if not torch.cuda.is_available():
        return "vllm is installed but no CUDA GPU is visible"
    return None


SKIP_GPU = _gpu_ready()
needs_gpu = pytest.mark.skipif(SKIP_GPU is not None, reason=SKIP_GPU or "")


def test_missing_vllm_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules is how Python itself spells "this module cannot be imported"
    monkeypatch.setitem(sys.modules, "vllm", None)
    with pytest.raises(MissingExtraError) as caught:
        get_model("vllm/Qwen/Qwen2.5-0.5B-Instruct")
    assert str(caught.value) == 'vllm is not installed; run: pip install "falsereject[vllm]"'


def test_base_url_is_refused_for_an_in_process_engine() -> None:
    with pytest.raises(FalseRejectError, match="--base-url is for openai/ models"):
        get_model("vllm/Qwen/Qwen2.5-0.5B-Instruct", base_url="http://127.0.0.1:8000/v1")


@pytest.fixture(scope="module")
def tiny_vllm(tiny_llama_dir: Path) -> Model:
    from falsereject.models.providers.vllm import VLLMProvider

    provider = VLLMProvider(
        str(tiny_llama_dir), gpu_memory_utilization=0.2, max_model_len=512, enforce_eager=True
    )
    return Model(provider, cache=None, config=GenerateConfig(temperature=0, max_tokens=8))


@pytest.mark.gpu
@needs_gpu
def test_engine_batch_in_order_with_counts(tiny_vllm: Model) -> None:
    prompts = ["hi", "Tell me a long story about a dragon who lived in a cave", "What is 2+2?"]
    results = tiny_vllm.generate_sync(prompts)
    alone = [tiny_vllm.generate_sync([p])[0] for p in prompts]
    assert [r.prompt_tokens for r in results] == [r.prompt_tokens for r in alone]
    assert results[1].prompt_tokens > results[0].prompt_tokens
    assert all(r.ok and r.completion_tokens == 8 for r in results)
    assert {r.finish_reason for r in results} == {"length"}


@pytest.mark.gpu
@needs_gpu
def test_engine_stop_seed_and_bad_params(tiny_vllm: Model) -> None:
    [full] = tiny_vllm.generate_sync(["hi"])
    word = full.text.split()[1]
    stop = GenerateConfig(temperature=0, max_tokens=8, stop=[word])
    [cut] = tiny_vllm.generate_sync([ChatRequest.user("hi", config=stop)])
    assert word not in cut.text and cut.finish_reason == "stop"

    sampled = GenerateConfig(temperature=1.0, max_tokens=8, seed=3)
    first = tiny_vllm.generate_sync([ChatRequest.user("hi", config=sampled)])
    again = tiny_vllm.generate_sync([ChatRequest.user("hi", config=sampled)])
    assert first[0].text == again[0].text

    bad = GenerateConfig(max_tokens=4, extra={"top_kk": 3})
    with pytest.raises(FalseRejectError, match="vllm: bad generation parameter"):
        tiny_vllm.generate_sync([ChatRequest.user("hi", config=bad)])
