"""``scalinglab predict`` in the terminal and as JSON: one row per point, with the loss, its
interval, and how far beyond the fitted runs it is, as the plan table shows them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level, format_quantity
from scalinglab.cli import _render as render
from scalinglab.cli._fit_views import beyond
from scalinglab.cli._render import stdout_console
from scalinglab.cli._sources import source_dict
from scalinglab.cli._views import own_notes, warnings_with

if TYPE_CHECKING:
    from scalinglab.fit import FitResult, Prediction

__all__ = ["PREDICT_FORMAT", "print_caveats", "print_prediction", "simulated", "to_dict"]

#: The "format" of what ``predict --json`` prints and ``--out`` saves
#: (:data:`scalinglab._formats.KINDS`).
PREDICT_FORMAT = "scalinglab.predict/1"


def _rows(pred: Prediction, shown: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dictionary per point (:meth:`Prediction.rows`), its variables by the names the
    output shows them under."""
    return replace(pred, at=shown).rows()


def to_dict(
    result: FitResult,
    pred: Prediction,
    shown: Mapping[str, Any],
    origin: str,
) -> dict[str, Any]:
    """``predict --json``: the fit, then :meth:`Prediction.to_dict
    <scalinglab.fit.Prediction.to_dict>` (the point flat or ``points``, each by the names
    shown; level, noise, interval kind, ``max_level``, notes less the fit's own warnings),
    then the warnings: the fit's and the prediction's own, once each (the keys of ``plan
    --json`` and ``downstream predict --json``)."""
    data: dict[str, Any] = {"format": PREDICT_FORMAT, "source": source_dict(result, origin)}
    warnings = {"warnings": warnings_with(result, pred.notes)}
    notes = tuple(own_notes(result, pred.notes))  # a fit that did not converge: "warnings"
    return data | replace(pred, at=shown, notes=notes).to_dict() | warnings


def print_prediction(
    result: FitResult,
    pred: Prediction,
    shown: Mapping[str, Any],
    origin: str,
) -> None:
    """The table of points (a distance below the runs said so: :attr:`Prediction.below`),
    what the interval is, its notes, the fit and its warnings."""
    from scalinglab.fit._reach import distance_unit

    console = stdout_console()
    if result.simulated:
        simulated(console)
    rows = _rows(pred, shown)
    ex = result.extrapolation
    unit = "dec" if ex is None else distance_unit(ex)  # spans of a range reaching 0 or below
    has_band = any(math.isfinite(r["loss_lower"]) for r in rows)
    table = Table(title=f"loss predicted by {result.law_spec}", title_justify="left")
    for name in shown:
        table.add_column(name, justify="right")
    table.add_column("loss", justify="right")
    if has_band:
        table.add_column(f"{format_level(pred.level)} interval", justify="right")
    if pred.distance is not None:
        table.add_column("beyond data", justify="right")
    for r in rows:
        cells = [Text(format_quantity(r[name], name)) for name in shown]
        cells.append(Text(_loss(r["loss"])))
        if has_band:
            cells.append(Text(render.interval(r["loss_lower"], r["loss_upper"], _loss)))
        if pred.distance is not None:
            cells.append(beyond(r["distance"], below=bool(r["below"]), unit=unit))
        table.add_row(*cells)
    console.print(table)
    if has_band:  # the words `fit` prints under its table
        console.print(
            Text(f"prediction intervals: {result.interval_kind}", style="dim"), soft_wrap=True
        )
    else:
        console.print(
            Text("no intervals: the fit has no bootstrap (fit with --bootstrap N)", style="dim")
        )
    render.print_notes(console, own_notes(result, pred.notes))
    console.print(Text(f"fit: {origin} — {result.law_spec} on {result.source}"), soft_wrap=True)
    render.print_warnings(console, result.warnings)


def print_caveats(console: Console, result: FitResult, pred: Prediction) -> None:
    """``predict --json``'s lines on stderr: the ``note:`` and ``warning:`` lines
    :func:`print_prediction` prints (the prediction's notes, the fit's warnings), as ``fit
    --json`` echoes its own; stdout holds the JSON alone."""
    render.print_notes(console, own_notes(result, pred.notes))
    render.print_warnings(console, result.warnings)


def simulated(console: Console) -> None:
    render.simulated_banner(console, "this prediction comes from a fit to simulated runs")


def _loss(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else render.number(x)
