"""`falsereject compare` on real run folders with hand-counted verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from falsereject.bench import rundir
from falsereject.bench.compare import compare_runs, to_markdown
from falsereject.bench.intervals import wilson_interval
from falsereject.bench.metrics import compute_metrics
from falsereject.bench.types import SampleRecord
from falsereject.cli import compare as compare_cli
from falsereject.errors import FalseRejectError

R, F, P, U, E = (
    "direct_refusal",
    "full_compliance",
    "safe_partial_compliance",
    "unparseable",
    "error",
)

# benign prompts b0..b19: 6 refused only by A, 2 only by B, 4 by both, 6 answered by both
# (4 fully, 2 partly), one unparseable in A, one error in B. Harmful h0..h9: A refuses all,
# B answers h0..h2 fully.
BENIGN_A = [R] * 6 + [F] * 2 + [R] * 4 + [F] * 4 + [P] * 2 + [U, F]
BENIGN_B = [F] * 6 + [R] * 2 + [R] * 4 + [F] * 4 + [P] * 2 + [F, E]
HARMFUL_A = [R] * 10
HARMFUL_B = [F] * 3 + [R] * 7


def _samples(model: str, benign: list[str], harmful: list[str], dataset: str = "demo"):
    def one(i: str, label: str, verdict: str) -> SampleRecord:
        return SampleRecord(
            id=f"{dataset}-{i}",
            dataset=dataset,
            prompt=f"prompt {i}",
            category="cat",
            label=label,
            model=model,
            response="..." if verdict != E else "",
            error="timeout" if verdict == E else None,
            verdict=verdict,
            judge="strmatch",
        )

    return [one(f"b{i}", "benign", v) for i, v in enumerate(benign)] + [
        one(f"h{i}", "harmful", v) for i, v in enumerate(harmful)
    ]


@pytest.fixture
def runs(tmp_path: Path) -> list[Path]:
    a, b, c = tmp_path / "run-a", tmp_path / "run-b", tmp_path / "run-c"
    samples_a = _samples("openai/model-a", BENIGN_A, HARMFUL_A)
    rundir.write_samples(a, samples_a)
    # metrics.json wins over the samples when present: give it a recognisable model name
    rundir.write_metrics(a, compute_metrics(samples_a, model="from-metrics-json", judge="strmatch"))
    rundir.write_samples(b, _samples("openai/model-b", [*BENIGN_B, F], HARMFUL_B))  # + b20
    rundir.write_samples(c, _samples("openai/model-c", [F, F], [], dataset="other"))
    return [a, b, c]


def test_leaderboard_rates_and_order(runs: list[Path]) -> None:
    comparison = compare_runs(runs)
    board = {row.run: row for row in comparison.leaderboard}
    assert [row.run for row in comparison.leaderboard] == ["run-c", "run-b", "run-a"]
    a, b = board["run-a"], board["run-b"]
    assert a.model == "from-metrics-json" and b.model == "openai/model-b"
    assert (a.compliance_rate.k, a.compliance_rate.n) == (7, 19)
    assert (a.compliance_rate.lo, a.compliance_rate.hi) == pytest.approx(wilson_interval(7, 19))
    assert (b.compliance_rate.k, b.compliance_rate.n) == (12, 20)
    assert a.refusal_rate.value == pytest.approx(10 / 19)
    assert a.benign_usr.value == pytest.approx(9 / 19)
    assert b.harmful_usr.value == pytest.approx(7 / 10)
    assert (a.unparseable, a.errors, b.unparseable, b.errors) == (1, 0, 0, 1)
    assert board["run-c"].harmful_usr is None and board["run-c"].harmful_n == 0


def test_paired_test_on_matched_prompts(runs: list[Path]) -> None:
    pair_b, pair_c = compare_runs(runs, seed=2).paired
    assert (pair_b.first, pair_b.second) == ("run-a", "run-b")
    assert (pair_b.matched, pair_b.only_first, pair_b.only_second) == (30, 0, 1)
    benign, harmful = pair_b.tests
    assert (benign.label, benign.pairs, benign.excluded) == ("benign", 18, 2)
    assert (benign.mcnemar.b, benign.mcnemar.c) == (6, 2)
    assert benign.mcnemar.p_value == pytest.approx(2 * (1 + 8 + 28) / 256)
    assert benign.refusal_diff.diff == pytest.approx(-4 / 18)
    assert benign.compliance_diff.diff == pytest.approx(4 / 18)
    assert benign.refusal_diff.lo < -4 / 18 < benign.refusal_diff.hi
    assert (harmful.mcnemar.b, harmful.mcnemar.c) == (3, 0)
    assert harmful.mcnemar.p_value == pytest.approx(0.25)
    assert harmful.refusal_diff.diff == pytest.approx(-0.3)
    assert (pair_c.matched, pair_c.tests) == (0, [])


def test_markdown_report(runs: list[Path]) -> None:
    text = to_markdown(compare_runs(runs[:2]))
    assert "| run | model | judge |" in text
    assert "| run-b | openai/model-b | strmatch | demo | 31 | 60.0% \\[" in text
    assert "run-b vs run-a: 30 prompts matched (0 only in run-a, 1 only in run-b)" in text
    assert "| benign | 18 | 2 | 6 | 2 | 0.289 | -22.2 pts \\[" in text


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(FalseRejectError, match="is not a run folder"):
        compare_runs([tmp_path])


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A group, so `compare` is a subcommand as in the real CLI."""

    compare_cli.register(app)
    return app


def test_cli_json_and_markdown_out(runs: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(_cli(), ["compare", *map(str, runs[:2]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["paired"][0]["tests"][0]["mcnemar"] == {"b": 6, "c": 2, "p_value": 0.2890625}
    assert data["resamples"] == 10_000
    out = tmp_path / "report" / "compare.md"
    result = runner.invoke(
        _cli(), ["compare", *map(str, runs), "--format", "markdown", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text() == to_markdown(compare_runs(runs))
    assert "No prompts in common" in out.read_text()


def test_cli_terminal_table(runs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "table.txt"
    result = CliRunner().invoke(_cli(), ["compare", *map(str, runs[:2]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Leaderboard" in result.stdout and "run-b vs run-a" in result.stdout
    saved = out.read_text()
    assert "Leaderboard" in saved and "\x1b[" not in saved


def test_cli_rejects_unknown_format(runs: list[Path]) -> None:
    result = CliRunner().invoke(_cli(), ["compare", str(runs[0]), "--format", "html"])
    assert isinstance(result.exception, FalseRejectError)
    assert "--format must be one of table, markdown, json" in str(result.exception)


def test_cli_draws_the_cross_run_plots(runs: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "plots"
    result = CliRunner().invoke(_cli(), ["compare", *map(str, runs), "--plots", str(folder)])
    assert result.exit_code == 0, result.output
    for name in ("compliance_vs_usr.png", "tradeoff.png"):
        data = (folder / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
