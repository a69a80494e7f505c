"""Model providers register by name; `provider/model` strings resolve to them.

A provider module is imported only when its name is used, so `import falsereject` never loads
openai, torch, transformers, llama_cpp or vllm.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from falsereject.errors import FalseRejectError

if TYPE_CHECKING:
    from falsereject.models.provider import Provider

# provider name -> module that registers it (imported lazily)
_PROVIDER_MODULES: dict[str, str] = {
    "openai": "falsereject.models.providers.openai_api",
    "llamacpp": "falsereject.models.providers.llamacpp",
    "hf": "falsereject.models.providers.hf",
    "vllm": "falsereject.models.providers.vllm",
}
_FACTORIES: dict[str, Callable[..., Provider]] = {}


def modelapi(name: str) -> Callable[[Callable[..., Provider]], Callable[..., Provider]]:
    """Register a provider factory under `name` (decorator)."""

    def decorate(factory: Callable[..., Provider]) -> Callable[..., Provider]:
        _FACTORIES[name] = factory
        return factory

    return decorate


def split_model_name(name: str) -> tuple[str, str]:
    """`'openai/gpt-4o'` -> `('openai', 'gpt-4o')`, with a clear error for bad names."""
    provider, sep, model = name.partition("/")
    if not sep or not provider or not model:
        raise FalseRejectError(
            f"model name {name!r} must look like provider/model "
            f"(providers: {', '.join(sorted(_PROVIDER_MODULES))}), e.g. openai/gpt-4o-mini"
        )
    return provider, model


def create_provider(name: str, **kwargs: Any) -> Provider:
    """Build the provider for `provider/model`, importing its module on first use."""
    provider, model = split_model_name(name)
    if provider not in _FACTORIES:
        module = _PROVIDER_MODULES.get(provider)
        if module is None:
            raise FalseRejectError(
                f"unknown model provider {provider!r} in {name!r}; "
                f"known: {', '.join(sorted(_PROVIDER_MODULES))}"
            )
        importlib.import_module(module)
    return _FACTORIES[provider](model, **kwargs)


def known_providers() -> list[str]:
    """Names usable before the slash."""
    return sorted(_PROVIDER_MODULES)
