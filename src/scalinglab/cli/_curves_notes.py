"""What a reader of a schedule comparison must know with it: each schedule's
parts outside the fitted curves, a model size beyond the fitted ones, estimates their own
intervals leave out, and why there is no interval (a single prediction carries its own:
:attr:`scalinglab.curves.CurvePrediction.notes`). Which interval a table shows (its level,
how many resamples of which kind) is :func:`scalinglab.curves._caveats.interval_header`,
which the report's curves page uses too."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scalinglab._defaults import CURVE_BOOTSTRAP
from scalinglab.cli._level_unused import level_unused, no_intervals

__all__ = ["comparison", "data_line", "fit_notes", "fit_summary"]


def data_line(console: Any, result: Any) -> None:
    """``data: curves.csv (3 of its 9 curves selected)``: how many curves ``--where`` kept
    of how many, as ``fit --where`` says it of runs (a fit of every curve: no line, the
    table's title counts them)."""
    if result.where and result.source:
        console.print(f"data: {result.source}", markup=False, soft_wrap=True)


def fit_summary(result: Any) -> str:
    """The line under a curve fit (``curves fit``, ``curves backtest``): starts at the best,
    coefficients at a bound, the residuals (:func:`scalinglab.curves._caveats.fit_summary`,
    imported here: ``--help`` imports no NumPy)."""
    from scalinglab.curves._caveats import fit_summary as summary

    return summary(result)


def fit_notes(
    result: Any, *, specs: bool = True, level: float | None = None, fitted: bool = False
) -> list[str]:
    """A curve fit's notes as its commands print them, every assumption the reading made
    among them (a rate interpolated between logged steps too, in one line); ``specs=False``
    leaves out the schedule defaults, for a command that reads no spec. ``level``: the
    ``--level`` given (``curves fit``), which a fit with no interval says has no effect.
    ``fitted``: the command fitted it (``curves fit``), and says why it has no intervals in
    the one wording (:func:`scalinglab._no_intervals.no_intervals_line`), ``--level`` or not."""
    from scalinglab.curves._caveats import no_interval
    from scalinglab.curves._schedule_defaults import NOTE

    notes = [n for n in result.notes if specs or not n.startswith(NOTE)]
    kept = 0 if result.samples is None else len(result.samples)
    if fitted and len(result.runs) > 1:  # one curve: its own note says why (nothing to resample)
        asked = result.n_bootstrap or 0
        # what to run: curves fit's own default, not fit's 200
        said = no_intervals(level, requested=asked, kept=kept, ask=CURVE_BOOTSTRAP)
        return notes + [n for n in (said,) if n]
    why = no_interval(result) if level is not None else ""
    return notes + ([f"{why}{level_unused(level)}"] if why else [])


def comparison(
    result: Any,
    specs: Sequence[str],
    steps: int,
    rows: Sequence[Any],
    params: float | None = None,
    *,
    baseline: str = "cosine",
    level: float,
) -> list[str]:
    """``curves compare``: a fit that did not converge, the values filled into the specs
    (with the baseline in full), coefficients held at a bound, each schedule's parts outside the fit, none beating the
    baseline, a size beyond the fitted ones, rows whose estimate (loss or gain) is outside
    its interval, no interval or what the intervals cover."""
    # here: `--help` imports no NumPy
    from scalinglab.curves import _caveats
    from scalinglab.curves._compare import compared
    from scalinglab.curves._no_decay import decay_unmeasured
    from scalinglab.curves._schedule_defaults import filled_note
    from scalinglab.fit._implausible import unconverged_warning

    base = compared(result, baseline, steps, baseline=True)
    # a fit that did not converge first (`curves fit --out` saves it), as a prediction says it
    failed = unconverged_warning(result.status, result.message)
    out = [f"warning: {failed}" if failed else "", filled_note(result.defaults, steps, base)]
    out.append(_caveats.at_bound(result))
    scheds = [compared(result, spec, steps) for spec in specs]
    out.append(decay_unmeasured(result, [base, *scheds]))  # a decay no fitted curve measured
    out += result.outside(base, name=baseline)
    out += [n for spec, s in zip(specs, scheds, strict=True) for n in result.outside(s, name=spec)]
    if params is not None and result.law.startswith("sized:"):
        out.append(_caveats.beyond_sizes(result, params))
    given = [r for r in rows if not (r.baseline and r.spec not in specs)]
    if given and not any(r.best for r in given):
        out.append(f"no schedule compared beats {baseline}, the baseline ({base.spec})")
    few = _caveats.few_draws(result, level)
    out.append(few)
    for r in rows:  # which estimate, the loss or the gain, is outside its interval
        if few or not math.isfinite(r.lower):  # from too few resamples: an end is one
            continue
        off = [
            what
            for what, inside in (
                ("final loss", r.lower <= r.loss <= r.upper),
                ("gain", r.baseline or r.gain_lower <= r.gain <= r.gain_upper),
            )
            if not inside
        ]
        if off:
            out.append("warning: " + _caveats.shifted(1, 1, name=r.spec, what=" and ".join(off)))
    out += [_caveats.no_interval(result), _caveats.covers(result)]
    return [n for n in dict.fromkeys(out) if n]
