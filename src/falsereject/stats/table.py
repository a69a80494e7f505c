"""Render `DatasetStats` rows as a terminal table, Markdown, CSV or JSON.

    from falsereject.stats import format_stats, stats_table
    print(format_stats(stats_table(["demo"]), "markdown"))

CSV and JSON carry the raw numbers (JSON also lists every near-duplicate pair); the terminal
table and Markdown round them for reading. Undefined values print as `n/a` (empty in CSV,
null in JSON).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Literal

from falsereject.stats.report import DatasetStats

StatsFormat = Literal["table", "markdown", "csv", "json"]
FORMATS: tuple[str, ...] = ("table", "markdown", "csv", "json")
PAIRS_SHOWN = 5  # near-duplicate pairs listed under the terminal table, per set


def _num(digits: int) -> Callable[[float | None], str]:
    return lambda value: "n/a" if value is None else f"{value:.{digits}f}"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


# (Markdown header, terminal header, CSV/JSON key, reader, readable text); the rejection-rate
# column appears only when some row has one, so the table matches the paper's otherwise
COLUMNS = (
    ("Dataset", "Dataset", "dataset", lambda s: s.dataset, str),
    ("Prompts", "Size", "prompts", lambda s: s.prompts, str),
    ("Categories", "Topics", "categories", lambda s: s.categories, str),
    ("Mean tokens", "Len", "mean_length", lambda s: s.mean_length, _num(1)),
    ("Self-BLEU ↓", "SBLEU↓", "self_bleu", lambda s: s.self_bleu, _num(4)),
    ("Dist-1 ↑", "Dist1↑", "dist_1", lambda s: s.dist_1, _num(4)),
    ("Dist-2 ↑", "Dist2↑", "dist_2", lambda s: s.dist_2, _num(4)),
    ("Training responses", "Train", "training_responses", lambda s: s.training_responses, _yes),
    ("CoT responses", "CoT", "cot_responses", lambda s: s.cot_responses, _yes),
    ("Near-dup pairs", "Dups", "near_duplicate_pairs", lambda s: len(s.near_duplicates), str),
)
REJECTION = (
    "Rejection rate",
    "Reject",
    "rejection_rate",
    lambda s: s.rejection_rate,
    _rate,
)
TERMINAL_KEY = (
    "Size: prompts. Topics: categories. Len: mean tokens. SBLEU: Self-BLEU. Train/CoT: "
    "carries training / chain-of-thought responses. Dups: near-duplicate pairs"
)


def format_stats(rows: Sequence[DatasetStats], fmt: StatsFormat = "table") -> str:
    """The rows in `fmt`: `table`, `markdown`, `csv` or `json`."""
    renderers = {"table": _terminal, "markdown": _markdown, "csv": _csv, "json": _json}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return renderers[fmt](rows)


def _columns(rows: Sequence[DatasetStats]) -> tuple:
    if any(row.rejection_rate is not None for row in rows):
        return (*COLUMNS, REJECTION)
    return COLUMNS


def _cells(
    rows: Sequence[DatasetStats], *, short: bool = False
) -> tuple[list[str], list[list[str]]]:
    columns = _columns(rows)
    headers = [terse if short else header for header, terse, _, _, _ in columns]
    return headers, [[show(read(row)) for *_, read, show in columns] for row in rows]


def rich_table(rows: Sequence[DatasetStats]):
    """A `rich.table.Table` of the rows, for printing to a terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    headers, cells = _cells(rows, short=True)
    threshold = rows[0].near_duplicate_threshold if rows else None
    table = Table(
        title="Dataset statistics",
        caption=f"{TERMINAL_KEY} (3-token-shingle Jaccard >= {threshold})." if rows else None,
        box=box.SIMPLE_HEAD,  # light rules leave room for ten columns in 80 characters
        pad_edge=False,
        collapse_padding=True,
    )
    # values never shrink (a clipped number misleads); headers and long file paths wrap
    table.add_column(headers[0], overflow="fold", min_width=12)
    for i, header in enumerate(headers[1:], 1):
        width = max(len(row[i]) for row in cells) if cells else 1
        table.add_column(header, justify="right", min_width=width, overflow="fold")
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))  # names and paths are data, not markup
    return table


def near_duplicate_lines(rows: Sequence[DatasetStats]) -> list[str]:
    """A few near-duplicate pairs per set, for reading under the table."""
    lines = []
    for row in rows:
        if not row.near_duplicates:
            continue
        lines.append(f"{row.dataset}: {len(row.near_duplicates)} near-duplicate pairs")
        for pair in row.near_duplicates[:PAIRS_SHOWN]:
            lines.append(f"  {pair.first}  {pair.second}  similarity {pair.similarity:.3f}")
        if len(row.near_duplicates) > PAIRS_SHOWN:
            lines.append(f"  ... {len(row.near_duplicates) - PAIRS_SHOWN} more (--format json)")
    return lines


def _terminal(rows: Sequence[DatasetStats]) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None, highlight=False)
    console.print(rich_table(rows))
    for line in near_duplicate_lines(rows):
        console.print(line, markup=False)
    return buffer.getvalue()


def _markdown(rows: Sequence[DatasetStats]) -> str:
    headers, cells = _cells(rows)
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(headers) - 1)) + "|")
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def _csv(rows: Sequence[DatasetStats]) -> str:
    columns = _columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for _, _, key, _, _ in columns])
    for row in rows:
        writer.writerow([_csv_value(read(row)) for *_, read, _ in columns])
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _json(rows: Sequence[DatasetStats]) -> str:
    return json.dumps([row.model_dump(mode="json") for row in rows], indent=2) + "\n"
