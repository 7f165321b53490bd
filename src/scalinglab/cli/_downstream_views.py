"""The ``downstream backtest`` table (error, coverage and verdict per task), and what
``downstream predict`` says of a model outside the fitted ones."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level

__all__ = ["far_notes", "print_backtest"]


def print_backtest(console: Console, result: Any, keyed: Mapping[str, Any], level: float) -> None:
    """The held-out models, the chain's warnings, and one row per task (and the average)."""
    console.print(f"held out {len(result.held_out)} models ({result.description})")
    for note in result.chain.notes:  # the chain's warnings (models of several corpora)
        if note.startswith("warning:"):
            console.print(Text(note))
    table = Table(title_justify="left")
    for name in (
        "task",
        "abs error (points)",
        "rel error",
        f"{format_level(level)} coverage",
        "verdict",
    ):
        table.add_column(name, justify="left" if name in ("task", "verdict") else "right")
    for key, r in keyed.items():
        label = "average" if key == "average" and result.chained is None else r.task
        fitted = result.chain.tasks.get(key)
        note = ""
        if fitted is not None and fitted.note:  # its evaluation noise exceeds the tolerance
            note = f"±{100 * fitted.eval_noise:.1f} pts evaluation noise per model" + (
                f" ({fitted.examples:.0f} examples)" if math.isfinite(fitted.examples) else ""
            )
        if r.reason:
            table.add_row(Text(label), "—", "—", "—", Text(f"not predictable: {r.reason}"))
            continue
        cov = "—" if math.isnan(r.coverage) else f"{r.coverage:.0%}"
        table.add_row(
            Text(label), f"{100 * r.abs_error:.2f}", f"{100 * r.rel_error:.1f}%", cov, Text(note)
        )
    console.print(table)


def far_notes(far: float) -> tuple[list[str], list[str]]:
    """How far the predicted model lies outside the fitted ones, as a note, or as a
    warning past ``FAR`` decades (NaN, without a bootstrap, and 0 say nothing)."""
    from scalinglab.fit._diagnostics import FAR

    if not far > 0:
        return [], []
    text = (
        f"x{10**far:.3g} ({far:.2f} decades) outside the fitted models in N, D or N·D: the "
        "intervals hold the loss law's measured extrapolation error, and the task laws are "
        "read beyond the fitted losses"
    )
    return ([], [text]) if far > FAR else ([text], [])
