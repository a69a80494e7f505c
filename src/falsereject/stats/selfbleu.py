"""Self-BLEU of a prompt set, exact and fast: equal to nltk's recipe, in O(n log n).

    from falsereject.stats import self_bleu
    self_bleu(prompts)                       # mean over every prompt as hypothesis
    self_bleu(prompts, sample=1000, seed=0)  # 1,000 hypotheses, references stay the whole set

The recipe (lower Self-BLEU = more diverse): each prompt is the hypothesis and all *other*
prompts of the set are its references; BLEU-4 with uniform weights, nltk's
`SmoothingFunction().method1` (epsilon 0.1 added to a zero numerator), brevity penalty from
the closest reference length (ties go to the shorter one), on lower-cased `wordpunct_tokenize`
tokens; the set's score is the mean. Each hypothesis scores exactly what nltk's
`sentence_bleu(others, hyp, smoothing_function=SmoothingFunction().method1)` returns.

Why it is fast: a hypothesis' clipped count for an n-gram needs only the largest count of that
n-gram among the other prompts, which is the largest count over the whole set unless the
hypothesis holds it, and then the second largest. So one pass over the (n-gram, prompt) counts
replaces the all-pairs comparison. The closest reference length comes from the sorted lengths
with the hypothesis itself left out.

A set of one prompt has no references: its Self-BLEU is NaN (nltk raises there).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from falsereject.stats.tokenize import Encoded, encode, ngram_ids

MAX_ORDER = 4
EPSILON = 0.1  # nltk SmoothingFunction().method1 default


def self_bleu(texts: Sequence[str], *, sample: int | None = None, seed: int = 0) -> float:
    """Mean Self-BLEU of `texts` (NaN for fewer than two); `sample` scores that many hypotheses."""
    scores = self_bleu_scores(texts)
    return mean_of_sample(scores, sample=sample, seed=seed)


def self_bleu_scores(texts: Sequence[str]) -> np.ndarray:
    """The BLEU-4 of every text against all the others, in input order."""
    encoded = encode(texts)
    return scores_from_grams(encoded, ngram_ids(encoded, MAX_ORDER))


def mean_of_sample(scores: np.ndarray, *, sample: int | None, seed: int) -> float:
    """Mean of `scores`, or of `sample` of them drawn without replacement with `seed`."""
    if len(scores) == 0:
        return float("nan")
    if sample is not None:
        if sample < 1:
            raise ValueError(f"sample must be at least 1, got {sample}")
        if sample < len(scores):
            rng = np.random.default_rng(seed)
            scores = scores[np.sort(rng.choice(len(scores), size=sample, replace=False))]
    return float(np.mean(scores))


def scores_from_grams(encoded: Encoded, grams: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Per-text Self-BLEU from the n-gram ids of `ngram_ids(encoded, 4)`."""
    n_docs = encoded.n_docs
    if n_docs < 2:
        return np.full(n_docs, np.nan)
    lengths = encoded.lengths
    log_precision = np.zeros(n_docs)
    unigram_matches = None
    for order, (gram, doc) in enumerate(grams[:MAX_ORDER], 1):
        matches = _clipped_matches(gram, doc, n_docs)
        if order == 1:
            unigram_matches = matches
        # nltk: the denominator is at least 1 even when the text has no n-gram of this order
        total = np.maximum(lengths - order + 1, 1).astype(np.float64)
        precision = np.where(matches > 0, matches, EPSILON) / total
        log_precision += np.log(precision) / MAX_ORDER
    ref_len = closest_other_length(lengths)
    # nltk: penalty 1 when the hypothesis is longer than its closest reference
    penalty = np.where(lengths > ref_len, 1.0, np.exp(1.0 - ref_len / lengths))
    scores = penalty * np.exp(log_precision)
    # nltk returns 0 outright when no unigram matches, before any smoothing
    return np.where(unigram_matches > 0, scores, 0.0)


def _clipped_matches(gram: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    """Per text: sum over its n-grams of min(own count, largest count in any other text)."""
    if len(gram) == 0:
        return np.zeros(n_docs)
    pair, count = np.unique(gram * np.int64(n_docs) + doc, return_counts=True)
    pair_gram, pair_doc = pair // n_docs, pair % n_docs
    # pairs come sorted by n-gram: per n-gram, the largest count, the first text holding it,
    # and the largest count once that one text is left out (the second largest, or a tie)
    starts = np.flatnonzero(np.r_[True, pair_gram[1:] != pair_gram[:-1]])
    top = np.maximum.reduceat(count, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(pair)]))
    tops = np.flatnonzero(count == top[group])
    first_top = tops[np.r_[True, group[tops[1:]] != group[tops[:-1]]]]  # one per n-gram
    top_doc = pair_doc[first_top]
    rest = count.copy()
    rest[first_top] = 0
    second = np.maximum.reduceat(rest, starts)
    others_max = np.where(top_doc[group] == pair_doc, second[group], top[group])
    clipped = np.minimum(count, others_max)
    return np.bincount(pair_doc, weights=clipped, minlength=n_docs)


def closest_other_length(lengths: np.ndarray) -> np.ndarray:
    """Per text: the length among the *other* texts closest to its own, the shorter on ties."""
    values, counts = np.unique(lengths, return_counts=True)
    at = np.searchsorted(values, lengths)
    # another text of the same length is at distance 0
    shared = counts[at] >= 2
    below = np.where(at > 0, values[np.maximum(at - 1, 0)], -1)
    above = np.where(at + 1 < len(values), values[np.minimum(at + 1, len(values) - 1)], -1)
    below_gap = np.where(below >= 0, lengths - below, np.iinfo(np.int64).max)
    above_gap = np.where(above >= 0, above - lengths, np.iinfo(np.int64).max)
    nearest = np.where(below_gap <= above_gap, below, above)
    return np.where(shared, lengths, nearest).astype(np.float64)
