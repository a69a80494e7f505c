"""falsereject: measure and fix over-refusal in large language models.

Implements the FalseReject system (Zhang et al., COLM 2025, arXiv 2505.08054): an over-refusal
benchmark with judges and metrics, dataset statistics, and the model layer they share.
Importing this package is cheap: torch, transformers, vllm, llama_cpp and openai load only
when a provider that needs them is chosen.

    falsereject bench                      # the demo set on the embedded model, offline
    falsereject --help
"""

__version__ = "0.1.0"

from falsereject.errors import FalseRejectError, MissingExtraError

__all__ = ["FalseRejectError", "MissingExtraError", "__version__"]
