"""Measure judges against human labels: `falsereject judge-eval` and its library function.

    falsereject judge-eval labelled.csv --judge strmatch --judge embedded --json scores.json
    from falsereject.judge.evaluate import evaluate_judges
    report = evaluate_judges("labelled.jsonl", ["strmatch", "openai/gpt-4o"])

For each judge: 3-class accuracy, binary accuracy (any refusal vs full compliance, see
`labels.py`), Cohen's kappa (3-class and binary), per-class precision and recall, and the
confusion matrix (rows: human label; columns: the judge's verdict, with `unparseable` and
`error` columns so nothing is hidden). Accuracies and kappas are over the items the judge
scored; `accuracy_all` counts its unparseable and errored items as wrong, for judges that
fail often.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from falsereject.judge.agreement import accuracy, cohen_kappa, confusion_matrix, precision_recall
from falsereject.judge.labels import BINARY_LABELS, LabelMap, to_binary
from falsereject.judge.registry import get_judge, judge_sync
from falsereject.judge.sheets import column, read_rows
from falsereject.judge.types import CLASSES, DISPLAY, Judge, JudgeInput

VERDICT_COLUMNS = (*CLASSES, "unparseable", "error")


class LabelledItem(BaseModel):
    """A prompt, an answer, and the class a person gave it."""

    prompt: str
    response: str
    label: str  # one of CLASSES
    line: int | None = None


class ClassScore(BaseModel):
    """Precision and recall of one class; None when undefined (nothing predicted / present)."""

    precision: float | None
    recall: float | None
    support: int


class JudgeScore(BaseModel):
    """How one judge agrees with the human labels."""

    judge: str
    n: int
    scored: int
    unparseable: int
    errors: int
    accuracy: float | None
    accuracy_all: float | None
    binary_accuracy: float | None
    cohen_kappa: float | None
    binary_kappa: float | None
    per_class: dict[str, ClassScore]
    confusion: dict[str, dict[str, int]]  # human class -> judge verdict -> count
    seconds: float = 0.0
    verdicts: list[str] = Field(default_factory=list)


class JudgeEvalReport(BaseModel):
    """Every judge's scores on one labelled set."""

    source: str | None
    n: int
    label_counts: dict[str, int]
    judges: list[JudgeScore]


def read_labelled(
    path: str | Path,
    *,
    prompt_column: str = "prompt",
    response_column: str = "response",
    label_column: str = "label",
    label_map: LabelMap | str | list[str] | None = None,
) -> list[LabelledItem]:
    """Read a CSV/JSONL/JSON of labelled answers; bad rows name the file and line."""
    labels = label_map if isinstance(label_map, LabelMap) else LabelMap.parse(label_map)
    items = []
    for line, row in read_rows(path):
        items.append(
            LabelledItem(
                prompt=column(row, prompt_column, path=path, line=line),
                response=column(row, response_column, path=path, line=line),
                label=labels.to_class(
                    column(row, label_column, path=path, line=line), path=path, line=line
                ),
                line=line,
            )
        )
    return items


def score_verdicts(judge: str, truth: Sequence[str], verdicts: Sequence[str]) -> JudgeScore:
    """Score `verdicts` against human classes `truth` (same order, same length)."""
    pairs = [(t, v) for t, v in zip(truth, verdicts, strict=True) if v in CLASSES]
    human, judged = [t for t, _ in pairs], [v for _, v in pairs]
    bin_human, bin_judged = [to_binary(t) for t in human], [to_binary(v) for v in judged]
    correct = sum(t == v for t, v in pairs)
    matrix = confusion_matrix(list(truth), list(verdicts), VERDICT_COLUMNS)
    return JudgeScore(
        judge=judge,
        n=len(truth),
        scored=len(pairs),
        unparseable=sum(v == "unparseable" for v in verdicts),
        errors=sum(v == "error" for v in verdicts),
        accuracy=accuracy(human, judged),
        accuracy_all=correct / len(truth) if truth else None,
        binary_accuracy=accuracy(bin_human, bin_judged),
        cohen_kappa=cohen_kappa(human, judged, CLASSES),
        binary_kappa=cohen_kappa(bin_human, bin_judged, BINARY_LABELS),
        per_class={c: ClassScore(**s) for c, s in precision_recall(human, judged, CLASSES).items()},
        confusion={
            c: {v: int(matrix[i, j]) for j, v in enumerate(VERDICT_COLUMNS)}
            for i, c in enumerate(CLASSES)
        },
        verdicts=list(verdicts),
    )


def evaluate_judges(
    source: str | Path | Sequence[LabelledItem],
    judges: Sequence[str | Judge],
    *,
    prompt_column: str = "prompt",
    response_column: str = "response",
    label_column: str = "label",
    label_map: LabelMap | str | list[str] | None = None,
    base_url: str | None = None,
    cache: bool = True,
    cache_dir: str | None = None,
    max_connections: int | None = None,
    timeout: float | None = None,
) -> JudgeEvalReport:
    """Run every judge on the labelled items and score each against the human labels.

    A judge is a name for `get_judge` (`"strmatch"`, `"openai/gpt-4o"`, `"a,b"` for an
    ensemble) or a ready `Judge`; LLM judges use `base_url` and the cache options.
    """
    if isinstance(source, (str, Path)):
        items = read_labelled(
            source,
            prompt_column=prompt_column,
            response_column=response_column,
            label_column=label_column,
            label_map=label_map,
        )
        origin: str | None = str(source)
    else:
        items, origin = list(source), None
    inputs = [JudgeInput(prompt=i.prompt, response=i.response) for i in items]
    truth = [i.label for i in items]
    scores = []
    for spec in judges:
        judge = (
            spec
            if isinstance(spec, Judge)
            else get_judge(
                spec,
                base_url=base_url,
                cache=cache,
                cache_dir=cache_dir,
                max_connections=max_connections,
                timeout=timeout,
            )
        )
        start = time.perf_counter()
        verdicts = [j.verdict for j in judge_sync(judge, inputs)]
        score = score_verdicts(judge.name, truth, verdicts)
        score.seconds = time.perf_counter() - start
        scores.append(score)
    counts = Counter(truth)
    return JudgeEvalReport(
        source=origin, n=len(items), label_counts={c: counts[c] for c in CLASSES}, judges=scores
    )


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths]), *map(line, rows)]


def format_report(report: JudgeEvalReport) -> str:
    """The report as plain text: judges side by side, then one confusion matrix each."""
    counts = ", ".join(f"{DISPLAY[c]} {report.label_counts.get(c, 0)}" for c in CLASSES)
    out = [f"{report.source or 'labelled items'}: {report.n} items ({counts})", ""]
    js = report.judges
    rows = [
        ["scored", *(_fmt(j.scored) for j in js)],
        ["unparseable", *(_fmt(j.unparseable) for j in js)],
        ["errors", *(_fmt(j.errors) for j in js)],
        ["accuracy (3-class)", *(_fmt(j.accuracy) for j in js)],
        ["accuracy, failures wrong", *(_fmt(j.accuracy_all) for j in js)],
        ["binary accuracy", *(_fmt(j.binary_accuracy) for j in js)],
        ["Cohen's kappa (3-class)", *(_fmt(j.cohen_kappa) for j in js)],
        ["Cohen's kappa (binary)", *(_fmt(j.binary_kappa) for j in js)],
    ]
    for c in CLASSES:
        rows.append([f"{DISPLAY[c]} precision", *(_fmt(j.per_class[c].precision) for j in js)])
        rows.append([f"{DISPLAY[c]} recall", *(_fmt(j.per_class[c].recall) for j in js)])
    rows.append(["seconds", *(f"{j.seconds:.2f}" for j in js)])
    out += _table(["", *(j.judge for j in js)], rows)
    for j in js:
        out += ["", f"confusion of {j.judge} (rows: human, columns: judge)"]
        matrix = [[DISPLAY[c], *(str(j.confusion[c][v]) for v in VERDICT_COLUMNS)] for c in CLASSES]
        out += _table(["", *(DISPLAY[v] for v in VERDICT_COLUMNS)], matrix)
    out.append("")
    out.append(
        "binary: refusal = Direct Refusal or Safe Partial Compliance; compliance = Full Compliance"
    )
    return "\n".join(out)
