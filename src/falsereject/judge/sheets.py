"""Reading tables of labelled answers (CSV, JSONL, JSON) row by row, with line numbers.

    from falsereject.judge.sheets import read_rows
    for line, row in read_rows("labelled.csv"): ...

`judge-eval` and `annotate import` both read through here, so a broken file gets the same
kind of error everywhere: one line naming the file and line. CSV files may carry a UTF-8 BOM
(spreadsheets write one); the line of a CSV row is where the row starts, even when a quoted
field spans several lines.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from falsereject.errors import FalseRejectError, InputError

SUFFIXES = (".csv", ".tsv", ".jsonl", ".json")


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, row) for every non-empty row of `path`."""
    path = Path(path)
    if not path.is_file():
        raise FalseRejectError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        yield from _csv_rows(path, "\t" if suffix == ".tsv" else ",")
    elif suffix == ".jsonl":
        yield from _jsonl_rows(path)
    elif suffix == ".json":
        yield from _json_rows(path)
    else:
        raise InputError(f"unsupported file type; use one of {', '.join(SUFFIXES)}", path=path)


def _csv_rows(path: Path, delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        if reader.fieldnames is None:  # reading the header also advances line_num past it
            return
        start = reader.line_num + 1
        for row in reader:
            if any((v or "").strip() for v in row.values() if isinstance(v, str)):
                yield start, row
            start = reader.line_num + 1


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise InputError(f"broken JSON line ({exc.msg})", path=path, line=line_no) from None
            if not isinstance(row, dict):
                raise InputError("expected a JSON object", path=path, line=line_no)
            yield line_no, row


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as exc:
        raise InputError(f"broken JSON ({exc})", path=path) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError("expected a JSON list of objects", path=path)
    # a JSON list has no useful line numbers; report the 1-based record number instead
    yield from enumerate(data, 1)


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
