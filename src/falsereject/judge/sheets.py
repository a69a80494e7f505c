"""Reading tables of labelled answers (CSV, JSONL, JSON) row by row, with line numbers.

    from falsereject.judge.sheets import read_rows
    for line, row in read_rows("labelled.csv"): ...

`judge-eval` and `annotate import` both read through here, and here reads through the
datasets' file reader, so a broken file gets the same error everywhere: one line naming the
file and line. CSV files may carry a UTF-8 BOM (spreadsheets write one); the line of a CSV row
is where the row starts, even when a quoted field spans several lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from falsereject.datasets import files
from falsereject.errors import InputError


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, row) for every row of `path` with at least one non-blank value.

    The same reader as the datasets' (`falsereject.datasets.files`), so every format and
    every error message is shared; rows left blank in a spreadsheet are skipped.
    """
    for row in files.read_rows(path):
        if any(str(v).strip() for v in row.data.values() if v is not None):
            yield row.line, row.data


def column(
    row: dict[str, Any], name: str, *, path: object, line: int, required: bool = True
) -> str:
    """`row[name]` as text (None -> ""); a missing column names the file and line."""
    if name not in row:
        if not required:
            return ""
        known = ", ".join(map(str, row)) or "none"
        raise InputError(f"no column {name!r} (columns: {known})", path=path, line=line)
    value = row[name]
    return "" if value is None else str(value)
