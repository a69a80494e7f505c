"""`BenchConfig`: the forms a user may write, defaults, and one-line errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from falsereject.bench.config import BenchConfig, build_config, check_self_judge
from falsereject.errors import FalseRejectError, InputError


def test_defaults_are_the_offline_quick_start() -> None:
    config = BenchConfig()
    assert config.model == "llamacpp/smollm2-135m"
    assert config.datasets == ["demo"] and config.judge == ["embedded"]
    assert config.out_dir() == Path("runs/llamacpp-smollm2-135m__demo")
    assert config.cache and not config.allow_self_judge


def test_lists_accept_commas_and_data_paths_accept_both_forms() -> None:
    one = BenchConfig(datasets=["xstest"], data_path="x.csv")
    assert one.data_path == {"xstest": "x.csv"}
    two = BenchConfig(
        datasets="xstest,oktest", data_path=["xstest=x.csv", "oktest=ok.csv"], judge="a/b, strmatch"
    )
    assert two.datasets == ["xstest", "oktest"]
    assert two.data_path == {"xstest": "x.csv", "oktest": "ok.csv"}
    assert two.judge == ["a/b", "strmatch"] and two.judge_spec() == ["a/b", "strmatch"]
    assert two.out_dir() == Path("runs/llamacpp-smollm2-135m__xstest+oktest")
    assert BenchConfig(model="openai/Qwen/Qwen3-8B", datasets=["my_set.jsonl"]).out_dir() == Path(
        "runs/openai-Qwen-Qwen3-8B__my_set"
    )


def test_ambiguous_or_unknown_data_paths_are_clear_errors() -> None:
    with pytest.raises(FalseRejectError, match="NAME=FILE"):
        BenchConfig(datasets=["xstest", "oktest"], data_path="x.csv")
    with pytest.raises(FalseRejectError, match="phtest"):
        BenchConfig(datasets=["xstest"], data_path={"phtest": "p.csv"})


def test_config_files_in_json_and_yaml(tmp_path: Path) -> None:
    json_file = tmp_path / "bench.json"
    json_file.write_text('{"model": "openai/x", "generate": {"max_tokens": 64}}')
    config = build_config(json_file, {"generate": {"temperature": 0.7}})
    assert config.model == "openai/x"
    assert (config.generate.max_tokens, config.generate.temperature) == (64, 0.7)

    typo = tmp_path / "bench.yaml"
    typo.write_text("model: openai/x\njugde: strmatch\n")
    with pytest.raises(InputError, match=r"bench\.yaml: jugde: Extra inputs"):
        build_config(typo)
    broken = tmp_path / "broken.yaml"
    broken.write_text("model: [openai/x\n")
    with pytest.raises(InputError, match=r"broken\.yaml:\d+: broken YAML"):
        build_config(broken)
    with pytest.raises(InputError, match="not found"):
        build_config(tmp_path / "missing.yaml")


def test_self_judge_needs_the_same_name_and_server() -> None:
    url = "http://127.0.0.1:9/v1"
    with pytest.raises(FalseRejectError, match="is the model under test"):
        check_self_judge("openai/m", url, ["strmatch", "openai/m"], url + "/")
    assert not check_self_judge("openai/m", url, ["openai/m"], "http://127.0.0.1:10/v1")
    assert check_self_judge("openai/m", url, ["openai/m"], url, allow=True)
