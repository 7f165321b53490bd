"""What a figure's loss band is, in its caption's words: the level and kind of the interval
drawn, or that none is drawn and why.

A backtest-calibrated interval past the level its residuals calibrate is unbounded
(``[0, ∞]``, :meth:`scalinglab.fit._calibrated.Extrapolation.unbounded_why`): no band or bar
can be drawn, and a caption that named "its 90% backtest-calibrated prediction interval"
there described a band the figure does not have.
"""

from __future__ import annotations

from typing import Any

from scalinglab._format import format_level

__all__ = ["band_said", "unbounded_why"]


def unbounded_why(fit: Any, level: float) -> str | None:
    """Why ``fit``'s (a :class:`scalinglab.fit.FitResult`) interval at ``level`` is
    unbounded (``"11 backtest residuals from 2 cuts calibrate levels up to 88.8%, no
    higher"``), or ``None`` where it is bounded or the fit has no calibration."""
    extrapolation = getattr(fit, "extrapolation", None)
    return None if extrapolation is None else extrapolation.unbounded_why(level)


def band_said(level: float, kind: str, *, why: str | None = None) -> str:
    """A caption's words for a loss band: which interval it is, or that there is none (a
    point fit, ``--bootstrap 0``; or, with ``why``, an unbounded interval)."""
    if kind == "none":
        return "without an interval (a point fit, without bootstrap resamples)"
    if kind == "parameters":
        return f"with its {format_level(level)} bootstrap band of the law's mean"
    if why:
        return (
            f"without a band: its {format_level(level)} {kind} prediction interval for one run "
            f"is unbounded ({why}; a lower level draws one)"
        )
    return f"with its {format_level(level)} {kind} prediction interval for one run"
