"""Near-duplicates: constructed pairs, exact Jaccard values, dedupe order, OKTest's real overlap."""

from __future__ import annotations

import numpy as np
import pytest

from falsereject.datasets import load_dataset
from falsereject.stats import dedupe, find_near_duplicates, tokenize


def shingle_set(text: str, k: int = 3) -> set[tuple[str, ...]]:
    tokens = tokenize(text)
    if len(tokens) < k:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def jaccard(a: str, b: str) -> float:
    x, y = shingle_set(a), shingle_set(b)
    return len(x & y) / len(x | y)


def random_prompts(n: int, seed: int, lengths: tuple[int, int] = (20, 40)) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(5000)]
    return [" ".join(rng.choice(vocab, size=int(rng.integers(*lengths)))) for _ in range(n)]


def test_finds_edited_copies_with_their_exact_jaccard() -> None:
    base = random_prompts(200, seed=1)
    texts = list(base)
    copies = {}
    for i in range(0, 200, 10):
        words = base[i].split()
        words[-1] = "changed"  # one edit at the end: most shingles survive
        copies[i] = len(texts)
        texts.append(" ".join(words))
    found = find_near_duplicates(texts, threshold=0.8)
    assert {(i, j) for i, j, _ in found} == set(copies.items())
    for i, j, similarity in found:
        assert similarity == pytest.approx(jaccard(texts[i], texts[j]))
        assert similarity >= 0.8


def test_recall_on_many_pairs_just_above_the_threshold() -> None:
    # 29 to 39 words: one middle edit leaves Jaccard (m - 3) / (m + 3) in [0.8, 0.86]
    base = random_prompts(300, seed=2, lengths=(29, 40))
    texts = list(base)
    for text in base:
        words = text.split()
        words[len(words) // 2] = "edited"  # swaps 3 of the m = len - 2 shingles
        texts.append(" ".join(words))
    pairs = {(i, j) for i, j, _ in find_near_duplicates(texts, threshold=0.8)}
    expected = {(i, i + 300) for i in range(300) if jaccard(texts[i], texts[i + 300]) >= 0.8}
    assert len(expected) == 300
    assert pairs == expected


def test_threshold_one_keeps_only_identical_shingle_sets() -> None:
    texts = ["How do I kill a Python process?", "how do i KILL a python process?", "How do I kill"]
    assert find_near_duplicates(texts, threshold=1.0) == [(0, 1, 1.0)]


def test_short_prompts_are_one_shingle() -> None:
    assert find_near_duplicates(["hi there", "Hi there", "hi", "there hi"]) == [(0, 1, 1.0)]


def test_dedupe_keeps_the_first_of_each_group_in_order() -> None:
    texts = ["a b c d e f", "x y z", "a b c d e f", "a b c d e f g", "x y z"]
    assert dedupe(texts, threshold=0.85) == [0, 1, 3]  # 3 vs 0: Jaccard 4/5
    assert dedupe(texts, threshold=0.8) == [0, 1]


def test_dedupe_of_a_chain_drops_only_duplicates_of_kept_prompts() -> None:
    # 1 is a near-duplicate of 0 and of 2, but 2 is not of 0: 1 goes, 2 stays
    words = [f"w{i}" for i in range(40)]
    a = " ".join(words[:30])
    b = " ".join(words[3:33])
    c = " ".join(words[6:36])
    assert jaccard(a, b) >= 0.8 and jaccard(b, c) >= 0.8 and jaccard(a, c) < 0.8
    assert dedupe([a, b, c], threshold=0.8) == [0, 2]


def test_bad_arguments_and_tiny_sets() -> None:
    assert find_near_duplicates([]) == []
    assert find_near_duplicates(["only one"]) == []
    with pytest.raises(ValueError, match="threshold"):
        find_near_duplicates(["a", "b"], threshold=0)


def test_oktest_heldout_overlaps_the_main_file_in_ten_prompts(shared_data) -> None:
    main = load_dataset("oktest", data_path=shared_data / "oktest" / "OKTest.csv")
    heldout = load_dataset("oktest", data_path=shared_data / "oktest" / "OKTest_heldout.csv")
    texts = [r.prompt for r in main] + [r.prompt for r in heldout]
    pairs = find_near_duplicates(texts, threshold=0.8)
    across = [(i, j) for i, j, _ in pairs if i < len(main) <= j]
    assert len(across) == 10
    norm = {" ".join(r.prompt.lower().split()) for r in main}
    for _, j in across:
        assert " ".join(texts[j].lower().split()) in norm
    kept = dedupe(texts, threshold=0.8)
    assert len(kept) == len(texts) - len(pairs) == 340
