"""Entry point of the `falsereject` command.

    falsereject --help

Each command lives in its own module under `falsereject.cli` with a `register(app)` function;
the module parses options and calls one library function. Any `FalseRejectError` becomes one
red line on stderr and exit status 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

from falsereject import __version__
from falsereject.errors import FalseRejectError

COMMAND_MODULES = (
    "chat",
    "bench",
    "judge",
    "compare",
    "judge_eval",
    "annotate",
    "stats",
    "datasets",
    "cache",
)

app = typer.Typer(
    name="falsereject",
    help="Measure and fix over-refusal in LLMs (FalseReject, COLM 2025).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"falsereject {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Measure and fix over-refusal in LLMs (FalseReject, COLM 2025)."""


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"falsereject.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command whose module is not written yet
        if _exc.name != f"falsereject.cli.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Run the CLI; user errors print one line and exit 2."""
    try:
        app(standalone_mode=False)
    except FalseRejectError as exc:
        from rich.console import Console
        from rich.markup import escape

        # the message is data: "falsereject[hub]" must not be read as rich markup
        Console(stderr=True, soft_wrap=True).print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False
        )
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
