"""Options several commands share, declared once as ``Annotated`` types.

A command writes ``x: opt.Symbols = None`` instead of repeating the Typer declaration, so
``fit``, ``report``, ``backtest`` and ``isoflop`` spell and explain each option the same way.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = [
    "Delta",
    "DropOutliers",
    "Law",
    "Level",
    "Mapping",
    "Objective",
    "Seed",
    "Space",
    "Symbols",
    "YColumn",
]

Law = Annotated[str, typer.Option(help="Law name or formula (see `scalinglab laws`).")]
Symbols = Annotated[
    list[str] | None,
    typer.Option("--x", metavar="SYMBOL=COLUMN", help="Column a law symbol reads: N=params."),
]
YColumn = Annotated[
    str | None,
    typer.Option("--y", metavar="loss=COLUMN", help="Column holding the loss: loss=val_loss."),
]
Mapping = Annotated[
    list[str] | None,
    typer.Option("--map", metavar="NAME=COLUMN", help="Read a table column as NAME: params=n_params."),
]
Objective = Annotated[str, typer.Option(help="Objective: huber, soft_l1 or squared.")]
Delta = Annotated[float, typer.Option(help="Scale of the robust loss.")]
Space = Annotated[str, typer.Option(help="Residuals in log or linear space.")]
Level = Annotated[float, typer.Option(help="Coverage of the intervals.")]
Seed = Annotated[int, typer.Option(help="Seed of the bootstrap.")]
DropOutliers = Annotated[
    bool, typer.Option("--drop-outliers", help="Exclude runs that look diverged (listed).")
]
