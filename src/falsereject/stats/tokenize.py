"""Word-and-punctuation tokens and integer n-gram ids shared by every diversity statistic.

    from falsereject.stats.tokenize import tokenize, encode
    tokenize("Don't panic!")           # ['don', "'", 't', 'panic', '!']

The split is nltk's `wordpunct_tokenize` (the regex `\\w+|[^\\w\\s]+`), each token then
lower-cased, so Self-BLEU and Dist-n here equal what the usual nltk recipe gives without
making nltk a runtime dependency. Tokens are lower-cased after the split, not before: a few
characters (e.g. 'İ') lower-case into a letter plus a combining mark, which would split
differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from falsereject.errors import InputError

_TOKEN = re.compile(r"\w+|[^\w\s]+", re.UNICODE | re.MULTILINE | re.DOTALL)


def tokenize(text: str) -> list[str]:
    """Lower-cased `wordpunct_tokenize` tokens of one text."""
    return [token.lower() for token in _TOKEN.findall(text)]


@dataclass(frozen=True)
class Encoded:
    """A set of texts as one flat array of token ids.

    `tokens[offsets[d]:offsets[d + 1]]` are the token ids of text `d`; `doc` gives the text of
    every position.
    """

    tokens: np.ndarray
    offsets: np.ndarray
    doc: np.ndarray
    vocab_size: int

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def n_docs(self) -> int:
        return len(self.offsets) - 1


def encode(texts: Sequence[str]) -> Encoded:
    """Tokenize every text and map tokens to integer ids; empty texts raise `InputError`."""
    raw: list[str] = []
    lengths = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"prompt {i} is {type(text).__name__}, not text")
        tokens = _TOKEN.findall(text)
        if not tokens:
            raise InputError(f"prompt {i} is empty (no word or punctuation tokens): {text!r}")
        lengths[i] = len(tokens)
        raw.extend(tokens)
    # ids of the tokens as written, then lower-case each distinct token once: far fewer
    # lower() calls than one per token, and the dict lookups run in C through map()
    cased = _Vocabulary()
    cased_ids = np.fromiter(map(cased.__getitem__, raw), dtype=np.int64, count=len(raw))
    lower = _Vocabulary()
    to_lower = np.fromiter(
        (lower[token.lower()] for token in cased), dtype=np.int64, count=len(cased)
    )
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    return Encoded(to_lower[cased_ids], offsets, doc, len(lower))


class _Vocabulary(dict):
    """token -> id, giving each new token the next id on first lookup."""

    def __missing__(self, token: str) -> int:
        self[token] = len(self)
        return self[token]


def ngram_ids(encoded: Encoded, max_n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For n = 1..max_n: (gram id, text) of every n-gram that fits inside one text.

    Ids are exact (no hashing): the id of an n-gram is the rank of the pair (id of its first
    n-1 tokens, last token), so equal n-grams get equal ids and different ones never collide.
    """
    tokens, docs_all = encoded.tokens, encoded.doc
    starts = np.arange(len(tokens), dtype=np.int64)
    grams = tokens
    out = [(grams, docs_all)]
    for n in range(2, max_n + 1):
        # an (n-1)-gram starting at s extends to an n-gram when token s+n-1 is in the same text
        ends = starts + (n - 1)
        keep = ends < len(tokens)
        keep[keep] = docs_all[ends[keep]] == docs_all[starts[keep]]
        starts, ends = starts[keep], ends[keep]
        packed = grams[keep] * np.int64(max(encoded.vocab_size, 1)) + tokens[ends]
        _, grams = np.unique(packed, return_inverse=True)
        grams = grams.astype(np.int64, copy=False).reshape(-1)
        out.append((grams, docs_all[starts]))
    return out
