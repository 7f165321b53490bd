"""Diagnostics: the ways a converged fit can still not be trusted, each said in one line.

A solver that converges has found a minimum; it has not found a law. These checks read the
fitted parameters, their bootstrap and the runs, and return a warning for each sign that
the fit should not be used as it stands:

- collapse: the irreducible loss ``E`` driven to ~0, or a coefficient below ``1e-10`` or
  above ``1e10`` in natural units;
- implausible exponents: a decay exponent that is negative, ~0 (its term is a constant,
  not separable from ``E``) or above :data:`EXPONENT_RANGE`'s top (published language-model
  exponents lie in 0.05-0.7: Kaplan et al. 2020, Hoffmann et al. 2022, Gadre et al. 2024);
- non-identifiable: a positive parameter whose bootstrap interval spans
  :data:`MAX_DECADES` decades or more at any likely seed (:mod:`._spans`; at the edge, a
  note from :func:`~._spans.edge_of_identified` instead), an interval with an end on a bound of its range
  (the whole range at both), or two parameters whose bootstrap fits correlate
  beyond :data:`MAX_CORRELATION` (the data fix a combination, not each);
- structurally not identified, bootstrap or not (:mod:`._identified`): too few distinct
  values of a variable for the law's terms in it, variables that move together, or a
  direction of the parameters that no prediction at the runs sees;
- too few runs: under :data:`MIN_RUNS_PER_PARAM` runs per fitted parameter, counted as
  distinct points of the law's variables (replicates measure noise, not scaling);
- an interval that excludes its own estimate (the bootstrap is shifted from the fit);
- a law that does not follow the runs (:mod:`._goodness`): it explains under half the
  spread of their log loss.

Distance beyond the data is judged where predictions are made (:data:`FAR`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._cells import estimate_parts
from scalinglab._format import format_g, format_grouped, format_level
from scalinglab.fit._bounds import MANY_AT_BOUND, at_bounds, ranges
from scalinglab.fit._goodness import misfit
from scalinglab.fit._implausible import (
    COEFFICIENT_RANGE,
    EXPONENT_RANGE,
    value_warnings,
)
from scalinglab.fit._points import distinct_points, n_distinct, points_from_runs, points_label
from scalinglab.fit._roles import roles
from scalinglab.fit._spans import MAX_DECADES, Judged, judge, unidentified
from scalinglab.fit._term_centres import term_centres
from scalinglab.laws import Law

__all__ = [
    "COEFFICIENT_RANGE",
    "EXPONENT_RANGE",
    "FAR",
    "FEW_RESAMPLES",
    "MANY_AT_BOUND",
    "MAX_CORRELATION",
    "MAX_DECADES",
    "MIN_RUNS_PER_PARAM",
    "at_bounds",
    "coarse_resamples_note",
    "diagnose",
    "few_resamples",
    "few_resamples_warning",
    "outside_interval",
    "unidentified",
]

#: ``E`` below this fraction of the smallest observed loss has collapsed to zero.
E_FRACTION = 1e-3
#: Bootstrap correlation (log scale for positive parameters) beyond which two are confounded.
MAX_CORRELATION = 0.995
#: Fewer runs per fitted parameter than this draws a warning (the hard minimum is 1 + 1/k).
MIN_RUNS_PER_PARAM = 5
#: Decades beyond the fitted data past which a prediction or plan row is flagged.
FAR = 1.0

Array = NDArray[np.float64]


#: The fewest resamples at any level (:func:`few_resamples`: more at levels above 90%);
#: under it intervals get a warning, and no estimate is called outside its own (the check
#: needs interval ends that are not single resamples).
FEW_RESAMPLES = 20


def few_resamples(level: float) -> int:
    """Fewest resamples whose ``level`` interval has a resample beyond each end: 20 at 90%,
    200 at 99% (under it, an end is the most extreme resample)."""
    return max(FEW_RESAMPLES, math.ceil(2 / max(1 - level, 1e-9) - 1e-9))


def few_resamples_warning(drawn: int, level: float) -> str | None:
    """The warning for intervals from fewer than :func:`few_resamples` resamples (their ends
    are single resamples), or ``None`` (none drawn, or enough). It warns where a backtest,
    which scores its intervals' coverage, refuses 1 to 19 (``check_backtest_bootstrap``): the
    estimates do not depend on the resamples, only the intervals do, as it says."""
    if not 0 < drawn < few_resamples(level):
        return None
    return (
        f"intervals from {format_grouped(drawn)} resample{'s' if drawn > 1 else ''} only: their ends are noise "
        f"at {format_level(level)} (use {5 * few_resamples(level)} or more; the estimate may "
        "lie outside them); a warning, not a refusal: the estimates do not depend on the "
        "resamples, only the intervals do"
    )


def coarse_resamples_note(drawn: int, level: float) -> str | None:
    """The caveat of intervals from enough resamples to draw (:func:`few_resamples`) but
    fewer than the 5× that :func:`few_resamples_warning` asks for (100 at 90%): their ends
    still move from seed to seed; ``None`` outside that range."""
    few = few_resamples(level)
    if not few <= drawn < 5 * few:
        return None
    return (
        f"intervals from {format_grouped(drawn)} resamples: their ends at {format_level(level)} move from "
        f"seed to seed (use {5 * few} or more; 1,000 for final numbers)"
    )


_ON_END = 1e-6  # a share of an interval's width from its end still on it: solver tolerance


def outside_interval(
    name: str,
    value: float,
    interval: tuple[float, float],
    *,
    written: Callable[[float, float, float], tuple[str, str]] = estimate_parts,
) -> str | None:
    """The warning for an estimate outside its own bootstrap interval, or ``None``: the
    value and interval as its table writes them, ``written(value, lower, upper)`` (a
    coefficient's table: :func:`~scalinglab._cells.estimate_parts`). One within
    :data:`_ON_END` of the width from an end is on it: resamples that solve to the fit's own
    optimum end there within tolerance (``gamma = 2.0672 lies outside [2.0672, 2.5014]``
    was 2e-8 below it)."""
    lo, hi = interval
    on_end = _ON_END * (hi - lo)
    if math.isfinite(lo) and math.isfinite(hi) and not lo - on_end <= value <= hi + on_end:
        shown, band = written(value, lo, hi)
        return (
            f"{name} = {shown} lies outside its own interval {band}: "
            "the bootstrap fits are shifted from the fit (unstable or biased)"
        )
    return None


def diagnose(
    law: Law,
    params: Mapping[str, float],
    intervals: Mapping[str, tuple[float, float]],
    samples: Array | None,
    *,
    n_runs: int,
    min_loss: float,
    log_means: Mapping[str, float] | None = None,
    data: Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    level: float = 0.9,
    observed: ArrayLike | None = None,
    judged: Judged | None = None,
    unread: str | None = None,
) -> tuple[str, ...]:
    """Every reason not to trust this fit, one line each (empty when there is none).

    Args:
        law: The law fitted.
        params: Best-fit values in natural units.
        intervals: Bootstrap percentile intervals (NaN without a bootstrap).
        samples: Bootstrap fits ``(R, K)`` in natural units, or ``None``.
        n_runs: Runs fitted.
        min_loss: Smallest observed loss (``E`` is judged against it).
        log_means: Mean log of each variable: a coefficient's correlation is judged at the
            data's centre (``log A - alpha·mean log N``), since at ``N = 1`` far from the data
            it correlates with its exponent by construction.
        data: Variable symbol -> the fitted runs' values: with it, the structural checks
            of :mod:`._identified` run (they need no bootstrap).
        columns: Variable symbol -> run-table column, for their messages.
        level: Coverage of the intervals (fewer resamples are enough at lower levels).
        observed: The runs' losses (at ``data``): with them, whether the law follows them.
        judged: The parameters' spans as the fit judged them for its notes
            (:func:`~._spans.judge`), so that they are judged once; ``None``: judged here.
        unread: A size the runs vary in that the law ignores (:mod:`._unread`): why it misses.
    """
    out: list[str] = []
    missed = (
        None
        if data is None or observed is None
        else misfit(law, params, data, observed, unread=unread)
    )
    if missed:  # first: what the other lines say matters less for a law that misses
        out.append(missed)
    kinds = roles(law)
    k = len(params)
    # replicates (seeds at one point) measure noise, not scaling: count distinct points
    ids = None if data is None else distinct_points(data)
    n_points = n_runs if ids is None else n_distinct(ids)
    if n_points < MIN_RUNS_PER_PARAM * k:
        # what is counted, first: the distinct points, from how many runs where replicates
        # make them fewer (--fit-on's bound counts the points too, and says the runs)
        at = points_label(data or {})
        runs, once = (str(n_runs), "") if n_points == n_runs else (
            points_from_runs(n_points, n_runs, at), f"; runs at one {at} count once"
        )  # fmt: skip
        # L = A·x^-α, 2 parameters, is the fewest a law that scales has: no fewer to fit
        fewer = " or fit a law with fewer parameters" if k > 2 else ""
        out.append(
            f"too few runs: {runs} for {k} parameters ({n_points / k:.1f} per parameter, "
            f"under {MIN_RUNS_PER_PARAM}{once}); parameters and extrapolations are unreliable "
            "— add runs" + (" at new points" if n_points < n_runs else "") + fewer
        )
    # a percentile interval from a handful of resamples: its ends are two of them
    few = few_resamples_warning(0 if samples is None else len(samples), level)
    if few:
        out.append(few)
    # an irreducible part of a variable (a loss-to-loss law's E_x) is judged against that
    # variable's smallest value, not the fitted loss's
    floors: Mapping[str, tuple[str, str]] = getattr(law, "floors", {})
    for name, value in params.items():
        kind = kinds.get(name, "")
        var, label = floors.get(name, ("", "loss"))
        least = float(np.min(data[var])) if data is not None and var in data else min_loss
        if kind == "irreducible" and value < E_FRACTION * least:
            of = f"the smallest {label}"
            out.append(
                f"{name} = {format_g(value, 3)} collapsed to ~0 ({of} is {format_g(least, 3)}): "
                "the law has no floor, and its exponents absorb the difference"
            )
        out += value_warnings(name, value, kind)
        band = intervals.get(name, (math.nan, math.nan))
        written = partial(_parts, law.figures, ranges(law).get(name))  # as the table writes it
        shifted = outside_interval(name, value, band, written=written)
        if shifted and not few:
            out.append(shifted)
    if data is not None:
        # imported here: _identified reads _delta, which reads this module's MAX_CORRELATION
        from scalinglab.fit._identified import structural

        out += structural(law, params, data, columns=columns)
    if judged is None:
        judged = judge(law, intervals, samples, level=level, params=params)
    out += judged.warnings  # at the edge: no warning for the span; fit() notes it
    out += _confounded(law, params, samples, term_centres(law, log_means or {}, data))
    return tuple(out)


def _confounded(
    law: Law,
    params: Mapping[str, float],
    samples: Array | None,
    centres: Mapping[str, tuple[str, float]],
) -> list[str]:
    out: list[str] = []
    positive = {p.name: p.positive for p in law.params}
    if samples is None or len(samples) < 10:
        return out
    names = list(params)
    cols = []
    for j, name in enumerate(names):
        col = np.asarray(samples[:, j], dtype=np.float64)
        if positive.get(name):
            with np.errstate(divide="ignore", invalid="ignore"):
                col = np.log(col)
        if name in centres and centres[name][0] in names:  # the term's log at the centre
            expo, centre = centres[name]
            col = col - samples[:, names.index(expo)] * centre
        cols.append(col)
    x = np.column_stack(cols)
    x = x[np.all(np.isfinite(x), axis=1)]
    if len(x) < 10:
        return out
    sd = x.std(axis=0)
    # a spread at the solver's tolerance (noise-free runs) says nothing about identification:
    # its correlations are rounding, and +1.000 between them would be a false alarm
    keep = sd > 1e-7 * np.maximum(1.0, np.abs(x.mean(axis=0)))
    if keep.sum() < 2:
        return out
    with np.errstate(invalid="ignore", divide="ignore"):  # a spread that underflows: NaN
        corr = np.atleast_2d(np.corrcoef(x[:, keep], rowvar=False))
    kept = [n for n, kk in zip(names, keep, strict=True) if kk]
    for i in range(len(kept)):
        for j in range(i + 1, len(kept)):
            if abs(corr[i, j]) > MAX_CORRELATION:
                out.append(
                    f"{kept[i]} and {kept[j]} are confounded: their bootstrap fits correlate "
                    f"at {corr[i, j]:+.3f}; the data fix a combination of them, not each"
                )
    return out


def _parts(
    digits: int, bounds: tuple[float, float] | None, value: float, lower: float, upper: float
) -> tuple[str, str]:
    """A coefficient and its interval as its table writes them: to ``digits`` figures, an
    end on a round one of ``bounds`` (its range) bare."""
    return estimate_parts(value, lower, upper, digits, bounds=bounds)
