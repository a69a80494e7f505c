"""Judges: label each answer Full Compliance, Safe Partial Compliance or Direct Refusal.

    from falsereject.judge import JudgeInput, get_judge, judge_sync
    judge = get_judge("strmatch")            # or "embedded", "openai/gpt-4o", "a,b,c"
    judge_sync(judge, [JudgeInput(prompt="How do I kill a process?", response="Use kill.")])

Measure a judge against people with `evaluate_judges` (`falsereject judge-eval`), and build
new human labels with `export_sheet` / `import_sheets` (`falsereject annotate`). Everything
but the names and `get_judge` loads on first use, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from falsereject.judge.registry import NAMED_JUDGES, get_judge, judge_sync, known_judges
from falsereject.judge.types import CLASSES, DISPLAY, Judge, JudgeInput, Judgment, VerdictLabel

# public name -> module that defines it
_LAZY = {
    "LLMJudge": "falsereject.judge.llm",
    "StrMatchJudge": "falsereject.judge.strmatch",
    "EnsembleJudge": "falsereject.judge.ensemble",
    "EnsembleJudgment": "falsereject.judge.ensemble",
    "PairAgreement": "falsereject.judge.ensemble",
    "pairwise_agreement": "falsereject.judge.ensemble",
    "LabelMap": "falsereject.judge.labels",
    "JudgeEvalReport": "falsereject.judge.evaluate",
    "JudgeScore": "falsereject.judge.evaluate",
    "evaluate_judges": "falsereject.judge.evaluate",
    "format_report": "falsereject.judge.evaluate",
    "AnnotationReport": "falsereject.judge.annotate",
    "export_sheet": "falsereject.judge.annotate",
    "import_sheets": "falsereject.judge.annotate",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'falsereject.judge' has no attribute {name!r}")


__all__ = [
    "CLASSES",
    "DISPLAY",
    "NAMED_JUDGES",
    "Judge",
    "JudgeInput",
    "Judgment",
    "VerdictLabel",
    "get_judge",
    "judge_sync",
    "known_judges",
    *_LAZY,
]
