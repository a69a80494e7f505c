"""Read the rows of a local `.jsonl`, `.json`, `.csv`, `.tsv` or `.parquet` file, with lines.

    from falsereject.datasets.files import read_rows
    for row in read_rows("xstest_prompts.csv"):
        print(row.index, row.line, row.data["prompt"])

Every row carries its 0-based position (used for ids when the file has none) and the line a
user would look at in an editor: the physical line in JSONL, CSV (the header is line 1) and
JSON-array files, the 1-based row number in parquet. Any error names the file and that line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from falsereject.errors import InputError, require

SUPPORTED = (".jsonl", ".json", ".csv", ".tsv", ".parquet")


class Row(NamedTuple):
    """One row of a data file: position, line for error messages, and the column values."""

    index: int
    line: int
    data: dict[str, Any]


def read_rows(path: str | Path) -> list[Row]:
    """All rows of a data file, chosen by extension; a clear `InputError` for anything else."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUPPORTED)}",
            path=path,
        )
    if not path.is_file():
        raise InputError("file not found", path=path)
    if suffix in (".csv", ".tsv"):
        return list(_csv(path, "\t" if suffix == ".tsv" else ","))
    readers = {".jsonl": _jsonl, ".json": _json_array, ".parquet": _parquet}
    return list(readers[suffix](path))


def _jsonl(path: Path) -> Iterator[Row]:
    index = 0
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise InputError(f"broken JSON line ({exc.msg})", path=path, line=line_no) from None
            yield Row(index, line_no, _object(data, path, line_no))
            index += 1


def _json_array(path: Path) -> Iterator[Row]:
    """A JSON array of objects, decoded one element at a time so each keeps its line number."""
    text = path.read_text(encoding="utf-8-sig")
    decoder = json.JSONDecoder()
    lines = _LineCounter(text)
    pos = _skip_space(text, 0)
    if not text.startswith("[", pos):
        raise InputError("expected a JSON array of objects", path=path, line=lines.at(pos))
    pos = _skip_space(text, pos + 1)
    index = 0
    while not text.startswith("]", pos):
        line_no = lines.at(pos)
        try:
            data, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            raise InputError(f"broken JSON ({exc.msg})", path=path, line=line_no) from None
        yield Row(index, line_no, _object(data, path, line_no))
        index += 1
        pos = _skip_space(text, pos)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("]", pos):
            raise InputError("broken JSON (expected ',' or ']')", path=path, line=lines.at(pos))


def _csv(path: Path, delimiter: str) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"broken CSV ({exc})", path=path, line=reader.line_num) from None
        start = reader.line_num + 1  # a quoted field may span lines: report where the row starts
        index = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"broken CSV ({exc})", path=path, line=start) from None
            if values:
                if len(values) != len(header):
                    raise InputError(
                        f"{len(values)} fields where the header has {len(header)}",
                        path=path,
                        line=start,
                    )
                yield Row(index, start, dict(zip(header, values, strict=True)))
                index += 1
            start = reader.line_num + 1


def _parquet(path: Path) -> Iterator[Row]:
    pq = require("pyarrow.parquet", "parquet")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a readable parquet file ({first})", path=path) from None
    for index, data in enumerate(table.to_pylist()):
        yield Row(index, index + 1, data)


def _object(data: Any, path: Path, line: int) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object, got {type(data).__name__}", path=path, line=line)
    return data


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _LineCounter:
    """Line numbers of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line
