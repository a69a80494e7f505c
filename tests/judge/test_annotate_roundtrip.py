"""`falsereject annotate export/import`: a run to sheets and back, with hand-computed kappas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsereject.bench.rundir import write_samples
from falsereject.bench.types import SampleRecord
from falsereject.cli.main import app
from falsereject.errors import FalseRejectError, InputError
from falsereject.judge.annotate import export_sheet, import_sheets

F, P, R = "full_compliance", "safe_partial_compliance", "direct_refusal"
# responses chosen so that strmatch gives exactly the stored verdicts
SAMPLES = [
    ("Use kill -9 <pid>.", F),
    ("I'm sorry, I can't help with that.", R),
    ("I cannot assist with this request.", R),
    ("Here is the safe part; I won't cover the rest.", F),
    ("No, I won't explain that.", R),
    ("Paris is the capital of France.", F),
]
ANNOTATOR_A = [F, F, R, P, R, F]
ANNOTATOR_B = [F, R, R, P, F, F]
ANNOTATOR_C = [F, R, R, R, R, F]


@pytest.fixture
def run(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    records = [
        SampleRecord(
            id=str(i), dataset="demo", prompt=f"question {i}", model="openai/m",
            response=response, verdict=verdict, judge="strmatch",
        )
        for i, (response, verdict) in enumerate(SAMPLES)
    ]  # fmt: skip
    records.append(
        SampleRecord(id="x", dataset="demo", prompt="q", model="openai/m", error="timeout",
                     verdict="error")
    )  # fmt: skip
    write_samples(folder, records)
    return folder


def fill(sheet: Path, labels: list[str], out: Path) -> Path:
    with sheet.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row, label in zip(rows, labels, strict=True):
        row["label"] = label
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_export_writes_blank_sheet_and_instructions(run: Path, tmp_path: Path) -> None:
    sheet = export_sheet(run, tmp_path / "sheets" / "blank.csv")
    with sheet.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "dataset", "prompt", "response", "label", "notes"]
    assert [r["id"] for r in rows] == ["0", "1", "2", "3", "4", "5"]  # the failed sample is out
    assert all(r["label"] == "" for r in rows)
    assert rows[1]["response"] == "I'm sorry, I can't help with that."
    assert "verdict" not in rows[0]  # annotators label blind
    instructions = (sheet.parent / "INSTRUCTIONS.md").read_text()
    for name in (F, P, R):
        assert f"`{name}`" in instructions
    assert instructions.count("**Prompt:**") == 3
    assert export_sheet(run).name == "annotation.csv"
    subset = export_sheet(run, tmp_path / "s.csv", limit=2).read_text().splitlines()
    assert len(subset) == 3  # the header and two samples


def test_two_annotators(run: Path, tmp_path: Path) -> None:
    blank = export_sheet(run, tmp_path / "blank.csv")
    a = fill(blank, ANNOTATOR_A, tmp_path / "alice.csv")
    b = fill(blank, ANNOTATOR_B, tmp_path / "bob.csv")
    adjudicated = tmp_path / "adjudicated.csv"
    report = import_sheets([a, b], run=run, out=adjudicated)
    assert report.annotators == ["alice", "bob"]
    assert report.percent_agreement == pytest.approx(4 / 6)
    # marginals F3 P1 R2 for both: chance 14/36 -> (24 - 14) / (36 - 14) = 5/11
    assert report.cohen_kappa == pytest.approx(5 / 11)
    assert report.fleiss_kappa is None
    assert [(t.id, t.votes) for t in report.ties] == [
        ("1", {"alice": F, "bob": R}),
        ("4", {"alice": R, "bob": F}),
    ]
    assert report.adjudicated == {"demo/0": F, "demo/2": R, "demo/3": P, "demo/5": F}
    # stored verdicts F R F F on the adjudicated F R P F
    assert report.judge is not None
    assert (report.judge.judge, report.judge.n) == ("strmatch", 4)
    assert report.judge.accuracy == pytest.approx(3 / 4)
    with adjudicated.open(newline="", encoding="utf-8") as fh:
        assert [r["label"] for r in csv.DictReader(fh)] == [F, R, P, F]


def test_three_annotators_and_judge_anew(run: Path, tmp_path: Path) -> None:
    blank = export_sheet(run, tmp_path / "blank.csv")
    sheets = [
        fill(blank, labels, tmp_path / f"{name}.csv")
        for name, labels in (("a", ANNOTATOR_A), ("b", ANNOTATOR_B), ("c", ANNOTATOR_C))
    ]
    report = import_sheets(sheets, judge="strmatch")
    # per-item agreement 1, 1/3, 1, 1/3, 1/3, 1 -> 2/3; shares 8/18, 2/18, 8/18 -> 7/16
    assert report.fleiss_kappa == pytest.approx(7 / 16)
    assert report.cohen_kappa is None
    assert report.percent_agreement == pytest.approx(4 / 6)
    assert report.unanimous == pytest.approx(0.5)
    assert report.pairs[0].cohen_kappa == pytest.approx(5 / 11)
    assert report.ties == []
    assert report.adjudicated["demo/1"] == R
    assert report.judge is not None and report.judge.accuracy == pytest.approx(5 / 6)
    # the stored verdicts are strmatch's, so scoring the run gives the same answer
    stored = import_sheets(sheets, run=run)
    assert stored.judge is not None and stored.judge.accuracy == report.judge.accuracy


def test_cli_round_trip(run: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    blank = tmp_path / "blank.csv"
    result = runner.invoke(app, ["annotate", "export", str(run), "--out", str(blank)])
    assert result.exit_code == 0, result.output
    a = fill(blank, ANNOTATOR_A, tmp_path / "alice.csv")
    b = fill(blank, [lab.upper() for lab in ANNOTATOR_B], tmp_path / "bob.csv")
    result = runner.invoke(app, ["annotate", "import", str(a), str(b), "--run", str(run),
                                 "--json", str(tmp_path / "agreement.json")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Cohen's kappa 0.455" in result.output
    assert "tie demo/1: alice=full_compliance, bob=direct_refusal" in result.output
    assert "judge strmatch" in result.output
    assert (tmp_path / "agreement.json").is_file()


def test_bad_sheets_name_the_sheet_and_row(run: Path, tmp_path: Path) -> None:
    blank = export_sheet(run, tmp_path / "blank.csv")
    unknown = fill(blank, [F, F, "refused", P, R, F], tmp_path / "unknown.csv")
    with pytest.raises(InputError, match=r"unknown\.csv:4: unknown label 'refused'"):
        import_sheets([unknown])
    missing = fill(blank, [F, F, R, "", R, F], tmp_path / "missing.csv")
    with pytest.raises(InputError, match=r"missing\.csv:5: missing label"):
        import_sheets([missing])
    with pytest.raises(InputError, match=r"blank\.csv:2: missing label"):
        import_sheets([blank])
    a = fill(blank, ANNOTATOR_A, tmp_path / "a.csv")
    short = tmp_path / "short.csv"
    short.write_text("\n".join(a.read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(InputError, match=r"short\.csv: lacks sample demo/5"):
        import_sheets([a, short])
    other = tmp_path / "other"
    other.mkdir()
    write_samples(other, [SampleRecord(id="0", dataset="demo", prompt="q", model="m")])
    with pytest.raises(FalseRejectError, match="sample demo/0 has no verdict"):
        import_sheets([a], run=other)
    write_samples(other, [SampleRecord(id="0", dataset="demo", prompt="q", model="m", verdict=F)])
    with pytest.raises(FalseRejectError, match="no sample demo/1 in this run"):
        import_sheets([a], run=other)
