"""`falsereject cache stats|clear`: inspect or empty the on-disk call cache.

falsereject cache stats
falsereject cache clear --model openai/gpt-4o-mini
"""

from __future__ import annotations

import typer

from falsereject.cli.options import CACHE_DIR
from falsereject.models.cache import CallCache


def register(app: typer.Typer) -> None:
    cache_app = typer.Typer(help="Inspect or clear the call cache.", no_args_is_help=True)

    @cache_app.command("stats")
    def stats(cache_dir: str | None = CACHE_DIR) -> None:
        """Entries per model, the file and its size."""
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        info = CallCache(cache_dir).stats()
        console = Console()
        console.print(
            f"cache: {escape(info['path'])}  "
            f"({info['entries']} entries, {info['bytes'] / 1e6:.1f} MB)"
        )
        table = Table("model", "entries")
        for model, n in info["models"].items():
            table.add_row(Text(model), str(n))
        console.print(table)

    @cache_app.command("clear")
    def clear(
        model: str | None = typer.Option(None, "--model", help="Only this provider/model."),
        cache_dir: str | None = CACHE_DIR,
    ) -> None:
        """Delete cached calls (all, or one model's)."""
        removed = CallCache(cache_dir).clear(model)
        typer.echo(f"removed {removed} cached calls")

    app.add_typer(cache_app, name="cache")
