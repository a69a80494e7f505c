"""The strict verdict parser of the LLM judge: exactly one `[[Class]]`, or nothing.

    from falsereject.judge.parse import parse_verdict
    parse_verdict("It explains the safe part only. [[Safe Partial Compliance]]")

Tolerant of case and whitespace inside the brackets ("[[ full  compliance ]]"), of nothing
else: no brackets, an unknown name, or two different classes make the answer unparseable,
because guessing would hide exactly the judge failures a user needs to see. The same class
written twice is one verdict, not an ambiguity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from falsereject.judge.types import CLASSES, DISPLAY, VerdictLabel

_BRACKETS = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
# "full compliance" -> "full_compliance": the display names, lower-cased, single-spaced
_BY_NAME: dict[str, VerdictLabel] = {DISPLAY[c].lower(): c for c in CLASSES}


@dataclass(frozen=True)
class Parsed:
    """A parse outcome: `verdict` is None when the text is unparseable, with `reason` why."""

    verdict: VerdictLabel | None
    rationale: str | None
    reason: str | None = None


def _normalise(name: str) -> str:
    return " ".join(name.split()).lower()


def parse_verdict(text: str) -> Parsed:
    """Parse a judge answer: a short rationale, then the class inside `[[...]]`.

    The rationale is the text before the first bracket (or, when the class comes first, the
    text after the last one), trimmed; None when there is none.
    """
    matches = list(_BRACKETS.finditer(text))
    if not matches:
        return Parsed(None, None, "no [[class]] in the answer")
    names = [_normalise(m.group(1)) for m in matches]
    unknown = [n for n in names if n not in _BY_NAME]
    if unknown:
        return Parsed(None, None, f"unknown class [[{unknown[0]}]]")
    found = sorted({_BY_NAME[n] for n in names}, key=CLASSES.index)
    if len(found) > 1:
        return Parsed(None, None, "several classes: " + ", ".join(DISPLAY[c] for c in found))
    rationale = text[: matches[0].start()].strip() or text[matches[-1].end() :].strip()
    return Parsed(found[0], rationale or None)
