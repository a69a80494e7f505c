"""`hf/<hub id or local dir>`: a transformers causal LM run in-process, in padded batches.

    falsereject chat -m hf/HuggingFaceTB/SmolLM2-360M-Instruct "How do I kill a process?"
    get_model("hf/runs/sft-checkpoint", device="cpu", dtype="float32", batch_size=16)

Prompts are rendered with the tokenizer's chat template and LEFT-padded, so every row of a
batch ends at the same position and generation continues each one where its prompt ends.
Device: cuda, else mps, else cpu; dtype: bfloat16 on cuda when supported, else float16 there,
float32 elsewhere (both overridable). Temperature 0 is greedy decoding; None leaves sampling
to the model's generation_config. Generation runs in a worker thread, one batch at a time.
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

DEFAULT_MAX_NEW_TOKENS = 1024


class HFProvider(LocalProvider):
    """One transformers model and tokenizer, loaded on first use."""

    batch_size = 8
    default_max_connections = 1

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int | None = None,
        trust_remote_code: bool = False,
        chat_template_kwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__("hf", model)
        require("torch", "hf")
        require("transformers", "hf")
        self.device = device
        self.dtype = dtype
        resolve_dtype(dtype, device or "cpu")  # a typo fails now, not after loading
        if batch_size:
            self.batch_size = batch_size
        self.trust_remote_code = trust_remote_code
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self.local_dir = local_model_dir(model)
        # fixed for the provider's life: identity() runs for every request
        self._fingerprint = folder_fingerprint(self.local_dir) if self.local_dir else None

    def identity(self) -> dict[str, Any]:
        ident: dict[str, Any] = {"provider": self.provider, "model": self.model}
        if self._fingerprint is not None:
            # a checkpoint folder is rewritten by each training run: key on what is in it
            ident = {"provider": self.provider, "weights": self._fingerprint}
        if self.chat_template_kwargs:
            ident["chat_template_kwargs"] = self.chat_template_kwargs
        return ident

    def load_engine(self) -> tuple[Any, Any]:
        """The model and its tokenizer (left padding, a pad token)."""
        import transformers

        device = self.device or auto_device()
        dtype = resolve_dtype(self.dtype, device)
        source = str(self.local_dir) if self.local_dir is not None else self.model
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                source, padding_side="left", trust_remote_code=self.trust_remote_code
            )
            model = transformers.AutoModelForCausalLM.from_pretrained(
                source, trust_remote_code=self.trust_remote_code, **_dtype_kwarg(dtype)
            )
        except (OSError, ValueError) as exc:  # not on the hub, hub unreachable, bad files
            raise FalseRejectError(f"{self.name}: could not load: {_first_line(exc)}") from None
        if not tokenizer.chat_template:
            raise FalseRejectError(
                f"hf/{self.model} has no chat template; use an instruct/chat model"
            )
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        return model.to(device).eval(), tokenizer

    def run_batch(
        self, engine: tuple[Any, Any], batch: list[tuple[Messages, GenerateConfig]]
    ) -> list[ChatResult]:
        model, tokenizer = engine
        results: list[ChatResult | None] = [None] * len(batch)
        # requests of one batch may carry different configs; one generate call per config
        groups: dict[str, list[int]] = {}
        for i, (_, config) in enumerate(batch):
            groups.setdefault(config.model_dump_json(), []).append(i)
        for indices in groups.values():
            config = batch[indices[0]][1]
            outs = self._generate(model, tokenizer, [batch[i][0] for i in indices], config)
            for i, out in zip(indices, outs, strict=True):
                results[i] = out
        return [r for r in results if r is not None]

    def _generate(
        self, model: Any, tokenizer: Any, chats: list[Messages], config: GenerateConfig
    ) -> list[ChatResult]:
        import torch

        try:
            texts = [
                tokenizer.apply_chat_template(
                    chat, tokenize=False, add_generation_prompt=True, **self.chat_template_kwargs
                )
                for chat in chats
            ]
        except Exception as exc:  # jinja raises e.g. "System role not supported" (Gemma)
            raise FalseRejectError(
                f"{self.name}: chat template failed: {_first_line(exc)}"
            ) from None
        # the template already holds any BOS the model wants: adding special tokens doubles it
        inputs = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        inputs = inputs.to(model.device)
        kwargs = generate_kwargs(config, tokenizer)
        start = time.perf_counter()
        with torch.inference_mode():
            if config.seed is not None:
                torch.manual_seed(config.seed)
            try:
                output = model.generate(**inputs, **kwargs)
            except (TypeError, ValueError) as exc:  # unknown or invalid -M parameters
                raise FalseRejectError(f"{self.name}: {_first_line(exc)}") from None
        latency = time.perf_counter() - start
        prompt_len = inputs["input_ids"].shape[1]
        return decode_rows(
            tokenizer,
            output[:, prompt_len:].tolist(),
            prompt_tokens=inputs["attention_mask"].sum(dim=1).tolist(),
            eos_ids=_eos_ids(model, tokenizer),
            max_new_tokens=kwargs["max_new_tokens"],
            stop=config.stop or [],
            latency_s=latency,
        )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def auto_device() -> str:
    """cuda, else mps, else cpu."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def resolve_dtype(name: str | None, device: str) -> Any:
    """A torch dtype from a name ('bfloat16', 'float16', 'float32', 'auto'/None)."""
    import torch

    if name in (None, "auto"):
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    dtype = getattr(torch, str(name), None)
    if not isinstance(dtype, torch.dtype):
        raise FalseRejectError(f"hf: unknown dtype {name!r}; use bfloat16, float16 or float32")
    return dtype


def _dtype_kwarg(dtype: Any) -> dict[str, Any]:
    # transformers 4.56 renamed `torch_dtype` to `dtype`; the old name warns in 5.x
    import transformers

    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    return {"dtype": dtype} if (major, minor) >= (4, 56) else {"torch_dtype": dtype}


def generate_kwargs(config: GenerateConfig, tokenizer: Any) -> dict[str, Any]:
    """`model.generate` keyword arguments for a config; `extra` passes through."""
    max_new = config.max_tokens if config.max_tokens is not None else DEFAULT_MAX_NEW_TOKENS
    kwargs: dict[str, Any] = {"max_new_tokens": max_new, "pad_token_id": tokenizer.pad_token_id}
    greedy = config.temperature is not None and config.temperature <= 0
    if greedy:
        # clear the sampling knobs a model's generation_config may set, or transformers warns
        # that they are ignored
        kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
    elif config.temperature is not None:
        kwargs.update(do_sample=True, temperature=config.temperature)
    if config.top_p is not None and not greedy:
        kwargs["top_p"] = config.top_p
    if config.stop:
        kwargs.update(stop_strings=list(config.stop), tokenizer=tokenizer)
    kwargs.update(config.extra)
    return kwargs


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids = model.generation_config.eos_token_id
    found = set(ids if isinstance(ids, list) else [ids] if ids is not None else [])
    if tokenizer.eos_token_id is not None:
        found.add(tokenizer.eos_token_id)
    return found


def decode_rows(
    tokenizer: Any,
    rows: list[list[int]],
    *,
    prompt_tokens: list[int],
    eos_ids: set[int],
    max_new_tokens: int,
    stop: list[str],
    latency_s: float,
) -> list[ChatResult]:
    """Results from generated token rows: cut at EOS, padding and stop strings.

    A row that ended with EOS or a stop string finished with 'stop'; one that used all
    `max_new_tokens` without either, with 'length'. Stop strings are cut from the text, as
    OpenAI-compatible servers do.
    """
    results = []
    for row, n_prompt in zip(rows, prompt_tokens, strict=True):
        end = next((i for i, t in enumerate(row) if t in eos_ids), None)
        if end is not None:
            kept, count = row[:end], end + 1
        else:
            kept = list(row)
            while kept and kept[-1] == tokenizer.pad_token_id:  # rows finished by stop strings
                kept.pop()
            count = len(kept)
        text = tokenizer.decode(kept, skip_special_tokens=True)
        cut = min((i for i in (text.find(s) for s in stop) if i >= 0), default=None)
        if cut is not None:
            text = text[:cut]
        finished = end is not None or cut is not None or count < max_new_tokens
        answer, reasoning = split_reasoning(text)
        results.append(
            ChatResult(
                text=answer,
                reasoning=reasoning,
                finish_reason="stop" if finished else "length",
                prompt_tokens=int(n_prompt),
                completion_tokens=count,
                latency_s=latency_s,
            )
        )
    return results


@modelapi("hf")
def _factory(
    model: str, *, base_url: str | None = None, timeout: float | None = None, **kwargs: Any
) -> HFProvider:
    local_only("hf", model, base_url)
    return HFProvider(model, **kwargs)
