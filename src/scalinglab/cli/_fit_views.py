"""The fit and its compute-optimal plan in the terminal: the coefficient table with intervals
and the status line, then one row per budget with the distance beyond the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._cells import count_for
from scalinglab._errors import FitError
from scalinglab._format import format_aic, format_g, format_level
from scalinglab.cli._level_unused import no_effect, no_intervals
from scalinglab.cli._render import (
    interval,
    print_notes,
    print_solver_note,
    print_warnings,
)

if TYPE_CHECKING:
    from scalinglab.curves import CurveFit
    from scalinglab.fit import FitResult

__all__ = [
    "beyond",
    "count_cell",
    "estimate_cell",
    "has_band",
    "less_fits",
    "print_caveats",
    "print_fit",
    "print_flops_interval",
    "print_loss_interval",
    "print_plan_summary",
    "raise_unconverged",
    "stacked",
]


def print_fit(console: Console, result: FitResult, *, level: float | None = None) -> None:
    """Law, data, parameter table with intervals, status line, notes; ``level``: the
    ``--level`` typed, which a fit with no bootstrap says has no effect."""
    console.print(Text.assemble((result.law_spec, "bold cyan"), f"   {result.law.formula}"))
    console.print(Text(f"data: {result.source}"), soft_wrap=True)
    n = len(result.samples) if result.samples is not None else 0
    have_band = n > 0
    # unwrapped: a table of short values is narrower than its title (A = 2, alpha = 0.1)
    title = Text("fitted coefficients", no_wrap=True, overflow="ignore")
    table = Table(title=title, title_justify="left")
    table.add_column("coef", style="bold")
    table.add_column("value", justify="right")
    from scalinglab.fit._text import coef_parts  # NumPy: loaded by the fit

    if have_band:
        from scalinglab.fit._resamples import resamples_label

        drawn = resamples_label(n, result.resample)
        table.add_column(f"{format_level(result.level)} interval ({drawn})", justify="right")
    for name in result.coefs:  # the ends to the value's decimals, as str() and the report
        shown, band = coef_parts(result, name)
        table.add_row(Text(name), Text(shown), *([Text(band)] if have_band else []))
    console.print(table)
    # imported here: the fit package loads NumPy, which `--help` must not
    from scalinglab.fit._implausible import unconverged_warning
    from scalinglab.fit._losses import loss_said
    from scalinglab.fit._text import starts_line

    status = Text()
    if result.ok:
        status.append("converged", style="bold green")
    else:
        status.append(f"FAILED: {result.message}", style="bold red")
    status.append(
        f" · objective {format_g(result.objective)} ({loss_said(result.robust_loss, result.delta)}, "
        f"{result.space} space, {result.n_runs} runs)"
        f" · {starts_line(result)} · "
    )
    status.append(
        f"at bound: {', '.join(result.at_bound) or 'none'}",
        style="bold yellow" if result.at_bound else "",
    )
    status.append(f" · AIC {format_aic(result.aic)} · solver {result.solver}")
    console.print(status, soft_wrap=True)
    if not have_band:
        console.print(
            Text(no_intervals(level, requested=result.n_bootstrap, kept=n), style="dim"),
            soft_wrap=True,
        )
    else:
        print_coarse(console, result)
    # "FAILED: why" above is the first warning's news: said once, on the status line
    failed = unconverged_warning(result.status, result.message)
    print_warnings(console, [w for w in result.warnings if w != failed])
    if have_band:  # otherwise the line above says there are none
        console.print(
            Text(f"prediction intervals: {result.interval_note}", style="dim"), soft_wrap=True
        )
    print_notes(console, result.notes)
    print_solver_note(console, result.solver)


def print_caveats(
    console: Console, result: FitResult, allocations: Sequence[Any], *, level: float | None = None
) -> None:
    """``fit --json``'s lines on stderr: the ``warning:`` and ``note:`` lines :func:`print_fit`
    and :func:`print_plan_summary` print (the fit's warnings and notes, the solver's note,
    the plan's notes), as ``curves fit --json`` and ``downstream fit --json`` echo theirs;
    stdout holds the JSON alone. ``level``: the ``--level`` typed, which a fit with no
    bootstrap says has no effect (the JSON's ``n_bootstrap`` says there are no intervals)."""
    print_notes(
        console,
        no_effect(
            level,
            drawn=0 if result.samples is None else len(result.samples),
            requested=result.n_bootstrap,
        ),
    )
    print_coarse(console, result)
    print_warnings(console, result.warnings)
    print_notes(console, result.notes)
    print_solver_note(console, result.solver)
    from scalinglab.plan._pinned import said_once  # several budgets' lines said as one

    warnings, notes = said_once(allocations, less=result.warnings)
    exponents = result.allocation_exponents if allocations else None  # as the text says them
    print_warnings(console, [*(() if exponents is None else exponents.warnings), *warnings])
    print_notes(console, notes)


def print_coarse(console: Console, result: FitResult) -> None:
    """The caveat on 20 to 99 resamples (under 20 the fit warns; 100+ say nothing)."""
    from scalinglab.fit._diagnostics import coarse_resamples_note

    n = len(result.samples) if result.samples is not None else 0
    coarse = coarse_resamples_note(n, result.level) if n else None
    if coarse:
        console.print(Text(f"note: {coarse}", style="dim"), soft_wrap=True)


def has_band(allocation: Any) -> bool:
    """Whether an allocation carries intervals (a fit without bootstrap samples has none):
    :func:`scalinglab.plan._text.has_band`, as a plan's table decides its interval column."""
    from scalinglab.plan._text import has_band as banded

    return banded(allocation)


def less_fits(allocations: Sequence[Any], result: FitResult) -> list[Any]:
    """``allocations`` planned from ``result`` less its warnings, which the fit says once
    (too few resamples at its own level): as ``plan`` gives them, in the text and the JSON."""
    theirs = set(result.warnings)
    return [
        replace(a, warnings=tuple(w for w in a.warnings if w not in theirs)) for a in allocations
    ]


def print_plan_summary(
    console: Console, allocations: Sequence[Any], *, exponents: Any = None
) -> None:
    """Compact compute-optimal table, one row per budget: the rows of
    :func:`scalinglab.plan._text.frontier_text`, as a notebook shows a frontier; under its
    method the fit's allocation ``exponents`` (``None``: none) and their warnings."""
    if not allocations:
        return
    from scalinglab.plan._text import frontier_text

    first = allocations[0]
    text = frontier_text(allocations)
    table = Table(title=text.title, title_justify="left")
    for header in text.columns:
        table.add_column(header, justify="right")
    for a, row in zip(allocations, text.rows, strict=True):
        cells = [_stacked_text(value, band) for value, band in row]
        if text.far:  # bold yellow past a decade outside the runs, as every table says it
            cells[-1] = beyond(a.distance, below=a.below)
        table.add_row(*cells)
    console.print(table)
    print_loss_interval(console, allocations)
    console.print(Text(f"method: {first.method}", style="dim"), soft_wrap=True)
    if exponents is not None:  # N* ∝ C^a, D* ∝ C^b, as isoflop and envelope print them
        console.print(Text(str(exponents)), soft_wrap=True)
    from scalinglab.plan._pinned import said_once  # several budgets' lines said as one

    warnings, notes = said_once(allocations)
    print_warnings(console, [*(() if exponents is None else exponents.warnings), *warnings])
    print_notes(console, notes)


def beyond(d: float, *, below: bool | None = False, unit: str = "dec") -> Text:
    """Distance outside the data as a factor (``x500``; ``x500 below`` for a point below
    the runs), bold past a decade; in another ``unit`` (spans of a fitted range), without
    a factor (``0.40 span below``)."""
    from scalinglab._cells import beyond_style, beyond_text

    return Text(beyond_text(d, below=below, unit=unit), style=beyond_style(d, unit=unit))


def estimate_cell(est: Any, form: Any) -> Text:
    """An estimate (``value``, ``lower``, ``upper``) as :func:`stacked` shows it."""
    return stacked(est.value, est.lower, est.upper, form)


def count_cell(est: Any) -> Text:
    """A count's estimate (:func:`estimate_cell`), the value and its interval in one style
    (:func:`scalinglab._cells.count_for`: ``1.79e17 [3.67e12, ∞]``, not ``[3.67T, ∞]``)."""
    return estimate_cell(est, count_for(est.value, est.lower, est.upper))


def stacked(value: float, lower: float, upper: float, form: Any) -> Text:
    """Value, and below it the interval in dim text: narrow enough for 80 columns."""
    return _stacked_text(form(value), interval(lower, upper, form))


def _stacked_text(value: str, band: str) -> Text:
    """A cell's value, and below it its interval (``""``: none) in dim text."""
    cell = Text(value)
    if band:
        cell.append(f"\n{band}", style="dim")
    return cell


def print_loss_interval(console: Console, allocations: Sequence[Any]) -> None:
    """One dim line saying what a compute plan's loss interval is, where it is a prediction
    interval (:func:`scalinglab.plan._text.loss_interval_line`, which a notebook shows too)."""
    from scalinglab.plan._text import loss_interval_line

    if line := loss_interval_line(allocations):
        console.print(Text(line, style="dim"), soft_wrap=True)


def print_flops_interval(console: Console, allocation: Any) -> None:
    """One dim line saying what a target loss's compute interval is, where it is a prediction
    interval (:func:`scalinglab.plan._text.flops_interval_line`, which a notebook shows too)."""
    from scalinglab.plan._text import flops_interval_line

    if line := flops_interval_line(allocation):
        console.print(Text(line, style="dim"), soft_wrap=True)


def raise_unconverged(
    result: FitResult | CurveFit,
    *,
    max_iter: int,
    others: str = "another --robust-loss, or --space linear",
) -> None:
    """``fit``'s error for a fit that did not converge (``curves fit``'s too, whose
    ``others`` name its own options), raised once its output is printed and its files
    written, with what to try (more iterations where the starts ran out of them).

    Raises:
        FitError: If ``result`` did not converge.
    """
    if result.status == "converged":
        return
    from scalinglab.fit._solver import Status

    more = f"--max-iter {10 * max_iter} (each start stopped at {max_iter}), "
    raise FitError(
        f"the fit did not converge: {result.message}",
        hint=f"rerun with {more if result.message == Status.MAX_ITER.message else ''}"
        f"{others}; a coefficient run to 0 or an exponent of the wrong sign (see the warnings) "
        "says the law may not suit the data",
    )
