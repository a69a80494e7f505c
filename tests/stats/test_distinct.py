"""Dist-n by hand: distinct n-grams over total n-grams of the whole set, never across prompts."""

from __future__ import annotations

import math

import pytest

from falsereject.errors import InputError
from falsereject.stats import distinct_n


def test_dist1_and_dist2_by_hand() -> None:
    texts = ["a b a b", "a c"]
    assert distinct_n(texts, 1) == pytest.approx(3 / 6)  # a b c out of 6 tokens
    assert distinct_n(texts, 2) == pytest.approx(3 / 4)  # "a b" twice, "b a", "a c"


def test_ngrams_do_not_cross_prompt_boundaries() -> None:
    # joined, "b a" would be a bigram; per prompt there is only "a b" twice
    assert distinct_n(["a b", "a b"], 2) == pytest.approx(1 / 2)


def test_tokens_are_lowercased_word_and_punctuation() -> None:
    assert distinct_n(["Kill KILL kill!"], 1) == pytest.approx(2 / 4)  # kill x3, "!"


def test_no_ngram_of_that_order_is_nan() -> None:
    assert math.isnan(distinct_n(["a", "b"], 2))


def test_identical_prompts_lower_dist() -> None:
    assert distinct_n(["how do i stop a process"] * 4, 2) == pytest.approx(1 / 4)


def test_empty_prompt_and_bad_order_are_rejected() -> None:
    with pytest.raises(InputError, match="prompt 0 is empty"):
        distinct_n([""], 1)
    with pytest.raises(ValueError, match="at least 1"):
        distinct_n(["a"], 0)
