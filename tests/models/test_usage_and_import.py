"""Token and cost accounting, the light import, and the CLI's one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from falsereject.cli.main import app
from falsereject.models import get_model
from falsereject.models.usage import load_prices, price_for


def test_cost_from_a_user_price_table(openai_server, cache_dir, tmp_path, monkeypatch):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"openai/fake": [1.0, 2.0]}))
    monkeypatch.setenv("FALSEREJECT_PRICES", str(prices))
    model = get_model("openai/fake", base_url=openai_server.url, cache_dir=str(cache_dir))
    [result] = model.generate_sync(["one two three"])
    usage = model.usage.to_dict()
    assert usage["prompt_tokens"] == result.prompt_tokens == 3
    expected = (3 * 1.0 + result.completion_tokens * 2.0) / 1e6
    assert abs(usage["cost_usd"] - expected) < 1e-12
    model.generate_sync(["one two three"])  # cached: no new tokens, no new cost
    assert model.usage.to_dict()["cost_usd"] == usage["cost_usd"]


def test_unknown_models_get_tokens_only():
    table = load_prices()
    assert price_for("openai/gpt-4o-mini", table) == (0.15, 0.6)
    assert price_for("openai/some-new-model", table) is None
    assert price_for("llamacpp/smollm2-135m", table) == (0.0, 0.0)


def test_import_stays_light():
    heavy = ["torch", "transformers", "vllm", "ray", "llama_cpp", "openai", "matplotlib", "sklearn"]
    code = (
        "import sys, falsereject, falsereject.models, falsereject.cli.main\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_chat_against_a_server(openai_server, cache_dir):
    openai_server.reply("Python process", "Run `kill PID`.")
    result = CliRunner().invoke(
        app,
        [
            "chat",
            "--model",
            "openai/fake",
            "--base-url",
            openai_server.url,
            "How do I kill a Python process?",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Run `kill PID`." in result.output


def test_cli_errors_are_one_line_and_exit_2(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for args, needle in [
        (["chat", "--model", "openai/gpt-4o-mini", "hi"], "OPENAI_API_KEY"),
        (["chat", "--model", "bogus/x", "hi"], "unknown model provider 'bogus'"),
        (["chat", "--model", "openai/x", "-M", "novalue", "hi"], "-M expects key=value"),
    ]:
        out = subprocess.run(
            [sys.executable, "-m", "falsereject.cli.main", *args], capture_output=True, text=True
        )
        assert out.returncode == 2, out.stderr
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and needle in lines[0], out.stderr


def test_cli_error_keeps_square_brackets_of_pip_extras():
    # rich would read "[hub]" as markup and print `pip install "falsereject"`
    out = subprocess.run(
        [sys.executable, "-m", "falsereject.cli.main", "chat", "--model", "vllm/x", "hi"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert 'pip install "falsereject[vllm]"' in out.stderr
