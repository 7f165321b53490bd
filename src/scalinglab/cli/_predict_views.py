"""``scalinglab predict`` in the terminal and as JSON: one row per point, with the loss, its
interval, and how far beyond the fitted runs it is, as the plan table shows them; from a
preset, the loss alone (its paper's values: no interval, no runs to be beyond)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level, format_loss, format_quantity
from scalinglab.cli import _render as render
from scalinglab.cli._fit_views import beyond
from scalinglab.cli._level_unused import level_unused, no_intervals
from scalinglab.cli._render import print_conventions, stdout_console
from scalinglab.cli._sources import source_dict
from scalinglab.cli._views import own_notes, warnings_with
from scalinglab.fit._predict import interval_basis

if TYPE_CHECKING:
    from scalinglab.fit import FitResult, Prediction
    from scalinglab.laws import Preset

__all__ = [
    "PREDICT_FORMAT",
    "extrapolation",
    "law_spec",
    "print_caveats",
    "print_prediction",
    "simulated",
    "simulated_fit",
    "to_dict",
]

#: Why a preset's prediction has no interval (as ``plan --preset`` says it).
NO_INTERVAL = "no intervals: a preset is a point estimate (its paper's values, no bootstrap)"

#: The "format" of what ``predict --json`` prints and ``--out`` saves
#: (:data:`scalinglab._formats.KINDS`).
PREDICT_FORMAT = "scalinglab.predict/1"


def _rows(pred: Prediction, shown: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dictionary per point (:meth:`Prediction.rows`), its variables by the names the
    output shows them under."""
    return replace(pred, at=shown).rows()


def _fit(source: FitResult | Preset) -> FitResult | None:
    """``source`` where it is a fit, ``None`` for a preset."""
    from scalinglab.fit import FitResult

    return source if isinstance(source, FitResult) else None


def law_spec(source: FitResult | Preset) -> str:
    """The law predicted by, as a fit names it (``chinchilla``): a preset's law's."""
    fit = _fit(source)
    return fit.law_spec if fit is not None else source.law.spec


def extrapolation(source: FitResult | Preset) -> Any:
    """A fit's reach of its runs; ``None`` for a preset (its paper's runs are not known)."""
    fit = _fit(source)
    return None if fit is None else fit.extrapolation


def simulated_fit(source: FitResult | Preset) -> bool:
    """Whether ``source`` is a fit to simulated runs (a preset never is)."""
    fit = _fit(source)
    return fit is not None and fit.simulated


def _warnings(source: FitResult | Preset) -> tuple[str, ...]:
    fit = _fit(source)
    return () if fit is None else tuple(warnings_with(fit, ()))


def _has_band(pred: Prediction, shown: Mapping[str, Any]) -> bool:
    """Whether any point has an interval (a level to set)."""
    return any(math.isfinite(r["loss_lower"]) for r in _rows(pred, shown))


def no_interval(
    result: FitResult | Preset, pred: Prediction, shown: Mapping[str, Any], level: float | None
) -> str:
    """Why the prediction has no interval, and that ``--level`` (``level``, where given)
    has no effect there, as ``plan --preset --level`` says it; ``""`` where it has one."""
    if _has_band(pred, shown):
        return ""
    fit = _fit(result)
    if fit is None:
        return f"{NO_INTERVAL}{level_unused(level)}"
    return no_intervals(level, requested=fit.n_bootstrap, refit="scalinglab fit")


def to_dict(
    result: FitResult | Preset,
    pred: Prediction,
    shown: Mapping[str, Any],
    origin: str,
    *,
    level: float | None = None,
) -> dict[str, Any]:
    """``predict --json``: the fit, then :meth:`Prediction.to_dict
    <scalinglab.fit.Prediction.to_dict>` (the point flat or ``points``, each by the names
    shown; level, noise, interval kind, ``max_level``, notes less the fit's own warnings),
    then the warnings: the fit's and the prediction's own, once each (the keys of ``plan
    --json`` and ``downstream predict --json``); a ``level`` given (``--level``) that sets
    no interval is said in the notes (:func:`no_interval`)."""
    data: dict[str, Any] = {"format": PREDICT_FORMAT, "source": source_dict(result, origin)}
    fit = _fit(result)
    said = warnings_with(fit, pred.notes) if fit is not None else []  # a preset warns nothing
    warnings = {"warnings": said}
    notes = tuple(own_notes(result, pred.notes))  # a fit that did not converge: "warnings"
    if level is not None and (unused := no_interval(result, pred, shown, level)):
        notes = (unused, *notes)
    return data | replace(pred, at=shown, notes=notes).to_dict() | warnings


def print_prediction(
    result: FitResult | Preset,
    pred: Prediction,
    shown: Mapping[str, Any],
    origin: str,
    *,
    level: float | None = None,
) -> None:
    """The table of points (a distance below the runs said so: :attr:`Prediction.below`),
    what the interval is (none: why, and that a ``level`` given has no effect), its notes,
    the fit and its warnings."""
    from scalinglab.fit._reach import distance_unit

    console = stdout_console()
    if simulated_fit(result):
        simulated(console)
    rows = _rows(pred, shown)
    ex = extrapolation(result)
    unit = "dec" if ex is None else distance_unit(ex)  # spans of a range reaching 0 or below
    has_band = any(math.isfinite(r["loss_lower"]) for r in rows)
    # a preset's distance is NaN: its paper's runs are not known here
    far = pred.distance is not None and any(math.isfinite(r["distance"]) for r in rows)
    table = Table(title=f"loss predicted by {law_spec(result)}", title_justify="left")
    for name in shown:
        table.add_column(name, justify="right")
    table.add_column("loss", justify="right")
    if has_band:
        table.add_column(f"{format_level(pred.level)} interval", justify="right")
    if far:
        table.add_column("beyond data", justify="right")
    for r in rows:
        cells = [Text(format_quantity(r[name], name)) for name in shown]
        cells.append(Text(_loss(r["loss"])))
        if has_band:
            cells.append(Text(render.interval(r["loss_lower"], r["loss_upper"], _loss)))
        if far:
            cells.append(beyond(r["distance"], below=bool(r["below"]), unit=unit))
        table.add_row(*cells)
    console.print(table)
    fit = _fit(result)
    if fit is None:  # a preset: its paper, and what its numbers assume
        console.print(Text(no_interval(result, pred, shown, level), style="dim"), soft_wrap=True)
        render.print_notes(console, pred.notes)
        paper = getattr(result, "citation", "")  # a Preset's (fit is None: no FitResult)
        console.print(Text(f"preset: {origin} — {paper}"), soft_wrap=True)
        print_conventions(console, result.conventions)
        return
    if has_band:  # the words `fit` prints under its table; the level's own in pred.notes
        console.print(
            Text(f"prediction intervals: {interval_basis(fit)}", style="dim"), soft_wrap=True
        )
    else:
        console.print(Text(no_interval(fit, pred, shown, level), style="dim"), soft_wrap=True)
    render.print_notes(console, own_notes(fit, pred.notes))
    console.print(Text(f"fit: {origin} — {fit.law_spec} on {fit.source}"), soft_wrap=True)
    render.print_warnings(console, warnings_with(fit, ()))  # a perplexity-like loss too


def print_caveats(
    console: Console,
    result: FitResult | Preset,
    pred: Prediction,
    shown: Mapping[str, Any],
    *,
    level: float | None = None,
) -> None:
    """``predict --json``'s lines on stderr: the ``note:`` and ``warning:`` lines
    :func:`print_prediction` prints (the prediction's notes, the fit's warnings; a
    ``level`` given that sets no interval), as ``fit --json`` echoes its own; stdout holds
    the JSON alone."""
    unused = no_interval(result, pred, shown, level) if level is not None else ""
    render.print_notes(console, [*([unused] if unused else []), *own_notes(result, pred.notes)])
    render.print_warnings(console, _warnings(result))


def simulated(console: Console) -> None:
    render.simulated_banner(console, "this prediction comes from a fit to simulated runs")


def _loss(x: float) -> str:
    return format_loss(x)  # the report's loss cells alike
