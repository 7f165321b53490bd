"""Intervals of the hparams fits: a located optimum's, which always contains it, and the
loss* law's prediction interval at a new cell.

A percentile interval of the resampled optima can exclude the optimum itself: the runs'
weights follow the full cell's best loss, so a resample that repeats the best runs pulls
every refit the same way, and with a few resamples the percentiles are coarse. ``fit``
warns of the same case for a law's coefficients
(:func:`scalinglab.fit._diagnostics.outside_interval`); a cell's interval is read as
error bars and against the laws' draws, so here the spread is kept and moved: the draws
about their median, re-centred on the optimum (in log space), and one note says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g, join_more
from scalinglab._no_intervals import no_intervals_why
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._pinned import UNMEASURED

if TYPE_CHECKING:
    from scalinglab.hparams._optimum import CellOptimum

__all__ = [
    "log_interval",
    "loss_interval_missing",
    "loss_note",
    "prediction_interval",
    "shifted_notes",
]

Array = NDArray[np.float64]
#: Cells a note of shifted optima names before "and N more".
_SHOWN = 3


def _percentiles(draws: Array, level: float) -> tuple[float, float]:
    lo, hi = np.percentile(draws, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def _excludes(bounds: tuple[float, float], centre: float) -> bool:
    """Whether log-space ``bounds`` leave out ``centre`` by more than rounding."""
    return not bounds[0] - 1e-9 <= centre <= bounds[1] + 1e-9


def log_interval(estimate: float, draws: Array, level: float) -> tuple[float, float]:
    """The interval of a positive ``estimate`` from its finite ``draws`` in log space: their
    percentiles, or, when those exclude the estimate, the draws' spread about their median
    re-centred on it (so the ends straddle it). ``(nan, nan)`` without draws."""
    draws = draws[np.isfinite(draws)]
    if not len(draws) or not math.isfinite(estimate) or estimate <= 0:
        return math.nan, math.nan
    centre = math.log(estimate)
    lo, hi = _percentiles(draws, level)
    if _excludes((lo, hi), centre):
        lo, hi = _percentiles(draws - np.median(draws) + centre, level)
    return _exp(lo), _exp(hi)


def _exp(x: float) -> float:
    """``e**x``, ``inf`` past floating point (a draw's vertex 1e308 away) instead of an
    OverflowError."""
    return math.exp(x) if x < 709.0 else math.inf


def shifted_notes(cells: Sequence[CellOptimum], level: float) -> list[str]:
    """One note for the located optima whose resampled optima's percentile interval leaves
    them out (the cells' reported intervals are that spread re-centred on them,
    :func:`log_interval`): with one, its value and both intervals; with more, how many,
    of which quantity, and the first few cells."""
    shifted: list[tuple[str, str, float, tuple[float, float], tuple[float, float]]] = []
    for c in cells:
        if c.samples is None:
            continue
        drawn: list[tuple[str, float, NDArray[np.float64], tuple[float, float]]]
        drawn = [("lr*", c.lr, c.samples[:, 0], c.lr_interval)]
        if c.two_d:
            drawn.append(("B*", c.batch, c.samples[:, 1], c.batch_interval))
        for name, estimate, draws, reported in drawn:
            fine = draws[np.isfinite(draws)]
            if not len(fine) or not math.isfinite(estimate) or estimate <= 0:
                continue
            lo, hi = _percentiles(fine, level)
            if _excludes((lo, hi), math.log(estimate)):
                shifted.append((c.label(), name, estimate, (_exp(lo), _exp(hi)), reported))
    if not shifted:
        return []
    why = "the resampled fits are shifted from {} (unstable or biased, or too few resamples)"
    if len(shifted) == 1:
        label, name, estimate, drawn_iv, reported = shifted[0]
        return [
            f"{label}: {name} = {format_g(estimate, 5)} lies outside the percentile interval "
            "of its "
            f"resampled optima {_shown(drawn_iv)}: {why.format('it')}; its interval "
            f"{_shown(reported)} is their spread re-centred on it"
        ]
    labels = list(dict.fromkeys(label for label, *_ in shifted))
    counts = {n: sum(1 for _, m, *_ in shifted if m == n) for n in ("lr*", "B*")}
    which = ", ".join(f"{k} {n}" for n, k in counts.items() if k)
    first = join_more(labels, _SHOWN)
    return [
        f"{len(shifted)} located optima ({which}) in {len(labels)} "
        f"cell{'s' if len(labels) != 1 else ''} lie outside the "
        f"percentile interval of their resampled optima: {why.format('them')}; "
        f"their intervals are the resamples' spread re-centred on them: {first}"
    ]


def _shown(interval: tuple[float, float]) -> str:
    return f"[{format_g(interval[0], 5)}, {format_g(interval[1], 5)}]"


def prediction_interval(
    point: float, draws: Array, residual_scale: float, level: float
) -> tuple[float, float]:
    """A prediction interval of a law's value at a new cell: the bootstrap spread of the law
    (``draws``, the law refitted to resampled optima) combined with how far the fitted
    cells' own values scatter about it (``residual_scale``, in log space), as
    ``point · exp(±z·sqrt(var_boot + s²))``. Without a residual scale (files saved before
    it), the draws' percentiles; ``(nan, nan)`` without draws."""
    draws = draws[np.isfinite(draws) & (draws > 0)]
    if not len(draws) or not point > 0:
        return math.nan, math.nan
    if not math.isfinite(residual_scale):
        return _percentiles(draws, level)
    z = float(NormalDist().inv_cdf(0.5 + level / 2))
    half = z * math.sqrt(float(np.var(np.log(draws))) + residual_scale**2)
    return point * math.exp(-half), point * math.exp(half)


def loss_interval_missing(
    interval: tuple[float, float], *, requested: int, drawn: bool, pinned: bool
) -> str:
    """Why a prediction's loss at the optimum has no ``interval`` (``""`` where it has one):
    no bootstrap (``requested`` 0, or no resample kept: ``drawn`` False), in the shared
    no-intervals words; or cells the lr grid pins, whose loss* is not measured (``pinned``:
    whether a cell the laws were fitted to is, :attr:`CellOptimum.pinned`); else no finite
    refit of the law there."""
    if all(math.isfinite(v) for v in interval):
        return ""
    if not drawn:
        return no_intervals_why(requested=requested)
    if pinned:
        return UNMEASURED
    return "none of the law's bootstrap refits gives a finite loss here"


def loss_note(law: HparamLaw, *, missing: str = "") -> str:
    """What a prediction's loss at the optimum is, and what its interval holds, or, where it
    has none, how far the cells' minima scatter about the law and why (``missing``, see
    :func:`loss_interval_missing`)."""
    what = f"loss at the optimum: a local power law {law.formula} of the cells' minima"
    if missing:  # say why there is none, not what an absent interval would hold
        if math.isfinite(law.residual_scale):
            what += (
                f" (which scatter about it by {format_g(100 * law.residual_scale, 2)}% RMS "
                f"over {law.n_cells} cells)"
            )
        return f"{what}, without an interval, as {missing}"
    what += "; its "
    if not math.isfinite(law.residual_scale):  # a fit saved before the scale was kept
        return what + "interval holds the cells' noise only, not the error of extrapolating it"
    return (
        what + "interval combines its bootstrap spread with the minima's scatter about it "
        f"(RMS {format_g(100 * law.residual_scale, 2)}% over {law.n_cells} cells), not the "
        "error of "
        "extrapolating it"
    )
