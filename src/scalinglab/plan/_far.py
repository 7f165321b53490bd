"""How far a plan (or a prediction) reaches outside the fitted runs, and what its intervals
assume there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab.fit._diagnostics import FAR
from scalinglab.fit._extrapolation import distance
from scalinglab.fit._reach import ratio_key, reported_distance
from scalinglab.plan._search import planning_symbols

if TYPE_CHECKING:
    from scalinglab.laws import Law
    from scalinglab.plan._result import Allocation
    from scalinglab.plan._source import Source

__all__ = [
    "below",
    "beyond_measured",
    "far_notes",
    "optimum_point",
    "past_measured",
    "ratio_notes",
    "unmeasured_notes",
    "with_distance",
]


def optimum_point(law: Law, found: Allocation) -> dict[str, float]:
    """``(N*, D*)`` of an allocation by the law's symbols that read params and tokens (``N``
    and ``D``; ``P`` and ``T`` in a formula): where its distance and intervals are taken."""
    n, d = planning_symbols(law)
    return {n: found.params.value, d: found.tokens.value}


def with_distance(found: Allocation, source: Source, at: Mapping[str, float]) -> Allocation:
    """The allocation with its distance outside the fitted runs (beyond the largest or
    below the smallest, in N, D, N·D or tokens per parameter) at ``at`` (by the law's
    symbols: :func:`optimum_point` for a budget's optimum), flagged past ``FAR``."""
    ex = getattr(source, "extrapolation", None)  # a preset has no data: no distance
    if ex is None:
        return found
    far = float(reported_distance(ex, at))
    return replace(found, distance=far, notes=(*found.notes, *far_notes(ex, at)))


def beyond_measured(found: Allocation, ex: Any, at: Mapping[str, float]) -> Allocation:
    """The allocation, noted where its backtest-calibrated loss interval reaches past the
    farthest distance the fit's backtests measured (at ``at``, by the law's symbols):
    there the interval's width comes from the error growth fitted to the nearer residuals,
    carried on, not from a measured miss."""
    if ex is None or found.loss_interval_kind != "backtest-calibrated":
        return found
    return replace(found, notes=(*found.notes, *unmeasured_notes(ex, at)))


def far_notes(ex: Any, at: Mapping[str, Any]) -> tuple[str, ...]:
    """What points ``at`` (law symbol -> values; arrays broadcast) more than ``FAR`` decades
    outside the fit's runs assume: a note for those farther below the runs than above
    (the backtests only cut upward), one for those beyond them; none for the others.

    Args:
        ex: The fit's :class:`~scalinglab.fit._extrapolation.Extrapolation`.
        at: The points, by the law's symbols (``N``, ``D``, ``C``, ...).
    """
    d, up = _distances(ex, at)
    far = d > FAR
    notes = []
    if np.any(far & (up < d)):  # farther below the runs than above
        notes.append(
            f"rows more than {FAR:g} decade below the smallest fitted runs (x{10**FAR:g} in N, "
            "D or N·D) extrapolate the law downward, which its backtests (cut upward) do not "
            "test: their intervals assume the error grows as it does upward"
        )
    if np.any(far & (up >= d)):
        notes.append(
            f"rows more than {FAR:g} decade beyond the fitted runs (x{10**FAR:g} in N, D or "
            "N·D) extrapolate the law far past what its data test"
        )
    return (*notes, *ratio_notes(ex, at))


def ratio_notes(ex: Any, at: Mapping[str, Any], *, rows: str = "some rows are") -> tuple[str, ...]:
    """A note where the tokens per parameter of points ``at`` lie farther outside the
    runs' range than their N, D and N·D: the reported distance counts that axis, the
    calibrated interval's width does not (:mod:`scalinglab.fit._reach`). ``rows`` names
    the points in it (a chain's one model: ``"the model is"``)."""
    key = ratio_key(ex.reach)
    if key is None:  # a law without both N and D, or a fit saved before the axis
        return ()
    d = np.asarray(distance(ex.reach, at, ex.floor), dtype=np.float64)
    with_ratio = np.asarray(distance(ex.reach, at, ex.floor, ratio=True), dtype=np.float64)
    if not np.any(with_ratio > d + 0.005):  # the rounding of the printed decades
        return ()
    lo, hi = ex.floor.get(key, np.nan), ex.reach[key]
    return (
        f"tokens per parameter outside the fitted runs' {lo:.3g} to {hi:.3g} sets how far "
        f"{rows} from the data: the law is extrapolated to a ratio of tokens to "
        "parameters no run trained at; its backtests (cut along N·D) do not test that, so "
        "the loss interval does not widen for it",
    )


def unmeasured_notes(ex: Any, at: Mapping[str, Any]) -> tuple[str, ...]:
    """A note where points ``at`` reach past the farthest distance beyond the runs that the
    fit's backtests measured: a backtest-calibrated interval's width there extends the
    measured growth of the error (give only for such intervals)."""
    if not np.any(past_measured(ex, at) > 0):
        return ()
    measured = ex.measured
    return (
        f"past {measured:.2f} decades beyond the fitted runs (the farthest its backtests "
        "reached), loss intervals extend the error's measured growth with distance: their "
        "width there is not measured",
    )


def past_measured(ex: Any, at: Mapping[str, Any]) -> Any:
    """Decades beyond the runs of each point ``at`` where it lies past the farthest distance
    the backtests measured (by more than 0.05, the rounding of what a note prints), else 0;
    points farther below the runs than above count 0 (:func:`far_notes` says those)."""
    d, up = _distances(ex, at)
    return np.where((d > ex.measured + 0.05) & (up >= d), d, 0.0)


def below(ex: Any, at: Mapping[str, Any]) -> Any:
    """Whether each point ``at`` lies farther below the runs than above them (its reported
    distance, tokens per parameter counted, is a distance down)."""
    d = np.asarray(distance(ex.reach, at, ex.floor, ratio=True), dtype=np.float64)
    return (d > 0) & (np.asarray(distance(ex.reach, at, ratio=True)) + np.zeros_like(d) < d)


def _distances(ex: Any, at: Mapping[str, Any]) -> tuple[Any, Any]:
    """Decades outside the runs, above or below, and above alone, of each point."""
    d = np.asarray(distance(ex.reach, at, ex.floor), dtype=np.float64)
    return d, np.asarray(distance(ex.reach, at), dtype=np.float64) + np.zeros_like(d)
