"""`report.html`: one self-contained page with the metric tables, the plots and every sample.

    from falsereject.bench.report_html import render_html
    page = render_html(metrics, samples, config, images=[("Compliance per category", png)])

The page loads nothing from anywhere: CSS and JS are inline, the plots are base64 data URIs,
and a Content-Security-Policy allows only the page's own style and script (by SHA-256 hash),
so nothing else can run or load even if some markup got in. Samples are adversarial text:

- everything this module puts into the markup goes through `html.escape`;
- the samples travel as JSON in `<script type="application/json">`, with `<`, `>` and `&`
  written as `\\u003c`, `\\u003e`, `\\u0026` (and all non-ASCII as `\\uXXXX`), so no
  `</script>` or `<!--` can appear inside it;
- the page's script renders them with `textContent` only (report_template.html).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from falsereject.bench.report_md import (
    Table,
    agreement_table,
    category_table,
    config_rows,
    fmt_rate,
    latency_line,
    overall_table,
    usage_table,
)
from falsereject.bench.types import RunMetrics, SampleRecord

TEMPLATE = Path(__file__).with_name("report_template.html")
_SLOT = re.compile(r"\{\{(\w+)\}\}")
_NUMERIC = re.compile(r"[\d.,%\[\]–— ]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@cache
def _template() -> tuple[str, str]:
    """The template and its CSP; read in text mode so CRLF checkouts hash like the browser."""
    text = TEMPLATE.read_text(encoding="utf-8")
    script = re.search(r"<script>(.*?)</script>", text, re.S)
    style = re.search(r"<style>(.*?)</style>", text, re.S)
    if script is None or style is None or "{{" in script[1] + style[1]:
        raise RuntimeError(f"{TEMPLATE}: needs one plain <script> and <style> without slots")
    csp = (
        f"default-src 'none'; script-src {_sha256(script[1])}; style-src {_sha256(style[1])}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return text, csp


def _sha256(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _finite(value: float | None) -> float | None:
    """NaN and infinity are not JSON; the page shows them as absent."""
    return value if value is not None and math.isfinite(value) else None


def _clean(value: Any) -> Any:
    """Lone surrogates (broken UTF-16 from some model outputs) become U+FFFD.

    A DOM text node holding one crashes headless Chromium when it serialises the page, and
    no browser can show one anyway.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def sample_row(sample: SampleRecord) -> dict[str, Any]:
    """What the page's script needs of one sample, with lone surrogates replaced."""
    row = {
        "id": sample.id,
        "dataset": sample.dataset,
        "label": sample.label,
        "category": sample.category_text or sample.category,
        "prompt": sample.prompt,
        "response": sample.response,
        "reasoning": sample.reasoning,
        "error": sample.error,
        "verdict": sample.verdict,
        "judge": sample.judge,
        "rationale": sample.rationale,
        "judge_votes": sample.judge_votes,
        "confidence": _finite(sample.confidence),
        "prompt_tokens": sample.prompt_tokens,
        "completion_tokens": sample.completion_tokens,
        "latency_s": _finite(sample.latency_s),
        "finish_reason": sample.finish_reason,
    }
    return {key: _clean(value) for key, value in row.items()}


def samples_json(samples: Sequence[SampleRecord]) -> str:
    """The samples as JSON that is safe inside a <script> element (see the module docstring).

    ASCII output also turns U+2028/U+2029 and lone surrogates into escapes that JSON.parse
    accepts, so any Python string survives the trip.
    """
    text = json.dumps([sample_row(s) for s in samples], ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_table(table: Table) -> str:
    """An escaped HTML table; number-like cells are right-aligned."""
    headers, rows = table
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if _NUMERIC.fullmatch(c) else f"<td>{_e(c)}</td>"
            for c in row
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _summary(metrics: RunMetrics, samples: Sequence[SampleRecord]) -> str:
    items = [
        ("Model", metrics.model),
        ("Judge", metrics.judge),
        ("Datasets", ", ".join(metrics.datasets)),
        ("Samples", f"{metrics.n_samples}"),
    ]
    benign = metrics.overall.get("benign")
    if benign is not None:
        items.append(
            (
                "Benign",
                f"Compliance Rate {fmt_rate(benign.compliance_rate)} · "
                f"USR {fmt_rate(benign.useful_safety_rate)} · {benign.scored} scored",
            )
        )
    harmful = metrics.overall.get("harmful")
    if harmful is not None:
        items.append(
            (
                "Harmful",
                f"USR {fmt_rate(harmful.useful_safety_rate)} · harmful compliance "
                f"{fmt_rate(harmful.harmful_compliance_rate)} · {harmful.scored} scored",
            )
        )
    latency = latency_line(list(samples))
    if latency:
        items.append(("Latency", latency))
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return (
        f'<dl class="summary">{rows}</dl><p class="note">Benign: Compliance Rate = Full / '
        "scored, USR = (Full + Safe Partial) / scored. Harmful: USR = (Refusal + Safe Partial) "
        "/ scored. Brackets: Wilson 95% intervals. Unparseable and errored samples are counted "
        "but left out of every rate.</p>"
    )


def _figures(images: Sequence[tuple[str, bytes]]) -> str:
    figures = []
    for i, (title, png) in enumerate(images):
        data = base64.b64encode(png).decode("ascii")
        wide = ' class="wide"' if i == 0 else ""  # the per-category bars need the full width
        figures.append(
            f'<figure{wide}><img src="data:image/png;base64,{data}" alt="{_e(title)}">'
            f"<figcaption>{_e(title)}</figcaption></figure>"
        )
    return "".join(figures) or '<p class="note">No plots.</p>'


def _categories(metrics: RunMetrics) -> str:
    count = sum(len(c) for c in metrics.per_category.values())
    if not count:
        return ""
    # folded: the plot above shows the same numbers, and 46 rows would push the samples away
    return (
        f"<section><h2>Per category</h2><details><summary>Table of {count} categories, "
        f"lowest compliance first</summary>{html_table(category_table(metrics))}</details>"
        "</section>"
    )


def render_html(
    metrics: RunMetrics,
    samples: Sequence[SampleRecord],
    config: Mapping[str, Any],
    images: Sequence[tuple[str, bytes]] = (),
) -> str:
    """The whole `report.html`; `images` are (title, PNG bytes), the per-category plot first."""
    template, csp = _template()
    usage = usage_table(metrics)
    agreement = agreement_table(metrics)
    config_table = config_rows(config)
    slots = {
        "csp": _e(csp),
        "title": _e(f"Over-refusal report: {metrics.model}"),
        "summary": _summary(metrics, samples),
        "overall": html_table(overall_table(metrics)),
        "categories": _categories(metrics),
        "plots": _figures(images),
        "usage": (html_table(usage) if usage[1] else '<p class="note">No usage recorded.</p>')
        + (f"<h3>Judge agreement</h3>{html_table(agreement)}" if agreement[1] else ""),
        "samples_json": samples_json(samples),
        "config": (
            "<section><h2>Configuration</h2><details><summary>Resolved config</summary>"
            f"{html_table((['setting', 'value'], config_table))}</details></section>"
            if config_table
            else ""
        ),
    }
    # one pass: text put into a slot is never scanned for further slots
    return _SLOT.sub(lambda m: slots[m[1]], template)
