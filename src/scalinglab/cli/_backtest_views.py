"""Rich views of ``scalinglab backtest``: the split, the law comparison with its winner, the
held-out runs of the winner, and the rolling-origin steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._backtest_order import by_distance
from scalinglab._format import format_level
from scalinglab.cli import _render as render
from scalinglab.cli._rows_table import rich_table

__all__ = ["HELD_OUT_ROWS", "backtest_warnings", "print_backtest", "print_caveats"]

#: Held-out runs the table lists by default (``--limit``): a top decile of 5,000 runs
#: printed 500 rows; the Chinchilla points' 24 all fit.
HELD_OUT_ROWS = 25


# validate/ loads NumPy, which `backtest --help` must not (tests/test_cli_startup.py)
def runs_said(n: int) -> str:
    """:func:`scalinglab.validate._few_runs.runs_said`, imported when first called."""
    from scalinglab.validate._few_runs import runs_said as said

    return said(n)


def unidentified_said(mark: str) -> str:
    """:func:`scalinglab.validate._rolling_design.unidentified_said`, imported when first
    called: the words of the law comparison's row and the rolling table's step."""
    from scalinglab.validate._rolling_design import unidentified_said as said

    return said(mark)


def print_backtest(
    console: Console,
    comparison: Any,
    baselines: Sequence[Any],
    steps: Any,
    *,
    limit: int = HELD_OUT_ROWS,
) -> None:
    """Everything ``scalinglab backtest`` prints, top to bottom; ``limit``: the held-out
    runs listed, farthest past the largest fitted first (0: every one)."""
    from scalinglab.validate._rows import split_lines

    for line in split_lines(comparison.split):
        console.print(Text(line), soft_wrap=True)
    _comparison_table(console, comparison, baselines)
    winner = comparison.winner
    if winner is not None:
        console.print(
            Text.assemble(
                ("winner: ", "bold"), (winner.law, "bold cyan"), f" — {comparison.reason}"
            ),
            soft_wrap=True,
        )
        console.print(Text(f"rule: {comparison.rule}", style="dim"), soft_wrap=True)
        _runs_table(console, winner.backtest, limit=limit)
    else:
        console.print(Text("no winner: no fit converged", style="bold red"))
    said: list[str] = []  # the rolling table's notes, said once under it
    if steps is not None:
        _rolling_table(console, steps)
        said = list(steps.notes)
    print_caveats(console, comparison, baselines, steps, said=said)


def print_caveats(
    console: Console, comparison: Any, baselines: Sequence[Any], steps: Any, *, said: Sequence[str]
) -> None:
    """The ``warning:`` lines (:func:`backtest_warnings`), then the ``note:`` lines of every
    law, baseline and the comparison, once each, less those ``said`` already (the rolling
    table's): under the tables, or on stderr under ``--json``."""
    render.print_warnings(console, backtest_warnings(comparison, baselines, steps))
    from scalinglab.validate._rows import comparison_notes  # NumPy: not at --help

    notes = comparison_notes(comparison, baselines)
    render.print_notes(console, [n for n in notes if n not in said])


def backtest_warnings(comparison: Any, baselines: Sequence[Any], steps: Any) -> list[str]:
    """Every reason not to trust the scores, once each: the laws' (:attr:`Comparison.warnings
    <scalinglab.validate.Comparison.warnings>`: the split's, each fit's), the baselines' and
    the rolling steps' (the split's again): what ``--json``'s top-level ``"warnings"`` holds."""
    rolling = () if steps is None else steps.warnings
    said = [*comparison.warnings, *(w for b in baselines for w in b.warnings), *rolling]
    return list(dict.fromkeys(said))


def _comparison_table(console: Console, comparison: Any, baselines: Sequence[Any]) -> None:
    from scalinglab.validate._rows import comparison_rows  # NumPy: not at --help

    console.print(rich_table(comparison_rows(comparison, baselines)))


def _runs_table(console: Console, bt: Any, *, limit: int) -> None:
    """The winner's held-out runs, farthest past the largest fitted first (where a law is
    tested hardest: :func:`~scalinglab._backtest_order.by_distance`), at most ``limit``
    of them (0: all), and its summary under it."""
    from scalinglab.validate._rows import held_out_rows, held_out_summary, not_shown

    ordered = by_distance(bt)
    shown = ordered if limit == 0 else ordered[:limit]
    console.print(rich_table(held_out_rows(bt, shown)))
    console.print(Text(held_out_summary(bt)), soft_wrap=True)
    if len(shown) < len(ordered):
        how = "--limit 0 lists every one (--json and --out hold them all)"
        console.print(Text(not_shown(bt, shown, how=how), style="dim"), soft_wrap=True)


def _rolling_table(console: Console, steps: Any) -> None:
    """The rolling-origin table and its notes under it."""
    from scalinglab.validate._rows import coverage_cell, pct

    table = Table(
        title=f"rolling origin: {steps.law} fitted on the smallest k scales", title_justify="left"
    )
    for header in ("scales k", "runs", f"largest fitted {steps.split.column}", "median ARE"):
        table.add_column(header, justify="right")
    table.add_column("max ARE", justify="right")
    # the widest coverage scored (--level), as the held-out table's interval column
    widest = max(steps.steps[0].summary.coverage) if steps.steps else 0.9
    table.add_column(f"in {format_level(widest)}", justify="right")
    for step in steps.steps:
        s = step.summary
        head = (Text(str(step.scales)), Text(str(step.n_fitted)), Text(render.flops(step.largest)))
        if step.unidentified is not None:  # its scores are where the solver stopped: not shown
            mark = Text(unidentified_said(step.unidentified), style="yellow")
            table.add_row(*head, mark, Text("—"), Text("—"))
            continue
        table.add_row(
            *head, Text(pct(s.median_are)), Text(pct(s.max_are)), Text(coverage_cell(s, widest))
        )
    console.print(table)
    render.print_notes(console, steps.notes)
