"""Over-refusal prompt sets: a registry of known sets, local files, and a built-in demo set.

    from falsereject.datasets import list_datasets, load_dataset, select
    records = select(load_dataset("demo"), limit=10, seed=0)

`load_dataset` takes a registry name (`falsereject`, `xstest`, `oktest`, `or-bench-hard-1k`,
`or-bench-toxic`, `phtest`, `coconot-contrast`, `coconot`, `demo`) or a path to a `.jsonl`,
`.json`, `.csv` or `.parquet` file, and returns typed `PromptRecord`s.
"""

from __future__ import annotations

from falsereject.datasets.convert import LABEL_VALUES, parse_label
from falsereject.datasets.load import load_dataset, load_datasets
from falsereject.datasets.record import PromptLabel, PromptRecord
from falsereject.datasets.registry import DatasetInfo, dataset_names, list_datasets
from falsereject.datasets.select import select

__all__ = [
    "LABEL_VALUES",
    "DatasetInfo",
    "PromptLabel",
    "PromptRecord",
    "dataset_names",
    "list_datasets",
    "load_dataset",
    "load_datasets",
    "parse_label",
    "select",
]
