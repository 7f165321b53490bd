"""How far a plan reaches outside the fitted runs, and what its intervals assume there."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scalinglab.fit._diagnostics import FAR
from scalinglab.fit._extrapolation import distance

if TYPE_CHECKING:
    from scalinglab.plan._allocation import Allocation
    from scalinglab.plan._source import Source

__all__ = ["beyond_measured", "with_distance"]


def with_distance(found: Allocation, source: Source) -> Allocation:
    """The allocation with its distance outside the fitted runs (beyond the largest or
    below the smallest), flagged past ``FAR``."""
    ex = getattr(source, "extrapolation", None)  # a preset has no data: no distance
    if ex is None:
        return found
    at = {"N": found.params.value, "D": found.tokens.value}
    d = float(distance(ex.reach, at, ex.floor))
    notes = found.notes
    if d > FAR and float(distance(ex.reach, at)) < d:  # farther below the runs than above
        notes = (
            *notes,
            f"rows more than {FAR:g} decade below the smallest fitted runs (x{10**FAR:g} in N, "
            "D or N·D) extrapolate the law downward, which its backtests (cut upward) do not "
            "test: their intervals assume the error grows as it does upward",
        )
    elif d > FAR:
        notes = (
            *notes,
            f"rows more than {FAR:g} decade beyond the fitted runs (x{10**FAR:g} in N, D or "
            "N·D) extrapolate the law far past what its data test",
        )
    return replace(found, distance=d, notes=notes)


def beyond_measured(found: Allocation, ex: Any) -> Allocation:
    """The allocation, noted where its backtest-calibrated loss interval reaches past the
    farthest distance the fit's backtests measured: there the interval's width comes from
    the error growth fitted to the nearer residuals, carried on, not from a measured miss."""
    if ex is None or found.loss_interval_kind != "backtest-calibrated":
        return found
    measured = ex.measured
    at = {"N": found.params.value, "D": found.tokens.value}
    up = float(distance(ex.reach, at))  # below the runs: with_distance's note says it all
    if not (found.distance > measured + 0.05 and up >= found.distance):  # NaN: nothing
        return found
    note = (
        f"past {measured:.2f} decades beyond the fitted runs (the farthest its backtests "
        "reached), loss intervals extend the error's measured growth with distance: their "
        "width there is not measured"
    )
    return replace(found, notes=(*found.notes, note))
