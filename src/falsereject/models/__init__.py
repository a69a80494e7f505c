"""The model layer: `provider/model` names, one async batch interface, cache and retries.

    from falsereject.models import get_model, GenerateConfig
    model = get_model("openai/gpt-4o-mini", config=GenerateConfig(temperature=0))
    [result] = model.generate_sync(["Which household chemicals must never be mixed?"])

Providers: `openai/<model>` (any OpenAI-compatible server via `base_url`), `llamacpp/<gguf>`
(and `llamacpp/smollm2-135m`, the embedded model), `hf/<hub id or dir>`, `vllm/<model>`.
"""

from falsereject.models.cache import CallCache, default_cache_dir
from falsereject.models.model import Model, TooManyErrors, get_model, run_sync
from falsereject.models.provider import Provider
from falsereject.models.registry import known_providers, modelapi, split_model_name
from falsereject.models.retry import RetryPolicy
from falsereject.models.types import ChatMessage, ChatRequest, ChatResult, GenerateConfig
from falsereject.models.usage import Usage

__all__ = [
    "CallCache",
    "ChatMessage",
    "ChatRequest",
    "ChatResult",
    "GenerateConfig",
    "Model",
    "Provider",
    "RetryPolicy",
    "TooManyErrors",
    "Usage",
    "default_cache_dir",
    "get_model",
    "known_providers",
    "modelapi",
    "run_sync",
    "split_model_name",
]
