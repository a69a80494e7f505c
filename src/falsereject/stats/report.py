"""The dataset comparison table of the FalseReject paper, for any prompt sets.

    falsereject stats falsereject=../shared/data/falsereject/FalseReject_test.json xstest=x.csv

    from falsereject.stats import dataset_stats, stats_table
    stats_table(["demo", "my_prompts.csv"])          # one DatasetStats per set
    dataset_stats(["How do I kill a process?", "How do I kill a tree stump?"])

Per set: prompts, categories, mean length in tokens, Self-BLEU (lower = more diverse), Dist-1
and Dist-2 (higher = more diverse), whether it carries training responses and chain-of-thought
responses, its near-duplicate pairs, and optionally the mean refusal rate of some models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from falsereject.datasets.record import PromptRecord
from falsereject.errors import InputError
from falsereject.stats.config import DEFAULT_NEAR_DUP_THRESHOLD, StatsConfig
from falsereject.stats.distinct import distinct_from_ids
from falsereject.stats.neardup import find_near_duplicates
from falsereject.stats.selfbleu import MAX_ORDER, mean_of_sample, scores_from_grams
from falsereject.stats.tokenize import encode, ngram_ids

# Metadata keys that hold a response to train on (FalseReject train: instruct_response;
# preference sets: chosen) and a chain-of-thought response (FalseReject train: cot_response).
# A key whose value is null or empty in every row means the set carries none.
TRAINING_RESPONSE_KEYS = ("instruct_response", "chosen", "response")
COT_RESPONSE_KEYS = ("cot_response",)


class NearDuplicate(BaseModel):
    """Two prompts of one set whose shingle sets have Jaccard index `similarity`."""

    first: str  # record id
    second: str
    similarity: float


class DatasetStats(BaseModel):
    """One row of the comparison table. Undefined values (one prompt) are None."""

    dataset: str
    prompts: int
    categories: int
    mean_length: float  # tokens per prompt
    self_bleu: float | None  # None for a set of one prompt: there are no references
    self_bleu_hypotheses: int  # prompts scored as hypotheses (all, or --sample)
    dist_1: float | None
    dist_2: float | None  # None when no prompt has two tokens
    training_responses: bool
    cot_responses: bool
    near_duplicate_threshold: float
    near_duplicates: list[NearDuplicate] = Field(default_factory=list)
    rejection_rate: float | None = None  # mean over `rejection_rate_models`
    rejection_rate_models: list[str] = Field(default_factory=list)


def dataset_stats(
    records: Sequence[PromptRecord] | Sequence[str],
    *,
    name: str = "prompts",
    sample: int | None = None,
    seed: int = 0,
    near_dup_threshold: float = DEFAULT_NEAR_DUP_THRESHOLD,
) -> DatasetStats:
    """The table row of one set, given as `PromptRecord`s or plain prompt strings."""
    records = [
        r if isinstance(r, PromptRecord) else PromptRecord(id=str(i), prompt=r)
        for i, r in enumerate(records)
    ]
    if not records:
        raise InputError("the set has no prompts", path=name)
    texts = [r.prompt for r in records]
    try:
        encoded = encode(texts)
    except InputError as exc:  # name the record, not a position the user never sees
        raise _empty_prompt_error(records, name) or exc from None
    grams = ngram_ids(encoded, MAX_ORDER)
    scores = scores_from_grams(encoded, grams)
    hypotheses = len(records) if sample is None else min(sample, len(records))
    pairs = find_near_duplicates(texts, near_dup_threshold) if len(records) > 1 else []
    return DatasetStats(
        dataset=name,
        prompts=len(records),
        categories=len({r.category for r in records if r.category not in (None, "")}),
        mean_length=float(encoded.lengths.mean()),
        self_bleu=_defined(mean_of_sample(scores, sample=sample, seed=seed)),
        self_bleu_hypotheses=hypotheses if len(records) > 1 else 0,
        dist_1=_defined(distinct_from_ids(grams[0][0])),
        dist_2=_defined(distinct_from_ids(grams[1][0])),
        training_responses=_carries(records, TRAINING_RESPONSE_KEYS),
        cot_responses=_carries(records, COT_RESPONSE_KEYS),
        near_duplicate_threshold=near_dup_threshold,
        near_duplicates=[
            NearDuplicate(first=records[i].id, second=records[j].id, similarity=s)
            for i, j, s in pairs
        ],
    )


def compute_stats(config: StatsConfig, *, progress: bool = False) -> list[DatasetStats]:
    """One `DatasetStats` per dataset of `config`, in order (see `StatsConfig`)."""
    from falsereject.datasets import load_datasets

    loaded = load_datasets(
        config.datasets,
        data_paths=config.data_path,
        prompt_column=config.prompt_column,
        category_column=config.category_column,
    )
    rows = []
    for spec, records in loaded.items():
        row = dataset_stats(
            records,
            name=spec,
            sample=config.sample,
            seed=config.seed,
            near_dup_threshold=config.near_dup_threshold,
        )
        if config.rejection_rate_models:
            from falsereject.stats.rejection import mean_rejection_rate

            row.rejection_rate = mean_rejection_rate(spec, config, progress=progress)
            row.rejection_rate_models = list(config.rejection_rate_models)
        rows.append(row)
    return rows


def stats_table(datasets: Sequence[str], **options: Any) -> list[DatasetStats]:
    """`compute_stats` for a notebook: `stats_table(["xstest"], data_path={...}, sample=500)`."""
    return compute_stats(StatsConfig(datasets=list(datasets), **options))


def _defined(value: float) -> float | None:
    return None if math.isnan(value) else value


def _carries(records: Sequence[PromptRecord], keys: tuple[str, ...]) -> bool:
    return any(r.metadata.get(key) not in (None, "", {}, []) for r in records for key in keys)


def _empty_prompt_error(records: Sequence[PromptRecord], name: str) -> InputError | None:
    from falsereject.stats.tokenize import tokenize

    for record in records:
        if not tokenize(record.prompt):
            return InputError(
                f"prompt {record.id!r} is empty (no word or punctuation tokens)", path=name
            )
    return None
