"""``isoflop --at`` and ``envelope --at``: ``N_opt`` and ``D_opt`` at budgets read off the
power laws ``k·C^a``, beyond the runs too, each with the interval of the bootstrap's own
lines (:meth:`IsoFLOPResult.at <scalinglab.validate.IsoFLOPResult.at>`): what an IsoFLOP
file holds (exponents and coefficients) evaluated where a plan needs it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level
from scalinglab._no_intervals import isoflop_no_intervals
from scalinglab.cli import _options as opt
from scalinglab.cli import _render as render
from scalinglab.cli._fit_views import beyond as from_fitted
from scalinglab.cli._fit_views import count_cell, estimate_cell

__all__ = ["At", "at_budgets", "optima", "print_optima"]

At = Annotated[
    list[str] | None,
    typer.Option(
        "--at",
        metavar="FLOPS",
        help="Budget(s) to read N_opt and D_opt at off the power laws, beyond the runs too, "
        "repeatable or comma-separated: 1e23; each with the interval of the bootstrap's own "
        "lines.",
    ),
]


def at_budgets(values: Sequence[str] | None) -> tuple[float, ...]:
    """``--at`` values (units allowed, each once), checked before any work."""
    return opt.distinct(opt.quantities(values, option="--at"), option="--at") if values else ()


def optima(result: Any, budgets: Sequence[float]) -> list[Any]:
    """The :class:`~scalinglab.validate.OptimumAt` of ``result`` at each budget."""
    return [result.at(flops=c) for c in budgets]


def print_optima(
    console: Console, result: Any, found: Sequence[Any], *, level: float | None = None
) -> None:
    """The table of ``--at``: each budget's ``N_opt``, ``D_opt`` and tokens per parameter
    with intervals, how far beyond the fitted budgets, and how the intervals are made (none:
    that a ``level`` given, ``--level``, has no effect, said on that one line)."""
    if not found:
        return
    samples = result.params_law.samples
    boot = samples is not None and len(samples) > 0  # --bootstrap 0: no lines to resample
    shown = f"{format_level(result.level)} intervals" if boot else "no intervals"
    table = Table(title=f"N_opt and D_opt from the power laws, {shown}",
                  title_justify="left")  # fmt: skip
    # either way out of the fitted budgets: past the largest, or "below" the smallest
    for header in ("compute (FLOPs)", "N_opt", "D_opt", "tokens/param", "from fitted"):
        table.add_column(header, justify="right", no_wrap=True)
    for o in found:
        table.add_row(
            Text(render.flops(o.flops)),
            count_cell(o.params_opt),
            count_cell(o.tokens_opt),
            estimate_cell(o.tokens_per_param, render.ratio),
            from_fitted(o.distance, below=o.below),  # plan's distance, in plan's words
        )
    console.print(table)
    top, bottom = result.params_law.reach, result.params_law.floor
    below = (
        [f"below: under the smallest budget the laws were fitted on ({render.flops(bottom)} "
         "FLOPs), they are extrapolated downward too"]
        if any(o.below for o in found) else []
    )  # fmt: skip
    made = (
        "intervals: each bootstrap resample's own lines k·C^a at C, percentiles over them (the "
        "exponent's and the coefficient's intervals are correlated: combined, far too wide)"
        if boot else isoflop_no_intervals(result, level=level)
    )  # fmt: skip
    beyond = (  # only where a row lies past the largest budget
        [f"beyond: past the largest budget the laws were fitted on ({render.flops(top)} FLOPs), "
         "the power laws are extrapolated"]
        if any(o.distance > 0 and not o.below for o in found) else []
    )  # fmt: skip
    render.print_notes(console, [
        made, *beyond, *below,
        "the power laws hold no loss: for the loss, fit a law (scalinglab fit RUNS --out "
        "fit.json; plan --fit fit.json)",
    ])  # fmt: skip
