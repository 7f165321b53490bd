"""The ``downstream backtest`` table (error, coverage and verdict per task); its JSON is
:meth:`DownstreamBacktest.to_dict <scalinglab.downstream.DownstreamBacktest.to_dict>`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.cli._render import print_notes, print_warnings

__all__ = ["BACKTEST_FORMAT", "print_backtest"]

#: The "format" of what ``downstream backtest`` prints and saves
#: (:data:`scalinglab._formats.KINDS`): DownstreamBacktest.to_dict's (imported there: NumPy).
BACKTEST_FORMAT = "scalinglab.downstream_backtest/1"


def print_backtest(console: Console, result: Any, keyed: Mapping[str, Any], level: float) -> None:
    """The held-out models, the chain's warnings, and one row per task (and the average)."""
    from scalinglab.downstream._task_table import backtest_verdicts  # the page's too

    n = len(result.held_out_runs)
    console.print(f"held out {n} model{'s' if n != 1 else ''} ({result.holdout_description})")
    print_warnings(console, result.chain.warnings)  # models of several corpora, its loss law's
    # a verdict of the refit: said once, under the table, not on every row
    verdicts, refit = backtest_verdicts([r.reason for r in keyed.values()])
    rows: list[tuple[str | Text, ...]] = []
    for (key, r), verdict in zip(keyed.items(), verdicts, strict=True):
        label = r.task  # "average" where the chain has no average of its own, as the report
        fitted = result.chain.tasks.get(key)
        note = "" if fitted is None else fitted.noise_text  # noise beyond the tolerance
        if verdict:
            rows.append((Text(label), "—", "—", "—", Text(verdict)))
            continue
        note = "; ".join(n for n in (r.scoring, note) if n)  # over which models, then noise
        rows.append((
            Text(label), _num(100 * r.abs_error, ".2f"), _num(100 * r.mean_are, ".1f", "%"),
            r.coverage_text, Text(note),
        ))  # fmt: skip
    # the verdict column only where a task has one (an empty column on most data otherwise)
    said = any(str(row[-1]) for row in rows)
    table = Table(title_justify="left")
    for name in (
        "task",
        "mean abs error (points)",  # in points of accuracy: not a relative error
        "mean ARE",  # the loss backtest's label for the mean absolute relative error
        f"{format_level(level)} coverage",
        *(("verdict",) if said else ()),
    ):
        table.add_column(name, justify="left" if name in ("task", "verdict") else "right")
    for row in rows:
        table.add_row(*(row if said else row[:-1]))
    console.print(table)
    if refit:  # the full fit's verdicts read alike, with their own numbers
        console.print(refit)
    if none := chain_no_intervals(result.chain):  # why no coverage is scored
        console.print(Text(none, style="dim"), soft_wrap=True)
    # a few held-out models' coverage is a count, not a measurement: said as a loss backtest does
    print_notes(console, [n for n in (result.coverage_note,) if n])


def _num(x: float, spec: str, unit: str = "") -> str:
    """``x`` formatted, or "—" when NaN (no scored model, no interval)."""
    return "—" if math.isnan(x) else f"{x:{spec}}{unit}"
