"""Tables of ``scalinglab isoflop`` and ``envelope``: per-budget optima and the power laws
through them (Chinchilla approaches 2 and 1)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._cells import exponent
from scalinglab._format import column_form, format_level, format_loss
from scalinglab.cli import _render as render
from scalinglab.cli._fit_views import count_cell, estimate_cell

__all__ = ["print_envelope", "print_isoflop"]

_SHORT = {  # statuses short enough for a table cell; the notes say them in full
    "vertex outside the sampled N range": "flagged: vertex outside N",
    "parabola opens downwards: no minimum": "flagged: no minimum",
    "fewer than 3 distinct model sizes: no parabola": "flagged: < 3 sizes",
}


def _laws(console: Console, result: Any) -> None:
    # the intervals the table shows: none without resamples, nor when no resample gave a line
    shown = math.isfinite(result.params_law.exponent.lower)
    level = f", {format_level(result.level)} intervals" if shown else ""
    table = Table(title=f"compute-optimal power laws{level}", title_justify="left")
    for header in ("optimum", "exponent", "coefficient"):
        table.add_column(header, justify="right", no_wrap=True)
    rows = (("N_opt", result.params_law, "a"), ("D_opt", result.tokens_law, "b"))
    # one column, one number of decimals: 1.00 beside 0.167 (was 1), their intervals alike
    ks = [law.coefficient for _, law, _ in rows]
    coefficient = column_form([v for k in ks for v in (k.value, k.lower, k.upper)])
    for name, law, sym in rows:
        table.add_row(
            Text(f"{name} ∝ C^{sym}"),
            estimate_cell(law.exponent, lambda v: f"{v:.3f}"),
            estimate_cell(law.coefficient, coefficient),
        )
    console.print(table)
    console.print(Text(f"convention: {result.flops_rule}", style="dim"), soft_wrap=True)
    console.print(  # the one writing of a and b: fit's line under its plan too
        Text.assemble(
            ("a = ", "bold"), exponent(result.a), ("   b = ", "bold"), exponent(result.b)
        ),
        soft_wrap=True,
    )


def print_isoflop(console: Console, result: Any, source: str) -> None:
    space = "the loss" if result.space == "linear" else "ln loss"
    console.print(
        Text.assemble(
            ("isoflop", "bold cyan"), f"   Chinchilla approach 2: parabola in log10 N of {space}"
        )
    )
    console.print(Text(f"data: {source}"), soft_wrap=True)
    table = Table(title="budgets", title_justify="left")
    for header in ("C (FLOPs)", "runs", "N sampled", "N_opt", "D_opt", "tokens/param", "loss"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("status")
    for b in result.budgets:
        status = Text("used", style="green") if b.used else Text(_SHORT[b.status], style="yellow")
        table.add_row(
            Text(render.flops(b.flops)),
            Text(str(len(b.runs))),
            Text(f"{render.count(min(b.params))}–{render.count(max(b.params))}"),
            count_cell(b.params_opt),
            count_cell(b.tokens_opt),
            estimate_cell(b.tokens_per_param, render.ratio),
            # the parabola's minimum, as --json holds it, to a loss's 4 decimals as every table
            estimate_cell(b.loss_opt, format_loss),
            status,
        )
    console.print(table)
    _laws(console, result)
    render.print_warnings(console, result.warnings)
    # the library's note names --level given or not: the command says it where it was given
    from scalinglab.validate._isoflop_checks import POINTS_NOTE  # NumPy: not at --help

    render.print_notes(console, [n for n in result.notes if n != POINTS_NOTE])


def print_envelope(console: Console, result: Any) -> None:
    console.print(
        Text.assemble(
            ("envelope", "bold cyan"), "   Chinchilla approach 1: lowest loss at each compute"
        )
    )
    console.print(Text(f"data: {result.source}"), soft_wrap=True)  # it counts the runs
    table = Table(title="envelope (every few grid values)", title_justify="left")
    for header in ("compute (FLOPs)", "run", "N", "D = C/6N", "tokens/param", "loss", "fit"):
        table.add_column(header, justify="right", no_wrap=True)
    reached = [i for i, r in enumerate(result.runs) if r]
    step = max(1, len(reached) // 10)
    for i in reached[::step]:
        c, n = result.flops[i], result.params[i]
        d = c / (6 * n)
        table.add_row(
            Text(render.flops(c)),
            Text(result.runs[i]),
            Text(render.count(n)),
            Text(render.count(d)),
            Text(render.ratio(d / n)),
            Text(format_loss(result.loss[i])),
            _grid_status(result.status[i], used=result.used[i]),
        )
    console.print(table)
    _laws(console, result)
    render.print_warnings(console, result.warnings)
    render.print_notes(console, result.notes)


def _grid_status(status: str, *, used: bool) -> Text:
    """A grid value's fit column: used (green), or why not (yellow): ``edge``, ``near
    edge``, and ``near edge, used`` where the exponent rests on such values (warned)."""
    if used:
        return Text("used" if status == "used" else f"{status}, used", style="green")
    return Text(status, style="yellow")
