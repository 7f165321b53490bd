"""``scalinglab runs``: what a run store holds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from scalinglab.cli import _options as opt
from scalinglab.cli import _render as render
from scalinglab.cli._render import stdout_console

if TYPE_CHECKING:
    from scalinglab.store import StoredRun

__all__ = ["register"]


def runs_command(
    store: Annotated[Path, typer.Option(help="The run store (.duckdb).")] = Path(
        "scalinglab.duckdb"
    ),
    status: Annotated[
        str | None,
        typer.Option(
            help="Only runs with this status: pending, running, finished, failed or diverged."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
) -> None:
    """List the runs in a run store: size, tokens, compute, loss and where each came from."""
    from scalinglab.store import RunStore

    runs = RunStore(store).runs(status=status)
    if as_json:
        data = {"store": str(store), "runs": [r.to_dict() for r in runs]}
        sys.stdout.write(opt.dumps(data) + "\n")
        return
    console = stdout_console()
    table = Table(title=f"{len(runs)} run(s) in {store}", title_justify="left")
    for name in ("run", "status", "params", "tokens", "flops", "loss", "source"):
        table.add_column(name, justify="left" if name in ("run", "status", "source") else "right")
    for run in runs:
        table.add_row(
            Text(run.name),
            Text(run.status),
            "—" if run.params is None else render.count(run.params),
            "—" if run.tokens is None else render.count(run.tokens),
            _flops(run),
            "—" if run.loss is None else render.number(run.loss),
            Text(run.source or ""),
        )
    console.print(table)
    if any(run.flops is None and run.flops_6nd is not None for run in runs):
        console.print(
            Text("flops marked (6ND): the source gave none; 6·N·D from params and tokens"),
            soft_wrap=True,
        )


def _flops(run: StoredRun) -> str:
    """The run's FLOPs as its source gave them, else its 6·N·D, marked so."""
    if run.flops is not None:
        return render.flops(run.flops)
    return "—" if run.flops_6nd is None else f"{render.flops(run.flops_6nd)} (6ND)"


def register(app: typer.Typer) -> None:
    """Add ``runs`` to ``app``."""
    app.command("runs")(runs_command)
