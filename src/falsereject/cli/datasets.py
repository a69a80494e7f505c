"""`falsereject datasets`: the registry sets, where each loads from, and its license.

falsereject datasets
falsereject datasets --json
"""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    @app.command("datasets")
    def datasets(
        as_json: bool = typer.Option(False, "--json", help="Print the registry as JSON."),
    ) -> None:
        """List the dataset names that --dataset accepts, with source, label and license."""
        from dataclasses import asdict

        from rich.console import Console
        from rich.table import Table

        from falsereject.datasets import list_datasets

        infos = list_datasets()
        if as_json:
            typer.echo(json.dumps([asdict(i) for i in infos], indent=2))
            return
        table = Table("name", "hub", "label", "license", "description", show_lines=False)
        for info in infos:
            hub = info.hub_id or "(local file only)"
            if info.hub_id and (info.hub_config or info.hub_split):
                hub += f" [{'/'.join(x for x in (info.hub_config, info.hub_split) if x)}]"
            table.add_row(info.name, hub, info.label, info.license, info.description)
        console = Console()
        console.print(table)
        console.print(
            "Any .jsonl/.json/.csv/.parquet file works too: --dataset FILE "
            "--prompt-column ... ; a registry set reads a local copy with --data-path."
        )
