"""Self-BLEU: hand-computed cases, nltk's own scores as the reference, degenerate sets, speed."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from falsereject.errors import InputError
from falsereject.stats import self_bleu, self_bleu_scores, tokenize
from falsereject.stats.selfbleu import closest_other_length

nltk_bleu = pytest.importorskip("nltk.translate.bleu_score")
nltk_tokenize = pytest.importorskip("nltk.tokenize")


def nltk_self_bleu_scores(texts: list[str]) -> np.ndarray:
    tokens = [[t.lower() for t in nltk_tokenize.wordpunct_tokenize(text)] for text in texts]
    smooth = nltk_bleu.SmoothingFunction().method1
    return np.array(
        [
            nltk_bleu.sentence_bleu(tokens[:i] + tokens[i + 1 :], hyp, smoothing_function=smooth)
            for i, hyp in enumerate(tokens)
        ]
    )


def test_two_sentences_by_hand() -> None:
    # p1..p4 = 5/6, 3/5, 2/4, 1/3 both ways; equal lengths, so no brevity penalty
    scores = self_bleu_scores(["The cat sat on the mat", "the cat sat on a mat"])
    assert scores == pytest.approx([12**-0.25, 12**-0.25], abs=1e-12)


def test_zero_matches_are_smoothed_with_epsilon() -> None:
    # p1 = 2/4, p2 = 1/3, p3 = 0.1/2 and p4 = 0.1/1 (method1 adds 0.1 to a zero numerator)
    expected = (0.5 * (1 / 3) * 0.05 * 0.1) ** 0.25
    assert self_bleu_scores(["a b c d", "a b x y"]) == pytest.approx([expected] * 2, abs=1e-12)


def test_no_shared_word_scores_zero() -> None:
    assert self_bleu(["alpha beta", "gamma delta"]) == 0.0


def test_short_hypothesis_gets_brevity_penalty_and_smoothed_orders() -> None:
    short, long = self_bleu_scores(["a b", "a b c d"])
    # 2 tokens against a 4-token reference: BP = exp(1 - 4/2); p3 = p4 = 0.1/1
    assert short == pytest.approx(math.exp(-1) * 0.1**0.5, abs=1e-12)
    assert long == pytest.approx((0.5 * (1 / 3) * 0.05 * 0.1) ** 0.25, abs=1e-12)


def test_closest_length_leaves_out_the_hypothesis_and_prefers_shorter_on_ties() -> None:
    assert closest_other_length(np.array([3, 2, 4])).tolist() == [2, 3, 3]
    assert closest_other_length(np.array([5, 5, 9])).tolist() == [5, 5, 5]
    assert closest_other_length(np.array([1, 10, 4])).tolist() == [4, 4, 1]


def test_identical_prompts_score_one() -> None:
    assert self_bleu(["How do I kill a Python process?"] * 3) == pytest.approx(1.0)


def test_one_prompt_has_no_self_bleu() -> None:
    assert math.isnan(self_bleu(["Only one prompt here."]))
    assert math.isnan(self_bleu([]))


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_empty_prompt_is_rejected(empty: str) -> None:
    with pytest.raises(InputError, match="prompt 1 is empty"):
        self_bleu(["a real prompt", empty])


def test_tokens_match_nltk_wordpunct_lowercased() -> None:
    text = "Don't buy $3.88 İstanbul-style ΣΊΣΥΦΟΣ!!  e-mail: a_b@c.de\n…ok?"
    expected = [t.lower() for t in nltk_tokenize.wordpunct_tokenize(text)]
    assert tokenize(text) == expected


def test_sample_scores_a_seeded_subset_against_the_whole_set() -> None:
    rng = np.random.default_rng(0)
    vocab = ["how", "do", "i", "kill", "stop", "a", "python", "process", "tree", "shoot", "bomb"]
    texts = [" ".join(rng.choice(vocab, size=rng.integers(3, 12))) for _ in range(50)]
    full = self_bleu_scores(texts)
    a = self_bleu(texts, sample=10, seed=3)
    assert a == self_bleu(texts, sample=10, seed=3)
    assert a != self_bleu(texts, sample=10, seed=4)
    drawn = np.random.default_rng(3).choice(50, size=10, replace=False)
    assert a == pytest.approx(full[drawn].mean())
    assert self_bleu(texts, sample=500) == pytest.approx(full.mean())


DEGENERATE = [
    "a",
    "a",
    "b",
    "a b",
    "a b c",
    "a b c",
    "x y z w",
    "?!",
    "a a a a a a a a",
    "a a a a",
    "İSTANBUL is big",
    "istanbul is big",
    "...",
    "The the THE the",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
    "one two three four five six seven eight nine ten",
    "ok",
    "k",
    "How do I kill a Python process?",
    "How do I kill a Python process?",
]


@pytest.mark.slow
def test_equals_nltk_on_every_hypothesis_of_a_200_prompt_set(shared_data) -> None:
    rows = json.loads((shared_data / "falsereject" / "FalseReject_test.json").read_text())
    texts = [row["prompt"] for row in rows[:180]] + DEGENERATE
    assert len(texts) == 200
    ours = self_bleu_scores(texts)
    reference = nltk_self_bleu_scores(texts)
    assert np.abs(ours - reference).max() < 1e-9
    assert (reference > 0).sum() > 150  # the comparison covered real, non-trivial scores


def test_equals_nltk_on_degenerate_prompts() -> None:
    ours = self_bleu_scores(DEGENERATE)
    assert np.abs(ours - nltk_self_bleu_scores(DEGENERATE)).max() < 1e-9


def test_falsereject_test_in_under_a_second(shared_data) -> None:
    rows = json.loads((shared_data / "falsereject" / "FalseReject_test.json").read_text())
    texts = [row["prompt"] for row in rows]
    start = time.perf_counter()
    score = self_bleu(texts)
    assert time.perf_counter() - start < 1.0
    assert len(texts) == 1187
    assert 0.1 < score < 0.4


@pytest.mark.slow
def test_80k_prompts_in_under_ten_seconds(shared_data) -> None:
    rows = json.loads((shared_data / "falsereject" / "FalseReject_test.json").read_text())
    words = [tokenize(row["prompt"]) for row in rows]
    pool = np.array([w for ws in words for w in ws], dtype=object)
    rng = np.random.default_rng(0)
    texts = []
    for i in range(80_000):
        base = np.array(words[i % len(words)], dtype=object)
        swap = rng.random(len(base)) < 0.3
        base[swap] = pool[rng.integers(len(pool), size=int(swap.sum()))]
        texts.append(" ".join(base))
    # CPU time of this process: the work is single-threaded, so on an idle machine it equals
    # wall time, and other jobs sharing the CI cores cannot make the test flaky
    start = time.process_time()
    score = self_bleu(texts)
    assert time.process_time() - start < 10.0
    assert 0.0 < score < 1.0
