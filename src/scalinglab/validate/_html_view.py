"""What a notebook shows of a law comparison and of a backtest (their ``_repr_html_``): the
lines and tables ``scalinglab backtest`` prints, from the same rows
(:mod:`scalinglab.validate._rows`), as escaped HTML (:mod:`scalinglab._html_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._backtest_order import by_distance
from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab.data._noted_runs import note_lines
from scalinglab.validate._rows import (
    comparison_notes,
    comparison_rows,
    held_out_rows,
    held_out_summary,
    not_shown,
    split_lines,
)

if TYPE_CHECKING:
    from scalinglab.validate._backtest import Backtest
    from scalinglab.validate._compare import Comparison

__all__ = ["backtest_html", "comparison_html"]

#: Held-out runs shown, farthest past the largest fitted first (``backtest --limit``'s).
ROWS = 25


def _runs(bt: Backtest, *, where: str) -> list[str]:
    """The held-out runs table (at most :data:`ROWS`), its summary line, and how many it
    leaves out and where they all are (``where``)."""
    ordered = by_distance(bt)
    shown = ordered[:ROWS]
    parts = [html_table(held_out_rows(bt, shown)), html_lines([held_out_summary(bt)])]
    if len(shown) < len(ordered):
        parts.append(
            html_lines([not_shown(bt, shown, how=f"{where} holds every one")], style="dim")
        )
    return parts


def _caveats(warnings: tuple[str, ...], notes: tuple[str, ...]) -> str:
    """The warnings, then the notes as the command prints them (:func:`note_lines`: past ten
    runs kept though they look diverged, one line counts the rest)."""
    return html_lines([*(f"warning: {w}" for w in warnings), *note_lines(notes)])


def comparison_html(c: Comparison) -> str:
    """The split, the laws' held-out errors, the winner and its rule, the winner's held-out
    runs, then the warnings and notes."""
    parts = [html_lines(split_lines(c.split)), html_table(comparison_rows(c))]
    if c.winner is not None:
        parts.append(html_lines([f"winner: {c.winner.law} — {c.reason}"]))
        parts.append(html_lines([f"rule: {c.rule}"], style="dim"))
        parts += _runs(c.winner.backtest, where=".winner.backtest.runs")
    else:
        parts.append(html_lines(["no winner: no fit converged"], style="bold red"))
    parts.append(_caveats(c.warnings, tuple(comparison_notes(c))))
    return html_block("comparison", f"law comparison: {len(c.laws)} laws", parts)


def backtest_html(bt: Backtest) -> str:
    """The split, the held-out runs with their errors and coverage, warnings and notes."""
    name = bt.law if bt.method == "scalinglab" else f"{bt.method} ({bt.law})"
    parts = [html_lines(split_lines(bt.split)), *_runs(bt, where=".runs")]
    parts.append(_caveats(bt.warnings, bt.notes))
    return html_block("backtest", f"backtest: {name}", parts)
