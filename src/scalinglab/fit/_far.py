"""What a prediction's interval assumes where it is made: far outside the fitted runs, at a
ratio of tokens to parameters no run trained at, past the distance the backtests measured,
inside the data where the noise floor sets the width, or from a fit file too old to hold that
floor. :attr:`~scalinglab.fit.Prediction.notes` carries these, so Python says what
``predict`` and ``plan`` print (they print the library's notes, not their own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g, format_level, format_quantity
from scalinglab.fit._diagnostics import FAR
from scalinglab.fit._reach import distance, linear_axes, ratio_key
from scalinglab.laws._base import DEFAULT_COLUMNS

__all__ = [
    "CALIBRATED",
    "NOISE_FLOOR",
    "NO_INTERVAL",
    "below",
    "far_notes",
    "floor_notes",
    "past_measured",
    "ratio_notes",
    "unmeasured_notes",
    "width_from",
]

#: Most points a note names by their values (more: ``width_from`` says which).
_NAMED = 6

#: :attr:`~scalinglab.fit.Prediction.width_from` of a point whose calibrated half-width is
#: ``q·s``, the backtests' calibrated error at its distance.
CALIBRATED = "calibrated"
#: ... of a point whose half-width is the floor ``z·σ_full``, the run-to-run noise's own
#: normal interval, wider there than ``q·s`` (near the data, at a low level).
NOISE_FLOOR = "noise-floor"
#: ... of a point without an interval (its prediction NaN: the law is not defined there);
#: ``null`` in JSON.
NO_INTERVAL = ""


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
    size, axes = _far_scale(ex)
    if np.any(far & (up < d)):  # farther below the runs than above
        notes.append(
            f"rows more than {size} below the smallest fitted runs ({axes}) "
            "extrapolate the law downward, which its backtests (cut upward) do not test: "
            "their intervals assume the error grows as it does upward"
        )
    if np.any(far & (up >= d)):
        notes.append(
            f"rows more than {size} beyond the fitted runs ({axes}) extrapolate the "
            "law far past what its data test"
        )
    return (*_span_notes(ex, d), *notes, *ratio_notes(ex, at))


def _far_scale(ex: Any) -> tuple[str, str]:
    """How far :data:`FAR` is, and on which axes: ``("1 decade", "x10 in N, D or N·D")``;
    on an axis the runs took to 0 or below, spans of its fitted range (:mod:`._reach`)."""
    linear = linear_axes(ex.reach, ex.floor)
    logs = {k: v for k, v in ex.reach.items() if k not in linear}
    decade = f"x{10**FAR:g} in {_axes(logs)}" if logs else ""  # N, D or N·D; C
    span = f"in {', '.join(linear)}" if linear else ""
    sizes = [f"{FAR:g} decade"] * bool(logs) + [f"{FAR:g} span of the fitted range"] * bool(linear)
    return " or ".join(sizes), "; ".join(w for w in (decade, span) if w)


def _span_notes(ex: Any, d: Any) -> tuple[str, ...]:
    """Where points lie outside the runs of a fit with a variable they took to 0 or below:
    that its distance counts spans of its fitted range, not decades (:mod:`._reach`)."""
    linear = linear_axes(ex.reach, ex.floor)
    if not linear or not np.any(np.asarray(d) > 0):
        return ()
    said = ", ".join(
        f"{s} ({format_g(ex.floor[s])} to {format_g(ex.reach[s])}, a span of {format_g(span)})"
        for s, span in linear.items()
        if s in ex.floor
    )
    return (
        f"distances beyond the runs of a variable they took to 0 or below count spans of its "
        f"fitted range, not decades: {said}",
    )


def _axes(reach: Mapping[str, float]) -> str:
    """The axes a distance is counted on, in words: the law's variables and the compute
    axis (``"N, D or N·D"``; ``"C"``), not tokens per parameter (:func:`ratio_notes`)."""
    ratio = ratio_key(reach)
    names = [key.replace("*", "·") for key in reach if key != ratio]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


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
        f"tokens per parameter outside the fitted runs' {format_g(lo, 3)} to {format_g(hi, 3)} sets how far "
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


def floor_notes(
    ex: Any,
    width_from: NDArray[np.str_],
    level: float,
    at: Mapping[str, Any],
    *,
    labels: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    refit: str | None = None,
) -> tuple[str, ...]:
    """What set a backtest-calibrated interval's width where it is not ``q·s``: the noise
    floor ``z·σ_full`` at some points (``width_from``, :func:`width_from`), named by their
    values ``at`` (law symbol -> values; ``labels`` a symbol's name in words, ``L`` ->
    ``L_x``; ``columns`` the column each symbol reads, whose format its values take:
    ``P=100M`` where ``P`` reads params) as a table shows no ``width_from``, or no floor at
    all, for a fit file saved before ``sigma_full`` was, whose intervals are narrower than the
    noise at some of these points: ``refit`` names how to re-fit it (``None``: a re-fit would
    add no floor here, nothing to say)."""
    if ex.sigma_full is None:  # said where a re-fit's floor would be wider than q·s
        return (
            (
                "this fit file holds no noise floor for its calibrated intervals (saved before "
                "extrapolation.sigma_full was): their width is the backtests' q·s alone, which "
                f"here is narrower than the run-to-run noise; re-fit ({refit}) to get the floor",
            )
            if refit
            else ()
        )
    floored = np.asarray(width_from == NOISE_FLOOR)
    if not floored.any():
        return ()
    units = {s: _unit(s, columns or {}) for s in at}
    which = "" if floored.all() else f" at {_points(at, floored, labels or {}, units)}"
    return (
        f"the {format_level(level)} interval{which} is the run-to-run noise's own (half-width "
        f"z·σ_full = {format_g(_z(level) * ex.sigma_full, 3)} in log loss), wider there than the backtests' "
        "calibrated error q·s: near the data the noise, not the extrapolation error, sets the "
        "width",
    )


def _unit(symbol: str, columns: Mapping[str, str]) -> str:
    """The column whose format ``symbol``'s values take (``100M``, ``2B``, ``1e22``): the
    one it reads (``P`` reading params: a count), by the columns, not the symbol's name;
    where that is none of params, tokens and flops (``N`` reading ``nonemb``), the one its
    symbol reads by default, as ``N``, ``D`` and ``C`` count those whatever column holds them."""
    column = columns.get(symbol, symbol)
    known = set(DEFAULT_COLUMNS.values())
    return column if column in known else DEFAULT_COLUMNS.get(symbol, column)


def _points(
    at: Mapping[str, Any],
    chosen: NDArray[np.bool_],
    labels: Mapping[str, str],
    units: Mapping[str, str],
) -> str:
    """``k of n points (N=100M, D=2B; ...)``: the ``chosen`` points by their values, as
    the table prints them; past :data:`_NAMED` of them, ``width_from`` says which."""
    k, n = int(chosen.sum()), chosen.size
    if k > _NAMED:
        return f"{k} of {n} points (width_from says which; predict --json gives it per point)"
    values = {s: np.ravel(np.broadcast_to(v, chosen.shape))[chosen.ravel()] for s, v in at.items()}
    named = [
        ", ".join(
            f"{labels.get(s, s)}={format_quantity(float(v[i]), units[s])}"
            for s, v in values.items()
        )
        for i in range(k)
    ]
    return f"{k} of {n} points ({'; '.join(named)})"


def width_from(qs: Any, floor: Any, point: Any) -> NDArray[np.str_]:
    """Which term sets each point's calibrated half-width, of the two :meth:`~._calibrated
    .Extrapolation.widths` gives (``q·s`` and the floor): :data:`NOISE_FLOOR` where the
    floor is wider, else :data:`CALIBRATED` (unbounded intervals too); :data:`NO_INTERVAL`
    where the prediction ``point`` is NaN, which has no interval for either to set."""
    set_by = np.where(np.asarray(floor) > qs, NOISE_FLOOR, CALIBRATED)
    return np.where(np.isnan(point), NO_INTERVAL, set_by)


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
    up = distance(ex.reach, at, ex.floor, ratio=True, below=False)
    return (d > 0) & (np.asarray(up) + np.zeros_like(d) < d)


def _distances(ex: Any, at: Mapping[str, Any]) -> tuple[Any, Any]:
    """Decades outside the runs, above or below, and above alone, of each point."""
    d = np.asarray(distance(ex.reach, at, ex.floor), dtype=np.float64)
    up = distance(ex.reach, at, ex.floor, below=False)
    return d, np.asarray(up, dtype=np.float64) + np.zeros_like(d)


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2)
