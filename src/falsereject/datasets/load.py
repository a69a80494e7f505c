"""`load_dataset`: a registry name or a local file in, a list of `PromptRecord`s out.

    from falsereject.datasets import load_dataset
    load_dataset("demo")                                          # built in, offline
    load_dataset("falsereject")                                   # Hugging Face hub
    load_dataset("xstest", data_path="xstest_prompts.csv")        # local copy of a known set
    load_dataset("my_prompts.csv", prompt_column="text", label="benign")   # any file

Registry sets read from the hub (needs `falsereject[hub]`) unless `data_path` names a local
copy. A custom file takes its prompt from `prompt_column` (default `prompt`), its id from
`id_column` (default `id` when present, else the row position), its category from
`category_column` (default `category` when present), and its label from `label_column` or the
fixed `label` (default `benign`). Registry sets ignore these column options.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from falsereject.datasets.convert import parse_label, to_records
from falsereject.datasets.files import SUPPORTED, Row, read_rows
from falsereject.datasets.record import PromptLabel, PromptRecord
from falsereject.datasets.registry import REGISTRY, Columns, DatasetInfo
from falsereject.errors import FalseRejectError, require

HUB_PIP = 'pip install "falsereject[hub]", or pass --data-path FILE with a local copy'


def load_dataset(
    spec: str,
    *,
    data_path: str | Path | None = None,
    prompt_column: str | None = None,
    category_column: str | None = None,
    label_column: str | None = None,
    label: str | None = None,
    id_column: str | None = None,
) -> list[PromptRecord]:
    """The prompts of a registry set (`spec` is a name) or of a local data file (a path)."""
    if spec in REGISTRY:
        # registry sets know their own columns; a run that mixes them with custom files passes
        # the column options to every spec, so they are ignored here rather than refused
        return _load_registry(spec, data_path)
    path = Path(spec)
    if path.suffix.lower() not in SUPPORTED and not path.exists():
        raise FalseRejectError(
            f"unknown dataset {spec!r}; known: {', '.join(REGISTRY)}; "
            f"or give a path to a {'/'.join(SUPPORTED)} file"
        )
    if data_path is not None:
        raise FalseRejectError(f"--data-path goes with a registry name, not with a file ({spec})")
    if label_column is not None and label is not None:
        raise FalseRejectError("give --label-column or --label, not both")
    return _load_custom(path, prompt_column, category_column, label_column, label, id_column)


def load_datasets(
    specs: list[str],
    *,
    data_paths: dict[str, str] | None = None,
    prompt_column: str | None = None,
    category_column: str | None = None,
    label_column: str | None = None,
    label: str | None = None,
    id_column: str | None = None,
) -> dict[str, list[PromptRecord]]:
    """Load several sets at once, as `bench` and `stats` do: `{spec: records}` in spec order.

    The column options apply to the custom files among `specs`; given with registry names
    only, they would silently do nothing, so that is refused.
    """
    options = {
        "--prompt-column": prompt_column,
        "--category-column": category_column,
        "--label-column": label_column,
        "--label": label,
        "--id-column": id_column,
    }
    given = [flag for flag, value in options.items() if value is not None]
    if given and all(spec in REGISTRY for spec in specs):
        raise FalseRejectError(
            f"{', '.join(given)} only apply to custom data files, and every dataset here is a "
            f"registry set ({', '.join(specs)}), whose columns are known"
        )
    paths = data_paths or {}
    return {
        spec: load_dataset(
            spec,
            data_path=paths.get(spec),
            prompt_column=prompt_column,
            category_column=category_column,
            label_column=label_column,
            label=label,
            id_column=id_column,
        )
        for spec in specs
    }


def _load_registry(name: str, data_path: str | Path | None) -> list[PromptRecord]:
    info, columns = REGISTRY[name]
    default: PromptLabel = "harmful" if info.label == "harmful" else "benign"
    if data_path is not None:
        rows, where = read_rows(data_path), Path(data_path)
    elif name == "demo":
        rows, where = _demo_rows()
    else:
        rows, where = _hub_rows(info)
    return to_records(rows, columns=columns, source=name, label=default, where=where)


def _load_custom(
    path: Path,
    prompt_column: str | None,
    category_column: str | None,
    label_column: str | None,
    label: str | None,
    id_column: str | None,
) -> list[PromptRecord]:
    rows = read_rows(path)
    present = set(rows[0].data) if rows else set()
    columns = Columns(
        prompt=prompt_column or "prompt",
        id=id_column or "id",
        id_required=id_column is not None,
        category=category_column or ("category" if "category" in present else None),
        category_text="category_text" if "category_text" in present else None,
        label=label_column,
    )
    default = parse_label(label, where=path) if label is not None else "benign"
    return to_records(rows, columns=columns, source=path.stem, label=default, where=path)


def _demo_rows() -> tuple[list[Row], str]:
    demo = resources.files("falsereject.datasets") / "demo.jsonl"
    with resources.as_file(demo) as path:
        return read_rows(path), "demo.jsonl"


def _hub_rows(info: DatasetInfo) -> tuple[list[Row], str]:
    where = f"hf://{info.hub_id}"
    if info.hub_id is None:
        raise FalseRejectError(
            f"{info.name} has no Hugging Face hub copy; get {info.local_copy} "
            "and pass --data-path FILE"
        )
    hub = require("datasets", "hub", pip=HUB_PIP)
    try:
        data = hub.load_dataset(info.hub_id, info.hub_config, split=info.hub_split)
    except Exception as exc:  # offline, gated, renamed, rate-limited: all end the same way
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise FalseRejectError(
            f"could not load {info.name} from the Hugging Face hub ({info.hub_id}: {first}); "
            f"pass --data-path FILE with a local copy ({info.local_copy})"
        ) from None
    return [Row(i, i + 1, dict(item)) for i, item in enumerate(data)], where
