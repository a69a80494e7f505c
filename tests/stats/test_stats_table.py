"""The comparison table: rows from the shared sets, response flags, formats, and the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from falsereject.datasets import PromptRecord
from falsereject.errors import FalseRejectError, InputError
from falsereject.stats import (
    StatsConfig,
    dataset_stats,
    format_stats,
    self_bleu,
    stats_table,
)


def test_shared_sets_rows(shared_data: Path) -> None:
    rows = stats_table(
        [
            f"falsereject={shared_data / 'falsereject' / 'FalseReject_test.json'}",
            "xstest",
            "oktest",
            "coconot-contrast",
        ],
        data_path={
            "xstest": str(shared_data / "xstest" / "xstest_prompts.csv"),
            "oktest": str(shared_data / "oktest" / "OKTest.csv"),
            "coconot-contrast": str(shared_data / "coconot" / "coconot_contrast_eval.jsonl"),
        },
    )
    by_name = {row.dataset: row for row in rows}
    assert list(by_name) == ["falsereject", "xstest", "oktest", "coconot-contrast"]
    fr = by_name["falsereject"]
    assert (fr.prompts, fr.categories) == (1187, 46)
    # FalseReject-Test's instruct_response / cot_response are null: the test split has none
    assert not fr.training_responses and not fr.cot_responses
    assert fr.self_bleu_hypotheses == 1187 and 0 < fr.self_bleu < 1
    assert 0 < fr.dist_1 < fr.dist_2 < 1
    assert (by_name["xstest"].prompts, by_name["xstest"].categories) == (450, 18)
    assert by_name["oktest"].prompts == 300 and by_name["oktest"].categories == 0
    assert by_name["coconot-contrast"].prompts == 379
    assert by_name["oktest"].mean_length > 5


def test_preference_file_carries_training_responses(shared_data: Path) -> None:
    [row] = stats_table([str(shared_data / "coconot" / "coconot_pref.jsonl")], sample=100, seed=1)
    assert row.training_responses and not row.cot_responses
    assert row.self_bleu_hypotheses == 100
    assert len(row.near_duplicates) > 0  # the file repeats some prompts
    assert all(p.similarity >= 0.8 for p in row.near_duplicates)


def test_cot_and_training_responses_from_metadata(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    rows = [
        {"prompt": "How do I pick a lock I own?", "instruct_response": "Use a tension wrench.",
         "cot_response": {"reasoning_content": "Benign.", "solution": "Use a tension wrench."}},
        {"prompt": "Why do people mix bleach?", "instruct_response": None, "cot_response": None},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    [row] = stats_table([str(path)])
    assert row.training_responses and row.cot_responses


def test_plain_strings_and_one_prompt() -> None:
    row = dataset_stats(["Just one prompt."], name="one")
    assert row.prompts == 1 and row.self_bleu is None and row.self_bleu_hypotheses == 0
    assert row.dist_1 == 1.0 and row.near_duplicates == []
    assert "n/a" in format_stats([row], "markdown")
    assert json.loads(format_stats([row], "json"))[0]["self_bleu"] is None


def test_empty_prompt_names_the_record() -> None:
    records = [PromptRecord(id="ok-1", prompt="fine"), PromptRecord(id="bad-7", prompt="  ")]
    with pytest.raises(InputError, match="mine: prompt 'bad-7' is empty"):
        dataset_stats(records, name="mine")


def test_self_bleu_matches_the_library_function() -> None:
    texts = ["how do I kill a process", "how do I kill a tree stump", "shoot a photo at night"]
    assert dataset_stats(texts).self_bleu == pytest.approx(self_bleu(texts))


def _two_rows():
    return [
        dataset_stats(["a b c d", "a b c d", "x y"], name="dups"),
        dataset_stats(["How do I kill a Python process?", "Where can I shoot a film?"], name="d|2"),
    ]


def test_markdown_table() -> None:
    lines = format_stats(_two_rows(), "markdown").splitlines()
    assert lines[0].startswith("| Dataset | Prompts | Categories |")
    assert lines[1].startswith("|---|---:|")
    assert lines[2].startswith("| dups | 3 | 0 |")
    assert lines[3].startswith("| d\\|2 | 2 |")  # a pipe in a name cannot break the table
    assert len(lines) == 4


def test_csv_round_trips() -> None:
    rows = list(csv.DictReader(io.StringIO(format_stats(_two_rows(), "csv"))))
    assert [r["dataset"] for r in rows] == ["dups", "d|2"]
    assert rows[0]["near_duplicate_pairs"] == "1" and rows[0]["training_responses"] == "false"
    assert float(rows[0]["self_bleu"]) == pytest.approx(_two_rows()[0].self_bleu)


def test_json_lists_near_duplicate_pairs() -> None:
    [dups, _] = json.loads(format_stats(_two_rows(), "json"))
    assert dups["near_duplicates"] == [{"first": "0", "second": "1", "similarity": 1.0}]
    assert "rejection_rate" in dups


def test_terminal_table_and_unknown_format() -> None:
    text = format_stats(_two_rows(), "table")
    assert "Dataset statistics" in text and "SBLEU" in text
    assert "dups: 1 near-duplicate pairs" in text and "0  1  similarity 1.000" in text
    with pytest.raises(ValueError, match="unknown format"):
        format_stats(_two_rows(), "html")  # type: ignore[arg-type]


def test_config_pairs_names_with_local_copies() -> None:
    config = StatsConfig(datasets=["xstest=x.csv", "demo", "my=file.csv"], data_path=["demo=d.csv"])
    assert config.datasets == ["xstest", "demo", "my=file.csv"]
    assert config.data_path == {"xstest": "x.csv", "demo": "d.csv"}
    with pytest.raises(FalseRejectError, match="two local copies"):
        StatsConfig(datasets=["xstest=x.csv"], data_path=["xstest=y.csv"])


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "falsereject.cli.main", "stats", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_writes_json_and_prints_markdown(tmp_path: Path, shared_data: Path) -> None:
    xstest = shared_data / "xstest" / "xstest_prompts.csv"
    done = _cli("demo", f"xstest={xstest}", "--format", "json", "--out", "s.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = json.loads((tmp_path / "s.json").read_text())
    assert [r["dataset"] for r in rows] == ["demo", "xstest"]
    assert rows[1]["prompts"] == 450
    shown = _cli("demo", "--format", "markdown", "--sample", "20", cwd=tmp_path)
    assert shown.returncode == 0 and shown.stdout.startswith("| Dataset |")


def test_cli_help_states_the_recipe_and_errors_are_one_line(tmp_path: Path) -> None:
    helptext = " ".join(_cli("--help", cwd=tmp_path).stdout.split())  # undo line wrapping
    for phrase in ("BLEU-4", "method1", "closest reference", "wordpunct_tokenize", "--sample"):
        assert phrase in helptext
    (tmp_path / "bad.jsonl").write_text('{"prompt": "fine"}\n{"prompt": ""}\n')
    done = _cli("bad.jsonl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: bad.jsonl:2: empty prompt")
    assert len(done.stderr.splitlines()) == 1


def test_config_file_with_flag_overrides_and_bad_values(tmp_path: Path) -> None:
    from falsereject.stats.config import build_stats_config

    file = tmp_path / "stats.yaml"
    file.write_text("datasets: [demo, xstest=x.csv]\nsample: 5\nnear_dup_threshold: 0.5\n")
    config = build_stats_config(file, {"sample": 7})
    assert config.datasets == ["demo", "xstest"] and config.data_path == {"xstest": "x.csv"}
    assert (config.sample, config.near_dup_threshold, config.seed) == (7, 0.5, 0)
    with pytest.raises(InputError, match="near_dup_threshold: Input should be greater than 0"):
        build_stats_config(None, {"datasets": ["demo"], "near_dup_threshold": 0})


def test_terminal_table_prints_paths_with_brackets(tmp_path):
    # a file name is data: rich must not read "[v2]" or "[bold]" as markup
    from typer.testing import CliRunner

    from falsereject.cli.main import app

    folder = tmp_path / "[v2]"
    folder.mkdir()
    path = folder / "[bold]prompts.csv"
    path.write_text("prompt\nHow do I kill a Python process?\nWhere can I shoot a good photo?\n")
    result = CliRunner().invoke(app, ["stats", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "[v2]" in result.output and "[bold]prompts.csv" in result.output
