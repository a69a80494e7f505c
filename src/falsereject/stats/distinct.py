"""Dist-n: distinct n-grams over total n-grams of a whole prompt set (higher = more diverse).

    from falsereject.stats import distinct_n
    distinct_n(prompts, 2)   # Dist-2

Same tokens as Self-BLEU (lower-cased `wordpunct_tokenize`); n-grams never cross prompts.
A set with no n-gram of that order (every prompt shorter than n tokens) has Dist-n NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from falsereject.stats.tokenize import encode, ngram_ids


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Distinct n-grams / total n-grams over all `texts`."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    gram, _ = ngram_ids(encode(texts), n)[n - 1]
    return distinct_from_ids(gram)


def distinct_from_ids(gram: np.ndarray) -> float:
    """Dist-n from the n-gram ids of every position (from `ngram_ids`)."""
    if len(gram) == 0:
        return float("nan")
    return len(np.unique(gram)) / len(gram)
