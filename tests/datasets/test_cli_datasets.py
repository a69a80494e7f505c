"""`falsereject datasets` lists every registry name that `--dataset` accepts."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from falsereject.cli.main import app
from falsereject.datasets import dataset_names, load_dataset


def test_listing_names_every_registry_set_and_each_loads_offline_or_says_how():
    result = CliRunner().invoke(app, ["datasets", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [d["name"] for d in listed] == list(dataset_names())
    assert {"demo", "falsereject", "xstest", "or-bench-hard-1k", "phtest"} <= set(dataset_names())
    assert all(d["license"] for d in listed)
    demo = load_dataset("demo")
    assert {r.label for r in demo} == {"benign", "harmful"}


def test_table_output():
    result = CliRunner().invoke(app, ["datasets"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "AmazonScience/FalseReject" in result.output and "CC-BY-NC-4.0" in result.output
