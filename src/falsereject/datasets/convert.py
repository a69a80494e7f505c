"""Turn the rows of any set into `PromptRecord`s, with one clear error per bad row.

    from falsereject.datasets.convert import to_records
    records = to_records(rows, columns=Columns(), source="mine", label="benign", where="mine.csv")

Ids are `<source>-<the row's own id>`, or `<source>-<0-based row position>` when the set has
no id column. Columns the record has no field for are kept in `metadata`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from falsereject.datasets.files import Row
from falsereject.datasets.record import PromptLabel, PromptRecord
from falsereject.datasets.registry import Columns
from falsereject.errors import InputError

# Values accepted in a label column, compared case-insensitively. 1 marks a harmful prompt, as
# in most toxicity sets; anything else is an error rather than a guess.
LABEL_VALUES: dict[str, PromptLabel] = {
    "benign": "benign",
    "safe": "benign",
    "harmless": "benign",
    "0": "benign",
    "harmful": "harmful",
    "unsafe": "harmful",
    "1": "harmful",
}


def parse_label(value: Any, *, where: object = None, line: int | None = None) -> PromptLabel:
    """`'unsafe'` -> `'harmful'`; an unknown value is an `InputError` listing the accepted ones."""
    key = str(value).strip().lower() if value is not None else ""
    if key not in LABEL_VALUES:
        raise InputError(
            f"unknown label {value!r}; use one of {', '.join(LABEL_VALUES)}", path=where, line=line
        )
    return LABEL_VALUES[key]


def to_records(
    rows: Sequence[Row],
    *,
    columns: Columns,
    source: str,
    label: PromptLabel,
    where: object,
) -> list[PromptRecord]:
    """Records for `rows`; `where` names the file (or hub set) in error messages."""
    if not rows:
        raise InputError("no prompts found (the file has no rows)", path=where)
    used = {columns.prompt, columns.id, *columns.drop}
    used.update(c for c in (columns.category, columns.category_text, columns.label) if c)
    records: list[PromptRecord] = []
    first_line: dict[str, int] = {}
    for row in rows:
        data = row.data
        _check_columns(data, columns, where, row.line)
        raw_id = data.get(columns.id)
        record_id = f"{source}-{row.index if _blank(raw_id) else raw_id}"
        if record_id in first_line:
            raise InputError(
                f"duplicate id {record_id!r} (first on line {first_line[record_id]})",
                path=where,
                line=row.line,
            )
        first_line[record_id] = row.line
        category = _text(data.get(columns.category)) if columns.category else None
        category_text = _text(data.get(columns.category_text)) if columns.category_text else None
        records.append(
            PromptRecord(
                id=record_id,
                prompt=_prompt(data[columns.prompt], columns, where, row.line),
                category=category,
                category_text=category_text or category,
                label=_label(data, columns, label, where, row.line),
                source=source,
                metadata={k: v for k, v in data.items() if k not in used},
            )
        )
    return records


def _check_columns(data: dict[str, Any], columns: Columns, where: object, line: int) -> None:
    needed = [columns.prompt, columns.category, columns.category_text, columns.label]
    if columns.id_required:
        needed.append(columns.id)
    for name in needed:
        if name and name not in data:
            present = ", ".join(map(str, data)) or "none"
            raise InputError(
                f"no column {name!r}; columns present: {present}", path=where, line=line
            )


def _prompt(value: Any, columns: Columns, where: object, line: int) -> str:
    if not isinstance(value, str):
        raise InputError(
            f"column {columns.prompt!r} holds {type(value).__name__}, not text",
            path=where,
            line=line,
        )
    text = value.rstrip("\r\n") if columns.strip_newline else value
    if not text.strip():
        raise InputError(f"empty prompt in column {columns.prompt!r}", path=where, line=line)
    return text


def _label(
    data: dict[str, Any], columns: Columns, default: PromptLabel, where: object, line: int
) -> PromptLabel:
    if columns.label_of is not None:
        return columns.label_of(data)
    if columns.label:
        return parse_label(data[columns.label], where=where, line=line)
    return default


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value)
