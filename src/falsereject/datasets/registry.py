"""The over-refusal sets known by name, where each lives on the hub, and how to read its columns.

    falsereject bench --dataset xstest                       # from the Hugging Face hub
    falsereject bench --dataset xstest --data-path xstest_prompts.csv   # from a local copy

    from falsereject.datasets import list_datasets
    for info in list_datasets():
        print(info.name, info.hub_id, info.label)

Each set maps its own column names onto `PromptRecord` (prompt, id, category, category_text,
label); the remaining columns go to `metadata`. A local copy in any supported file format
with the set's column names reads the same as the hub copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from falsereject.datasets.record import PromptLabel

SetLabel = Literal["benign", "harmful", "mixed"]


@dataclass(frozen=True)
class DatasetInfo:
    """What `falsereject datasets`-style listings show about one registry set."""

    name: str
    hub_id: str | None  # None: no hub copy, a local file is needed
    hub_config: str | None
    hub_split: str | None
    label: SetLabel  # "mixed": the label comes from each row
    license: str
    description: str
    local_copy: str  # where a user gets a file for --data-path


@dataclass(frozen=True)
class Columns:
    """How one set's columns become a `PromptRecord`."""

    prompt: str = "prompt"
    id: str = "id"
    category: str | None = "category"
    category_text: str | None = None  # None: reuse the category value as its readable name
    label: str | None = None  # a column of benign/harmful values (see `parse_label`)
    label_of: Callable[[dict[str, Any]], PromptLabel] | None = None  # derive it from the row
    drop: tuple[str, ...] = ()  # columns that carry nothing (always null, empty or restated)
    strip_newline: bool = False
    id_required: bool = False  # False: rows without an id are numbered by position


def _xstest_label(row: dict[str, Any]) -> PromptLabel:
    return "harmful" if str(row.get("type", "")).startswith("contrast_") else "benign"


_OR_BENCH = "bench-llm/or-bench"
_COCONOT = "allenai/coconot"

REGISTRY: dict[str, tuple[DatasetInfo, Columns]] = {
    "demo": (
        DatasetInfo(
            "demo",
            None,
            None,
            None,
            "mixed",
            "Apache-2.0 (part of falsereject)",
            "built-in: 40 benign-but-sensitive prompts and 20 harmful requests, offline",
            "ships with the package",
        ),
        Columns(category_text="category_text", label="label", id_required=True),
    ),
    "falsereject": (
        DatasetInfo(
            "falsereject",
            "AmazonScience/FalseReject",
            None,
            "test",
            "benign",
            "CC-BY-NC-4.0",
            "FalseReject-Test: 1,187 benign prompts that sound harmful, 46 categories",
            "the test split as a JSON array or JSONL (id, prompt, category, category_text)",
        ),
        Columns(category_text="category_text", drop=("instruct_response", "cot_response")),
    ),
    "xstest": (
        DatasetInfo(
            "xstest",
            "walledai/XSTest",
            None,
            "test",
            "mixed",
            "CC-BY-4.0",
            "XSTest v2: 250 safe prompts (benign) and 200 contrast_* prompts (harmful)",
            "xstest_prompts.csv from github.com/paul-rottger/exaggerated-safety",
        ),
        # the label column (safe/unsafe) restates the type; the type decides
        Columns(category="type", label_of=_xstest_label, drop=("label",)),
    ),
    "oktest": (
        DatasetInfo(
            "oktest",
            None,
            None,
            None,
            "benign",
            "none stated (research evaluation only)",
            "OKTest: 300 benign questions with harmful-sounding words",
            "data/OKTest.csv from github.com/InvokerStark/OverKill",
        ),
        # every OKTest prompt ends in a newline inside its quoted field
        Columns(category=None, strip_newline=True),
    ),
    "or-bench-hard-1k": (
        DatasetInfo(
            "or-bench-hard-1k",
            _OR_BENCH,
            "or-bench-hard-1k",
            "train",
            "benign",
            "CC-BY-4.0",
            "OR-Bench-Hard-1K: benign prompts that strong models often refuse",
            "or-bench-hard-1k.csv (columns prompt, category) from the hub",
        ),
        Columns(),
    ),
    "or-bench-toxic": (
        DatasetInfo(
            "or-bench-toxic",
            _OR_BENCH,
            "or-bench-toxic",
            "train",
            "harmful",
            "CC-BY-4.0",
            "OR-Bench-Toxic: harmful prompts a model should decline",
            "or-bench-toxic.csv (columns prompt, category) from the hub",
        ),
        Columns(),
    ),
    "phtest": (
        DatasetInfo(
            "phtest",
            "furonghuang-lab/PHTest",
            None,
            "train",
            "benign",
            "see the hub card",
            "PHTest: pseudo-harmful prompts, harmless or controversial (both benign)",
            "a file with columns ID, Request, Harmfulness",
        ),
        Columns(prompt="Request", id="ID", category="Harmfulness"),
    ),
    "coconot-contrast": (
        DatasetInfo(
            "coconot-contrast",
            _COCONOT,
            "contrast",
            "test",
            "benign",
            "ODC-BY (hub), MIT (repo)",
            "CoCoNot contrast set: 379 benign prompts a model should comply with",
            "data/coconot_contrast_eval.jsonl from github.com/allenai/noncompliance",
        ),
        Columns(drop=("response",)),
    ),
    "coconot": (
        DatasetInfo(
            "coconot",
            _COCONOT,
            "original",
            "test",
            "harmful",
            "ODC-BY (hub), MIT (repo)",
            "CoCoNot original set: 1,001 prompts a model should not fully comply with",
            "data/coconot_eval.jsonl from github.com/allenai/noncompliance",
        ),
        Columns(drop=("response",)),
    ),
}


def list_datasets() -> list[DatasetInfo]:
    """Every registry set, in a stable order (the demo set first)."""
    return [info for info, _ in REGISTRY.values()]


def dataset_names() -> list[str]:
    """The names `load_dataset` accepts besides file paths."""
    return list(REGISTRY)
