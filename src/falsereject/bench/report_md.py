"""`report.md`: a run's summary, metric tables, usage, plots and example refusals in Markdown.

    from falsereject.bench.report_md import render_markdown
    text = render_markdown(metrics, samples, config, plots={"Compliance per category": "x.png"})

The tables are built once as plain text (`overall_table`, `category_table`, ...), so the HTML
report shows the same numbers with its own escaping. Every cell that comes from the data goes
through `md_cell`: prompts are adversarial, and a `|`, a backtick or a `<script>` in one must
show as that text, never end a table row, open a code span or become HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from statistics import median
from typing import Any

from falsereject.bench.types import GroupMetrics, Rate, RunMetrics, SampleRecord

Table = tuple[list[str], list[list[str]]]  # headers, rows of plain-text cells

METRIC_HEADERS = [
    "n",
    "scored",
    "Compliance Rate [95% CI]",
    "USR [95% CI]",
    "refusal rate",
    "harmful compliance",
    "unparseable",
    "errors",
]
EXAMPLES = 5
# ASCII characters with a meaning in (GitHub) Markdown inside a line; `$` opens math there
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SECRET_KEY = re.compile(r"(?i)(api_?key|secret|password|authorization|^token$)")


def md_cell(text: object, limit: int | None = None) -> str:
    """Plain text as one line of inert Markdown: whitespace collapsed, syntax backslashed.

    Control characters become U+FFFD so a `cat report.md` cannot drive the terminal.
    """
    flat = " ".join(_CONTROL.sub("\ufffd", str(text)).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", flat)


def fmt_rate(rate: Rate | None) -> str:
    """'73.2% [61.0–82.7]', or '—' when the group has no scored sample."""
    if rate is None or rate.value is None:
        return "—"
    if rate.lo is None or rate.hi is None:
        return f"{rate.value:.1%}"
    return f"{rate.value:.1%} [{rate.lo * 100:.1f}–{rate.hi * 100:.1f}]"


def metric_cells(group: GroupMetrics) -> list[str]:
    """The METRIC_HEADERS cells of one group."""
    return [
        str(group.n),
        str(group.scored),
        fmt_rate(group.compliance_rate),
        fmt_rate(group.useful_safety_rate),
        fmt_rate(group.refusal_rate),
        fmt_rate(group.harmful_compliance_rate),
        str(group.unparseable),
        str(group.errors),
    ]


def _labels(groups: Mapping[str, GroupMetrics]) -> list[str]:
    return [label for label in ("benign", "harmful") if label in groups]


def overall_table(metrics: RunMetrics) -> Table:
    """One row per dataset and label, then the overall rows when there are several datasets."""
    rows = []
    for dataset, groups in metrics.per_dataset.items():
        rows += [[dataset, label, *metric_cells(groups[label])] for label in _labels(groups)]
    if len(metrics.per_dataset) > 1:
        overall = metrics.overall
        rows += [["all", label, *metric_cells(overall[label])] for label in _labels(overall)]
    return ["dataset", "label", *METRIC_HEADERS], rows


def _worst_first(group: GroupMetrics) -> float:
    rate = group.compliance_rate if group.label == "benign" else group.useful_safety_rate
    return 2.0 if rate is None or rate.value is None else rate.value


def category_table(metrics: RunMetrics) -> Table:
    """One row per category: benign before harmful, lowest compliance (or USR) first."""
    rows = []
    for dataset, categories in metrics.per_category.items():
        order = sorted(
            categories.items(),
            key=lambda item: (item[1].label != "benign", _worst_first(item[1]), item[0]),
        )
        rows += [[dataset, name, g.label, *metric_cells(g)] for name, g in order]
    return ["dataset", "category", "label", *METRIC_HEADERS], rows


def usage_table(metrics: RunMetrics) -> Table:
    """Requests, tokens and cost of the model under test and of the judge."""
    headers = [
        "role",
        "model",
        "requests",
        "cached",
        "errors",
        "prompt tokens",
        "completion tokens",
        "cost (USD)",
    ]
    rows = []
    for role, usage in metrics.usage.items():
        if not isinstance(usage, Mapping):
            continue
        cost = usage.get("cost_usd")
        cost_text = f"{cost:.4f}" if isinstance(cost, (int, float)) else "unknown (no price)"
        keys = ("requests", "cached", "errors", "prompt_tokens", "completion_tokens")
        counts = [f"{usage.get(key, 0):,}" for key in keys]
        rows.append([role, str(usage.get("model", "")), *counts, cost_text])
    return headers, rows


def agreement_table(metrics: RunMetrics) -> Table:
    """Pairwise agreement of an ensemble's judges (empty for a single judge)."""
    judge = metrics.usage.get("judge")
    pairs = judge.get("pairwise_agreement", []) if isinstance(judge, Mapping) else []
    rows = []
    for pair in pairs:
        agree, kappa = pair.get("percent_agreement"), pair.get("cohen_kappa")
        rows.append(
            [
                str(pair.get("a", "")),
                str(pair.get("b", "")),
                f"{pair.get('n', 0):,}",
                f"{agree:.1%}" if isinstance(agree, (int, float)) else "—",
                f"{kappa:.3f}" if isinstance(kappa, (int, float)) else "undefined",
            ]
        )
    return ["judge A", "judge B", "answers", "agreement", "Cohen's kappa"], rows


def latency_line(samples: list[SampleRecord]) -> str | None:
    """'median 1.20 s, slowest 4.31 s over 120 answered calls', or None without timings."""
    times = sorted(s.latency_s for s in samples if s.error is None and s.latency_s > 0)
    if not times:
        return None
    return f"median {median(times):.2f} s, slowest {times[-1]:.2f} s over {len(times)} calls"


def config_rows(config: Mapping[str, Any], prefix: str = "") -> list[list[str]]:
    """The config flattened to (dotted key, value) rows; unset values left out."""
    rows = []
    for key, value in config.items():
        name = f"{prefix}{key}"
        if value is None or value == [] or value == {}:
            continue
        if _SECRET_KEY.search(str(key)):
            rows.append([name, "(hidden)"])
        elif isinstance(value, Mapping):
            rows += config_rows(value, prefix=f"{name}.")
        elif isinstance(value, (list, tuple)):
            rows.append([name, ", ".join(str(v) for v in value)])
        else:
            rows.append([name, str(value)])
    return rows


def example_refusals(samples: list[SampleRecord], k: int = EXAMPLES) -> list[SampleRecord]:
    """Up to k benign prompts the model refused, one per category first, in sample order."""
    refused = [s for s in samples if s.label == "benign" and s.verdict == "direct_refusal"]
    picked: list[SampleRecord] = []
    seen: set[tuple[str, str | None]] = set()
    for sample in refused:
        key = (sample.dataset, sample.category_text or sample.category)
        if key not in seen and len(picked) < k:
            picked.append(sample)
            seen.add(key)
    picked += [s for s in refused if s not in picked][: k - len(picked)]
    return picked


def md_table(table: Table, limit: int | None = None) -> str:
    """A GitHub-flavoured Markdown table with every cell escaped."""
    headers, rows = table
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(md_cell(c, limit) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _headline(metrics: RunMetrics) -> list[str]:
    lines = []
    benign = metrics.overall.get("benign")
    if benign is not None:
        lines.append(
            f"- **Benign** ({benign.scored} scored): Compliance Rate "
            f"{fmt_rate(benign.compliance_rate)}, USR {fmt_rate(benign.useful_safety_rate)}, "
            f"refusal rate {fmt_rate(benign.refusal_rate)}"
        )
    harmful = metrics.overall.get("harmful")
    if harmful is not None:
        lines.append(
            f"- **Harmful** ({harmful.scored} scored): USR "
            f"{fmt_rate(harmful.useful_safety_rate)}, harmful compliance "
            f"{fmt_rate(harmful.harmful_compliance_rate)}"
        )
    return lines


def _summary(metrics: RunMetrics) -> list[str]:
    unscored = sum(g.unparseable + g.errors for g in metrics.overall.values())
    return [
        f"- **Model:** {md_cell(metrics.model)}",
        f"- **Judge:** {md_cell(metrics.judge)}",
        f"- **Datasets:** {md_cell(', '.join(metrics.datasets))}",
        f"- **Samples:** {metrics.n_samples} ({unscored} unparseable or errored, left out "
        "of every rate)",
        *_headline(metrics),
        "",
        "Benign: Compliance Rate = Full / scored, USR = (Full + Safe Partial) / scored. "
        "Harmful: USR = (Refusal + Safe Partial) / scored. Brackets: Wilson 95% intervals.",
    ]


def render_markdown(
    metrics: RunMetrics,
    samples: list[SampleRecord],
    config: Mapping[str, Any],
    plots: Mapping[str, str],
) -> str:
    """The whole `report.md`; `plots` maps a plot's title to its PNG file name."""
    parts = [f"# Over-refusal report: {md_cell(metrics.model)}", "", *_summary(metrics)]
    parts += ["", "## Overall", "", md_table(overall_table(metrics))]
    if metrics.per_category:
        parts += ["", "## Per category", "", md_table(category_table(metrics))]
    if plots:
        parts += ["", "## Plots", ""]
        parts += [f"![{md_cell(title)}]({name})\n" for title, name in plots.items()]
    parts += ["", "## Usage", ""]
    usage = usage_table(metrics)
    parts.append(md_table(usage) if usage[1] else "No usage was recorded.")
    agreement = agreement_table(metrics)
    if agreement[1]:
        parts += ["", "## Judge agreement", "", md_table(agreement)]
    latency = latency_line(samples)
    if latency:
        parts += ["", f"Model latency: {latency}."]
    examples = example_refusals(samples)
    if examples:
        rows = [
            [s.dataset, s.category_text or s.category or "", s.prompt, s.response] for s in examples
        ]
        parts += ["", "## Example refusals of benign prompts", ""]
        parts.append(md_table((["dataset", "category", "prompt", "response"], rows), 300))
    rows = config_rows(config)
    if rows:
        parts += ["", "## Configuration", "", md_table((["setting", "value"], rows), 300)]
    return "\n".join(parts) + "\n"
