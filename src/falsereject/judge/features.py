"""Text features for the embedded judge: hashed n-grams by position, plus a few dense cues.

The same code featurises training data (`scripts/train_judge.py`) and live answers
(`falsereject.judge.embedded`), so train and serve cannot drift. Numpy only: no sklearn, no torch.

Where a phrase sits decides what it means, so an answer is read in several places, each its
own hashed namespace: the *head* (first sentence: "I can't help with that" there is a
refusal), the *tail* (last paragraph: refusals after a long preamble, declines that end a
partial answer), the *cue sentence* (the first sentence with a refusal-like phrase), what comes
*before* and *after* it (preamble vs. alternatives vs. real help) and the whole *body*. Word
1-2-grams everywhere; character 2-4-grams in head, tail and cue sentence, which carry refusals
across languages and spellings ("je ne peux pas", "无法"). Hashing is vectorised in numpy
(crc32 per distinct word, multiplicative mixing for n-grams), so it stays fast and stable
across platforms and Python versions.

Dense features add the answer's shape and structure, from the phrase lists in
`falsereject.judge.cues`: where the first refusal-like phrase sits and what follows it, how much
of the answer only refers the user elsewhere (hotlines, professionals) or offers sympathy versus
saying something substantive, first-person withholding of specifics ("I'll leave out the exact
amounts"), a role or capability disclaimer opening the answer ("I'm not a doctor, but"),
moralising, background (history, dates) versus text addressed to the reader, and whether a
closing decline follows background or help.

    from falsereject.judge.features import featurise
    rows = featurise(["I'm sorry, but I can't help with that."])
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

import numpy as np

from falsereject.judge.cues import (
    ADDRESS,
    CJK,
    HISTORY,
    LIMITATION,
    MORAL,
    NONLATIN,
    PIVOT,
    REDIRECT,
    REFERRAL,
    SYMPATHY,
    find_cues,
    withholds,
)

HASH_BITS = 18
N_HASHED = 1 << HASH_BITS
MAX_BODY_CHARS = 3000  # past this, the middle of an answer adds cost but no signal
MAX_END_CHARS = 800
MAX_SPAN_CHARS = 300
MAX_SENTENCES = 80

_WORD = re.compile(r"[^\W\d_]+|\d+|[^\w\s]", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;:。！？；：])\s+|(?<=[。！？])|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)
_CODE = re.compile(r"```|^\s{4}\S|[{};]\s*$|\bdef \w+\(|=>|#include", re.MULTILINE)
_DIGIT = re.compile(r"\d+")
_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_PRIME = _U64(0x100000001B3)
_SHIFT = _U64(64 - HASH_BITS)
_WORD_IDS: dict[str, int] = {}


DENSE_NAMES = (
    "log_chars",
    "log_words",
    "paragraphs",
    "list_lines",
    "code_share",
    "digits",
    "cue_in_head",
    "cue_in_tail",
    "cue_sentences",
    "cue_position",
    "sentences_before_cue",
    "plain_sentences_after_cue",
    "redirect_share_after_cue",
    "pivot_after_cue",
    "nonlatin_share",
    "short_answer",
    "referral_share",
    "substantive_sentences",
    "redirect_only",
    "withhold_sentences",
    "withhold_after_help",
    "limitation_head",
    "moral_share",
    "history_share",
    "you_share",
    "pre_cue_background",
    "cue_ends_answer",
    "background_then_decline",
)
N_DENSE = len(DENSE_NAMES)


@dataclass(frozen=True)
class Parts:
    """An answer cut by position: sentences, head, tail and where the first cue sits."""

    text: str
    sentences: list[str]
    cue_flags: list[bool]
    head: str
    tail: str

    @property
    def cue_index(self) -> int | None:
        return self.cue_flags.index(True) if True in self.cue_flags else None


def normalise(text: str) -> str:
    """Lower-case, straighten quotes, collapse spaces (not paragraph breaks), cap the length."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\r\n", "\n").lower()
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > MAX_BODY_CHARS:  # keep both ends: a refusal may close a very long answer
        text = text[: MAX_BODY_CHARS - MAX_END_CHARS] + "\n\n" + text[-MAX_END_CHARS:]
    return text


def split_parts(text: str) -> Parts:
    """Cut a normalised answer into sentences, head (first one) and tail (last paragraph)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
    sentences = sentences[:MAX_SENTENCES]
    wide = bool(NONLATIN.search(text))
    flags = [bool(find_cues(s, wide=wide)) or withholds(s) for s in sentences]
    paragraphs = [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]
    tail = paragraphs[-1] if len(paragraphs) > 1 else ""
    if not tail and len(sentences) > 2:  # one paragraph: its last two sentences are the tail
        tail = " ".join(sentences[-2:])
    head = sentences[0] if sentences else ""
    return Parts(text, sentences, flags, head[:MAX_SPAN_CHARS], tail[-MAX_SPAN_CHARS:])


def _word_ids(text: str) -> np.ndarray:
    words = _WORD.findall(text)
    if CJK.search(text):  # CJK scripts have no spaces: each character is a word
        words = [w for tok in words for w in (tok if CJK.search(tok) else (tok,))]
    ids = []
    for w in words:
        h = _WORD_IDS.get(w)
        if h is None:
            if len(_WORD_IDS) > 200_000:  # bound the cache on endless vocabularies
                _WORD_IDS.clear()
            h = _WORD_IDS[w] = zlib.crc32(w.encode("utf-8"))
        ids.append(h)
    return np.asarray(ids, dtype=_U64)


def _mix(keys: np.ndarray, salt: int) -> np.ndarray:
    """Bucket indices for uint64 keys in a namespace (Fibonacci hashing; wraps by design)."""
    with np.errstate(over="ignore"):
        return (
            (keys ^ _U64((salt * 0x632BE59BD9B4E019 + 1) & 0xFFFFFFFFFFFFFFFF)) * _GOLDEN
        ) >> _SHIFT


def _char_keys(text: str, n: int) -> np.ndarray:
    codes = np.frombuffer(f" {text} ".encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    if len(codes) < n:
        return np.zeros(0, dtype=_U64)
    key = np.zeros(len(codes) - n + 1, dtype=_U64)
    with np.errstate(over="ignore"):
        for k in range(n):
            key = key * _PRIME + codes[k : len(codes) - n + 1 + k]
    return key


def _namespace(ns: int, ids: np.ndarray, text: str | None = None) -> np.ndarray:
    """Bucket indices of word 1-2-grams (and char 2-4-grams of `text`) in namespace `ns`."""
    if not len(ids):
        return _mix(np.zeros(1, dtype=_U64), 100 * ns + 99)  # "this part is empty"
    with np.errstate(over="ignore"):
        pieces = [
            _mix(ids, 100 * ns),
            _mix(ids[:-1] * _PRIME + ids[1:], 100 * ns + 1),
            _mix(ids[:1], 100 * ns + 2),
            _mix(ids[:1] * _PRIME + ids[1:2], 100 * ns + 3),
        ]
    if text:
        pieces += [_mix(_char_keys(text, n), 100 * ns + 10 + n) for n in (2, 3, 4)]
    return np.concatenate(pieces)


def hashed(parts: Parts) -> tuple[np.ndarray, np.ndarray, int]:
    """Hashed feature indices and values (each namespace L2-normalised), and the word count."""
    words = [_word_ids(s) for s in parts.sentences]  # tokenise each sentence once
    empty = np.zeros(0, dtype=_U64)
    cue = parts.cue_index
    spans = [
        (0, words[0] if words else empty, parts.head),
        (1, _word_ids(parts.tail), parts.tail),
        (2, np.concatenate(words) if words else empty, None),
    ]
    if cue is not None:
        spans += [
            (3, words[cue], parts.sentences[cue][:MAX_SPAN_CHARS]),
            (4, np.concatenate(words[:cue] or [empty]), None),
            (5, np.concatenate(words[cue + 1 :] or [empty]), None),
        ]
    all_idx, all_val = [], []
    for ns, ids, text in spans:
        idx, counts = np.unique(_namespace(ns, ids, text), return_counts=True)
        weights = np.sqrt(counts)  # damp repeats: ten bullets are not ten times the evidence
        all_idx.append(idx.astype(np.int64))
        all_val.append((weights / np.linalg.norm(weights)).astype(np.float32))
    return np.concatenate(all_idx), np.concatenate(all_val), sum(len(w) for w in words)


def dense(parts: Parts, n_words: int) -> np.ndarray:
    """Hand-made shape and cue features, each scaled to roughly [0, 1]."""
    text, sentences, flags = parts.text, parts.sentences, parts.cue_flags
    n_chars = len(text)
    cue = parts.cue_index
    after = sentences[cue + 1 :] if cue is not None else []
    redirect = [bool(REDIRECT.search(s)) for s in after]
    plain_after = sum(
        1 for r, f in zip(redirect, flags[len(flags) - len(after) :], strict=True) if not (r or f)
    )
    code_chars = sum(len(m.group(0)) for m in _CODE.finditer(text))
    row = [
        math.log1p(n_chars) / 8.0,
        math.log1p(n_words) / 7.0,
        min(len(_PARAGRAPH.split(text)), 20) / 20.0,
        min(len(_LIST_LINE.findall(text)), 20) / 20.0,
        min(1.0, 8.0 * code_chars / max(n_chars, 1)),
        min(len(_DIGIT.findall(text)), 20) / 20.0,
        float(bool(flags) and flags[0]),
        float(
            bool(parts.tail) and bool(find_cues(parts.tail, wide=bool(NONLATIN.search(parts.tail))))
        ),
        min(sum(flags), 5) / 5.0,
        cue / max(len(sentences), 1) if cue is not None else 1.0,
        math.log1p(cue) / 3.0 if cue is not None else 0.0,
        math.log1p(plain_after) / 3.0,
        sum(redirect) / len(redirect) if redirect else 0.0,
        _pivot_after_cue(sentences[cue]) if cue is not None else 0.0,
        len(NONLATIN.findall(text)) / max(n_chars, 1),
        float(n_words < 40),
        *_structure(parts),
    ]
    return np.asarray(row, dtype=np.float32)


def _structure(parts: Parts) -> list[float]:
    """Referral, withholding, disclaimer and moralising shape of the whole answer.

    A sentence is *substantive* when it is neither a referral, nor sympathy, nor a refusal
    cue: an answer with referrals and almost nothing substantive only redirects the user.
    """
    sentences, flags = parts.sentences, parts.cue_flags
    n = max(len(sentences), 1)
    referral = [bool(REFERRAL.search(s)) for s in sentences]
    sympathy = [bool(SYMPATHY.search(s)) for s in sentences]
    substantive = sum(
        1
        for r, y, f, s in zip(referral, sympathy, flags, sentences, strict=True)
        if not (r or y or f) and len(s) > 15
    )
    withheld = [i for i, s in enumerate(sentences) if withholds(s)]
    helped_before = bool(withheld) and any(
        not (referral[i] or flags[i]) and len(sentences[i]) > 15 for i in range(withheld[0])
    )
    return [
        sum(referral) / n,
        math.log1p(substantive) / 3.0,
        float((substantive == 0 and any(referral)) or (substantive == 1 and sum(referral) > 1)),
        min(len(withheld), 3) / 3.0,
        float(helped_before),
        float(bool(LIMITATION.search(parts.head)) and len(sentences) > 2),
        sum(bool(MORAL.search(s)) for s in sentences) / n,
        sum(bool(HISTORY.search(s)) for s in sentences) / n,
        sum(bool(ADDRESS.search(s)) for s in sentences) / n,
        *_before_and_after(parts),
    ]


def _before_and_after(parts: Parts) -> list[float]:
    """Does the text before the first cue talk to the user, and does the cue end the answer?

    Help before a closing decline ("you can ...", steps) makes a partial answer; background
    before it (history, how it works in general) is the preamble of a refusal.
    """
    cue = parts.cue_index
    if cue is None:
        return [0.0, 0.0, 0.0]
    before = parts.sentences[:cue]
    background = 1.0 - sum(bool(ADDRESS.search(s)) for s in before) / len(before) if before else 0.0
    rest = parts.sentences[cue + 1 :]
    ends = not any(len(s) > 15 and not REFERRAL.search(s) for s in rest)
    ends = ends and not _pivot_after_cue(parts.sentences[cue])
    return [background, float(ends), float(ends and len(before) >= 2) * background]


def _pivot_after_cue(sentence: str) -> float:
    """1 when the cue sentence turns after its refusal ("I can't X, but here is Y")."""
    cues = find_cues(sentence, wide=bool(NONLATIN.search(sentence)))
    return float(bool(cues) and bool(PIVOT.search(sentence, cues[-1].end())))


def featurise_one(response: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hashed indices, hashed values, dense row) for one answer."""
    parts = split_parts(normalise(response))
    idx, vals, n_words = hashed(parts)
    return idx, vals, dense(parts, n_words)


def featurise(responses: list[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Features for many answers, in order."""
    return [featurise_one(r) for r in responses]
