"""Pieces of the report's curves page that say what the fit is: the curves read, the
fitted coefficients (as ``curves fit`` prints them), the fit's status and warnings, and the
lines ``report --curves`` prints on stderr."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from statistics import median_low

from scalinglab._format import format_count, format_grouped
from scalinglab.curves._caveats import fit_summary, interval_header
from scalinglab.curves._data import Curve
from scalinglab.curves._result import CurveFit
from scalinglab.curves._rows import coef_cells
from scalinglab.data._compare import condition_words
from scalinglab.report._html_parts import (
    escape,
    number_cell,
    status_class,
    warnings_list,
)

__all__ = ["coefs_html", "data_html", "fit_warnings", "status_html", "warmup_used"]


def data_html(curves: Sequence[Curve], fit: CurveFit, held_out: Sequence[str]) -> str:
    """One line on the data: how many curves from where, how many fitted and held out,
    their model sizes and the longest run."""
    sizes = sorted({c.params for c in curves if math.isfinite(c.params)})
    sized = ", ".join(format_count(s) for s in sizes) if sizes else "not given"
    steps = max((c.schedule.steps for c in curves), default=0)
    gone = len(fit.left_out)
    left = f"; {gone} more left out by the reader (named below)" if gone else ""
    read = _source(curves)
    if fit.where and fit.source:  # how many --where kept of how many, as `fit` says it
        named = fit.source.partition(" where ")[2]  # the source names them (a fit's, since): once
        said = [condition_words(k, v, quoted=True) for k, v in fit.where.items()
                if condition_words(k, v) not in named]  # fmt: skip
        read = f"{fit.source}, kept where {' and '.join(said)}" if said else fit.source
    return (
        f"<p class='data'>{len(curves)} curves read from {escape(read)}: "
        f"{len(fit.runs)} fitted, {len(held_out)} held out{left}; model size"
        f"{'s' if len(sizes) > 1 else ''} {escape(sized)}; the longest run {format_grouped(steps)} steps.</p>"
    )


def coefs_html(fit: CurveFit) -> str:
    """The fitted coefficients with their intervals, as ``curves fit`` prints them (the
    interval column only where the fit has a bootstrap)."""
    drawn = fit.samples is not None and len(fit.samples) > 0
    # each end in its own column, as the loss-law page's coefficient table writes them
    header = f"<th>{escape(interval_header(fit, fit.level))}: lower</th><th>upper</th>"
    header = header if drawn else ""
    rows = []
    for name, value in fit.coefs.items():
        lo, hi = fit.intervals.get(name, (math.nan, math.nan))
        shown, lower, upper = coef_cells(fit, name)  # the text of `curves fit`'s table
        cell = (
            f"{number_cell(lo, param=name, end='lower', shown=lower)}"
            f"{number_cell(hi, param=name, end='upper', shown=upper)}"
            if drawn
            else ""
        )
        rows.append(
            f"<tr><th scope='row'>{escape(name)}</th>"
            f"{number_cell(value, param=name, shown=shown)}{cell}</tr>"
        )
    return (
        f"<table class='params'><thead><tr><th>coef</th><th>value</th>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def status_html(fit: CurveFit, *, also: Sequence[str] = ()) -> str:
    """The fit's status line (converged or failed, the starts, coefficients at a bound,
    the residuals) and its warnings, then ``also`` (a backtest's own), styled as the
    loss-law page's."""
    flagged = bool(fit.warnings or fit.at_bound or also)
    css = status_class(ok=fit.status == "converged", flagged=flagged)
    # "converged: the objective stopped ...", or "failed: the maximum number of iterations ..."
    said = fit.message if fit.message.startswith(fit.status) else f"{fit.status}: {fit.message}"
    return (
        f"<p class='status {css}'>Status: {escape(said)}. "
        f"{escape(fit_summary(fit))}.</p>" + warnings_list([*fit_warnings(fit), *also])
    )


def _each(n: int) -> str:
    return "the one curve" if n == 1 else f"each of the {n} curves"


def warmup_used(curves: Sequence[Curve], fit: CurveFit, warmup: int | None) -> str:
    """The card's warm-up: the one given (``warmup``, ``--warmup``) or each curve's own
    (the default spelled out), a rise assumed before a first logged step, the schedules
    whose spec or stored config said it, and the one a spec without it takes."""
    logged = [c for c in curves if c.schedule.spec == "logged"]
    parts = []
    if logged and warmup is not None:
        parts.append(f"{format_grouped(warmup)} steps for {_each(len(logged))} with a logged lr, as given "
                     "(--warmup; warmup= in Python)")  # fmt: skip
    elif logged:
        steps = sorted(c.schedule.warmup for c in logged)
        lo, hi, mid = (format_grouped(s) for s in (steps[0], steps[-1], median_low(steps)))
        span = (f"{lo} steps for {_each(len(steps))}" if steps[0] == steps[-1]
                else f"{lo} to {hi} steps across the {len(steps)} curves (median {mid})")  # fmt: skip
        parts.append(
            "each curve's own (the default; --warmup N sets one for every curve): the steps "
            f"before its logged lr first reaches its peak, {span} with a logged lr"
        )
    rise = sum(any(n.startswith("not logged before step") for n in c.schedule.notes)
               for c in logged)  # fmt: skip
    if rise:
        parts.append(f"{rise} of them not logged from step 0: a linear rise from 0 to the "
                     "first logged lr assumed")  # fmt: skip
    if other := len(curves) - len(logged):  # a --schedule spec, a ladder run's stored config
        parts.append(f"{_each(other)} with a schedule spec or a ladder run's stored config: "
                     "that schedule's own")  # fmt: skip
    if "warmup" in fit.defaults:
        parts.append("a spec that leaves it out (the schedules compared): the fitted curves' "
                     f"median, {format_grouped(fit.defaults['warmup'])} steps")  # fmt: skip
    return "; ".join(parts)


def fit_warnings(fit: CurveFit) -> list[str]:
    """The reasons not to trust the fit, as the page and stderr say them: a fit that did not
    converge first, then the fit's own warnings."""
    failed = (
        [f"the curve fit did not converge ({fit.message}): its predictions are not to be trusted"]
        if fit.status != "converged"
        else []
    )
    return [*failed, *fit.warnings]


def _source(curves: Sequence[Curve]) -> str:
    """Where the curves were read from: the one file, or the folder the files share."""
    files = sorted({c.source for c in curves if c.source})
    if len(files) <= 1:
        return files[0] if files else "the caller"
    try:
        common = os.path.commonpath(files)
    except ValueError:  # paths on different drives, or relative and absolute mixed
        return f"{len(files)} files"
    return f"{len(files)} files under {common}" if common else f"{len(files)} files"
