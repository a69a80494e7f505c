"""Dataset statistics: size, categories, Self-BLEU, Dist-n, near-duplicates, rejection rate.

falsereject stats demo xstest --data-path xstest=xstest_prompts.csv --format markdown

from falsereject.stats import dataset_stats, self_bleu, distinct_n, dedupe
self_bleu(prompts)                 # exact nltk-recipe Self-BLEU, in seconds for 80K prompts
dedupe(prompts, threshold=0.8)     # indices to keep after near-duplicate removal
"""

from __future__ import annotations

from falsereject.stats.config import StatsConfig
from falsereject.stats.distinct import distinct_n
from falsereject.stats.neardup import dedupe, find_near_duplicates
from falsereject.stats.report import (
    DatasetStats,
    NearDuplicate,
    compute_stats,
    dataset_stats,
    stats_table,
)
from falsereject.stats.selfbleu import self_bleu, self_bleu_scores
from falsereject.stats.table import FORMATS, format_stats
from falsereject.stats.tokenize import tokenize

__all__ = [
    "FORMATS",
    "DatasetStats",
    "NearDuplicate",
    "StatsConfig",
    "compute_stats",
    "dataset_stats",
    "dedupe",
    "distinct_n",
    "find_near_duplicates",
    "format_stats",
    "self_bleu",
    "self_bleu_scores",
    "stats_table",
    "tokenize",
]
