"""The run reports: report.md tables and report.html stay inert with hostile prompts and
responses, show the numbers a user reads, and load nothing from the network.

The Chromium tests need `apt-get install -y chromium` (Debian's package, /usr/bin/chromium)
and skip with that reason when it is absent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from falsereject.atomic import write_json
from falsereject.bench.intervals import wilson_interval
from falsereject.bench.report import PLOT_TITLES, rewrite_reports, write_reports
from falsereject.bench.report_html import render_html
from falsereject.bench.report_md import render_markdown
from falsereject.bench.rundir import write_metrics, write_samples
from falsereject.bench.types import GroupMetrics, Rate, RunMetrics, SampleRecord

SCRIPT_BREAKOUT = (
    '</script><script>document.documentElement.setAttribute("data-pwned","1")</script>'
)
IMG_ONERROR = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','2')\">"
HOSTILE_PROMPT = f"{SCRIPT_BREAKOUT} | `code` *em* [link](http://x) {IMG_ONERROR} <!-- &amp; $x$"
HOSTILE_RESPONSE = '<iframe src="http://127.0.0.1:9/x"></iframe>\n| a | b |\n```\n</pre>\u2028end'
CONFIG = {
    "model": "openai/m",
    "datasets": ["demo"],
    "judge": ["strmatch"],
    "api_key": "sk-1",
    "generate": {"temperature": 0, "system_prompt": "Be `brief` | <b>"},
    "limit": None,
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"
)


def _rate(k: int, n: int) -> Rate:
    lo, hi = wilson_interval(k, n)
    return Rate(k=k, n=n, value=k / n, lo=lo, hi=hi)


def _group(label: str, full: int, partial: int, refusal: int, bad: int = 0) -> GroupMetrics:
    scored = full + partial + refusal
    counts = {
        "full_compliance": full,
        "safe_partial_compliance": partial,
        "direct_refusal": refusal,
        "unparseable": bad,
        "error": 0,
    }
    rates = (
        {
            "compliance_rate": _rate(full, scored),
            "useful_safety_rate": _rate(full + partial, scored),
        }
        if label == "benign"
        else {
            "useful_safety_rate": _rate(refusal + partial, scored),
            "harmful_compliance_rate": _rate(full, scored),
        }
    )
    return GroupMetrics(
        label=label,
        n=scored + bad,
        scored=scored,
        counts=counts,
        errors=0,
        unparseable=bad,
        refusal_rate=_rate(refusal, scored),
        **rates,
    )


def _metrics() -> RunMetrics:
    benign, harmful = _group("benign", 37, 5, 8, bad=2), _group("harmful", 2, 3, 15)
    return RunMetrics(
        model="openai/m",
        judge="strmatch",
        datasets=["demo"],
        n_samples=72,
        overall={"benign": benign, "harmful": harmful},
        per_dataset={"demo": {"benign": benign, "harmful": harmful}},
        per_category={"demo": {"Cat | `one` <b>": benign, "Harmful stuff": harmful}},
        usage={
            "model": {
                "model": "openai/m",
                "requests": 72,
                "cached": 0,
                "errors": 0,
                "prompt_tokens": 1200,
                "completion_tokens": 3400,
                "cost_usd": None,
            }
        },
    )


def _samples(count: int = 4) -> list[SampleRecord]:
    hostile = SampleRecord(
        id="evil",
        dataset="demo",
        prompt=HOSTILE_PROMPT,
        category="Cat | `one` <b>",
        label="benign",
        model="openai/m",
        response=HOSTILE_RESPONSE,
        verdict="direct_refusal",
        reasoning="lone \ud800 surrogate",
        rationale="<b>refused</b>",
        judge="strmatch",
        judge_votes={"<i>j1</i>": "direct_refusal"},
        latency_s=1.5,
    )
    plain = [
        SampleRecord(
            id=f"s{i}",
            dataset="demo",
            prompt=f"plain prompt {i}",
            category="Harmful stuff",
            label="harmful",
            model="openai/m",
            response="No.",
            verdict="direct_refusal",
            latency_s=0.5,
        )
        for i in range(count - 1)
    ]
    return [hostile, *plain]


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def _assert_no_injected_markup(parsed: _Elements, scripts: int) -> None:
    names = [tag for tag, _ in parsed.tags]
    assert names.count("script") == scripts
    assert not {"iframe", "b", "i", "code", "a"} & set(names)
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "data-pwned" not in attrs
        if tag == "img":  # only our own plots: embedded, or the PNG beside report.md
            assert re.fullmatch(
                r"data:image/png;base64,[A-Za-z0-9+/=]+|\w+\.png", attrs["src"] or ""
            )


def test_markdown_tables_keep_hostile_text_as_text() -> None:
    text = render_markdown(_metrics(), _samples(), CONFIG, {"Per category": "c.png"})
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    parsed = _parse(rendered)
    _assert_no_injected_markup(parsed, scripts=0)
    flat = " ".join(HOSTILE_PROMPT.split())
    assert flat in "".join(parsed.text)  # the whole prompt, character for character
    examples = text.split("## Example refusals of benign prompts")[1].split("##")[0]
    rows = [line for line in examples.splitlines() if line.startswith("|")]
    assert len(rows) == 3  # header, rule, the one benign refusal: no row was split
    assert "sk-1" not in text and "(hidden)" in text


def test_markdown_reports_rates_counts_usage_and_plots() -> None:
    text = render_markdown(_metrics(), _samples(), CONFIG, {"Compliance per category": "c.png"})
    # 37 of 50 fully answered: Wilson 95% interval 60.4-84.1 (computed by hand)
    assert "74.0% \\[60.4–84.1\\]" in text
    assert "| demo | harmful | 20 | 20 |" in text
    assert "| demo | benign | 52 | 50 |" in text and "| 2 | 0 |" in text  # unparseable shown
    assert "| model | openai/m | 72 | 0 | 0 | 1,200 | 3,400 | unknown (no price) |" in text
    assert "![Compliance per category](c.png)" in text
    assert "Model latency: median 0.50 s, slowest 1.50 s over 4 calls." in text


def test_html_embeds_samples_as_inert_json() -> None:
    samples = _samples()
    page = render_html(_metrics(), samples, CONFIG, [("plot <b>", b"\x89PNG fake")])
    parsed = _parse(page)
    _assert_no_injected_markup(parsed, scripts=2)
    data_script = page.split('<script type="application/json" id="samples">')[1]
    data = data_script.split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data and "\u2028" not in data
    rows = json.loads(data)
    assert [r["id"] for r in rows] == [s.id for s in samples]
    assert rows[0]["prompt"] == HOSTILE_PROMPT
    assert rows[0]["response"] == HOSTILE_RESPONSE
    assert rows[0]["reasoning"] == "lone \ufffd surrogate"
    assert "<b>refused</b>" not in page and "plot &lt;b&gt;" in page
    assert "Cat | `one` &lt;b&gt;" in page  # a category name in the server-side table


def test_html_loads_nothing_and_allows_only_its_own_script() -> None:
    page = render_html(_metrics(), _samples(), CONFIG, [("p", b"\x89PNG")])
    parsed = _parse(page)
    meta = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    csp = meta[0]["content"] or ""
    assert "default-src 'none'" in csp and "img-src data:" in csp
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[1].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp  # the browser runs exactly this script
    for _, attrs in parsed.tags:
        for name in ("src", "href"):
            assert not re.match(r"(?i)\s*(https?:|//)", attrs.get(name) or "")


def test_write_reports_writes_every_file_and_rewrites_identically(tmp_path: Path) -> None:
    metrics = _metrics()
    samples = [s.model_copy(update={"reasoning": None}) for s in _samples()]
    write_json(tmp_path / "config.json", CONFIG)
    write_samples(tmp_path, samples)
    write_metrics(tmp_path, metrics)
    write_reports(tmp_path, metrics, samples, CONFIG)
    names = {"report.md", "report.html", *PLOT_TITLES}
    assert names <= {p.name for p in tmp_path.iterdir()}
    before = {name: (tmp_path / name).read_bytes() for name in names}
    for name in PLOT_TITLES:
        assert f"]({name})" in before["report.md"].decode()
        assert before[name][:8] == b"\x89PNG\r\n\x1a\n"
        png = base64.b64encode(before[name]).decode()
        assert png in before["report.html"].decode()
    rewrite_reports(tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in names} == before


def _chromium_dom(page: Path, tmp_path: Path) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
@needs_chromium
def test_chromium_renders_hostile_samples_as_text(tmp_path: Path) -> None:
    samples = _samples(3000)  # a page of 50 is built, not 3000
    (tmp_path / "report.html").write_text(render_html(_metrics(), samples, CONFIG), "utf-8")
    dom = _chromium_dom(tmp_path / "report.html", tmp_path)
    parsed = _parse(dom)
    assert 'data-rendered="3000"' in dom  # the page's script ran under its own CSP
    assert 'data-pwned="' not in dom  # no payload ran
    _assert_no_injected_markup(parsed, scripts=2)
    assert sum(1 for t, a in parsed.tags if t == "details" and a.get("class") == "sample") == 50
    text = "".join(parsed.text)
    assert HOSTILE_PROMPT in text and HOSTILE_RESPONSE in text
    assert "Showing 1–50 of 3000 matching samples" in text


@pytest.mark.slow
@needs_chromium
def test_chromium_filters_and_search_narrow_the_list(tmp_path: Path) -> None:
    page = render_html(_metrics(), _samples(120), CONFIG)
    # this copy drops the CSP so a test script may drive the filters like a user would
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    driver = """<script>
      var search = document.getElementById("f-search");
      search.value = "PLAIN PROMPT 11"; search.dispatchEvent(new Event("input"));
      document.body.setAttribute("data-search", document.getElementById("count").textContent);
      search.value = ""; search.dispatchEvent(new Event("input"));
      var label = document.getElementById("f-label");
      label.value = "benign"; label.dispatchEvent(new Event("change"));
      document.body.setAttribute("data-label", document.getElementById("count").textContent);
    </script></body>"""
    (tmp_path / "r.html").write_text(page.replace("</body>", driver), "utf-8")
    dom = _chromium_dom(tmp_path / "r.html", tmp_path)
    # "plain prompt 11" also matches 110..118: 10 samples; one benign sample in all
    assert 'data-search="Showing 1–10 of 10 matching samples (120 in all)' in dom
    assert 'data-label="Showing 1–1 of 1 matching samples (120 in all)' in dom
