"""Near-duplicate prompts: MinHash over word shingles with LSH banding, verified exactly.

    from falsereject.stats import find_near_duplicates, dedupe
    find_near_duplicates(prompts, threshold=0.8)   # [(i, j, jaccard), ...] with i < j
    keep = dedupe(prompts, threshold=0.8)          # indices of the prompts to keep

A prompt's shingles are its runs of `shingle_size` consecutive tokens (lower-cased
`wordpunct_tokenize` tokens, as for Self-BLEU); a prompt shorter than that is one shingle.
Similarity is the Jaccard index of two shingle sets. MinHash signatures and LSH bands only
propose candidate pairs; every candidate is then scored by its exact Jaccard index, so each
reported pair truly reaches the threshold. The bands are chosen so that a pair exactly at the
threshold becomes a candidate with probability >= 99.5% (more for pairs above it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from falsereject.stats.tokenize import Encoded, encode, ngram_ids

RECALL_AT_THRESHOLD = 0.995
_MASK32 = np.uint64(0xFFFFFFFF)


def find_near_duplicates(
    texts: Sequence[str],
    threshold: float = 0.8,
    *,
    shingle_size: int = 3,
    num_perm: int = 128,
    seed: int = 0,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard), i < j, whose shingle sets have Jaccard index >= `threshold`."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if shingle_size < 1 or num_perm < 1:
        raise ValueError("shingle_size and num_perm must be at least 1")
    if len(texts) < 2:
        return []
    doc, shingle = shingles(encode(texts), shingle_size)
    signatures = _minhash(doc, shingle, len(texts), num_perm, seed)
    rows = _rows_per_band(threshold, num_perm)
    candidates = _candidates(signatures, rows, seed)
    return _verify(candidates, doc, shingle, len(texts), threshold)


def dedupe(texts: Sequence[str], threshold: float = 0.8, **options: int) -> list[int]:
    """Indices of `texts` to keep: the first of each near-duplicate group, in input order.

    A prompt is dropped when it is a near-duplicate of an earlier prompt that is kept.
    `options` go to `find_near_duplicates` (shingle_size, num_perm, seed).
    """
    later: dict[int, list[int]] = {}
    for i, j, _ in find_near_duplicates(texts, threshold, **options):
        later.setdefault(j, []).append(i)
    kept: list[int] = []
    dropped: set[int] = set()
    for j in range(len(texts)):
        if any(i not in dropped for i in later.get(j, ())):
            dropped.add(j)
        else:
            kept.append(j)
    return kept


def shingles(encoded: Encoded, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (text, shingle id) pairs, sorted by text; short texts are one whole shingle."""
    lengths = encoded.lengths
    grams = ngram_ids(encoded, size)
    docs, ids, base = [], [], 0
    for order, (gram, doc) in enumerate(grams, 1):
        # a text of `order` tokens, shorter than `size`, contributes its one n-gram of that order
        keep = slice(None) if order == size else lengths[doc] == order
        docs.append(doc[keep])
        ids.append(gram[keep] + base)
        base += int(gram.max()) + 1 if len(gram) else 0
    doc = np.concatenate(docs)
    shingle = np.concatenate(ids)
    pair = np.unique(doc * np.int64(base) + shingle)
    return pair // base, pair % base


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads integer ids over all 64 bits before hashing."""
    z = x.astype(np.uint64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _minhash(
    doc: np.ndarray, shingle: np.ndarray, n_docs: int, num_perm: int, seed: int
) -> np.ndarray:
    """(n_docs, num_perm) MinHash signatures; hash i is multiply-add-shift on mixed ids."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    mixed = _mix(shingle)
    starts = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    signatures = np.empty((n_docs, num_perm), dtype=np.uint32)
    for i in range(num_perm):
        hashed = ((mixed * a[i] + b[i]) >> np.uint64(32)) & _MASK32
        signatures[:, i] = np.minimum.reduceat(hashed, starts)
    return signatures


def _rows_per_band(threshold: float, num_perm: int) -> int:
    """Most rows per band that still make a pair at the threshold a candidate often enough."""
    best = 1
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= RECALL_AT_THRESHOLD:
            best = rows
    return best


def _candidates(signatures: np.ndarray, rows: int, seed: int) -> np.ndarray:
    """Packed pairs i * n + j (i < j) of texts that agree on a whole band of some band."""
    n_docs, num_perm = signatures.shape
    multipliers = np.random.default_rng(seed + 1).integers(
        1, 2**63, size=rows, dtype=np.uint64
    ) | np.uint64(1)
    found = []
    for start in range(0, num_perm - rows + 1, rows):
        band = signatures[:, start : start + rows].astype(np.uint64)
        key = (band * multipliers).sum(axis=1)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        group_start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        group_end = np.r_[group_start[1:], n_docs]
        end_of = np.repeat(group_end, group_end - group_start)
        pos = np.arange(n_docs)
        partners = end_of - pos - 1
        left = np.repeat(pos, partners)
        step = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
        i, j = order[left], order[left + 1 + step]
        found.append(np.minimum(i, j) * np.int64(n_docs) + np.maximum(i, j))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _verify(
    candidates: np.ndarray, doc: np.ndarray, shingle: np.ndarray, n_docs: int, threshold: float
) -> list[tuple[int, int, float]]:
    """Exact Jaccard of each candidate pair; keep those at or above the threshold."""
    if len(candidates) == 0:
        return []
    bounds = np.r_[0, np.cumsum(np.bincount(doc, minlength=n_docs))]
    sets: dict[int, frozenset[int]] = {}

    def shingle_set(d: int) -> frozenset[int]:
        if d not in sets:
            sets[d] = frozenset(shingle[bounds[d] : bounds[d + 1]].tolist())
        return sets[d]

    pairs = []
    for i, j in zip((candidates // n_docs).tolist(), (candidates % n_docs).tolist(), strict=True):
        a, b = shingle_set(i), shingle_set(j)
        jaccard = len(a & b) / len(a | b)
        if jaccard >= threshold:
            pairs.append((i, j, jaccard))
    return pairs
