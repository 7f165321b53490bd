"""How far a point lies outside the fitted data: decades beyond the largest fitted value of
each variable (and of the compute axis ``N*D``), or below the smallest.

A law in N and D also records the runs' range of tokens per parameter, ``D/N``: a point
inside the runs' N, D and N·D can still train at a ratio none of them did (a small model
on many tokens). That axis counts in the *reported* distance only (``distance(...,
ratio=True)``: ``FitResult.distance``, ``Prediction.distance``, a plan's ``distance``);
the calibrated interval's width model (:mod:`._calibrated`) is measured and applied on
the distance without it, as its backtests cut along N·D and never hold out a ratio.

A variable whose fitted values reach 0 or below (``U`` from -1 to 4 in ``exp(-k*U)``) has
no decades: its distance is counted on a linear axis, in spans of its fitted range
(:func:`linear_axes`), and its fit is not calibrated (:mod:`._extrapolation` says why).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g

__all__ = [
    "COMPUTE",
    "compute_pair",
    "distance",
    "distance_unit",
    "floor_of",
    "linear_axes",
    "linear_reason",
    "ratio_key",
    "reach_of",
    "reported_distance",
    "signed_symbols",
]

Array = NDArray[np.float64]
#: Name of the compute axis (the product N·D) among the reach keys, for a law in N and D; a
#: law whose symbols for params and tokens are others (``P``, ``tokens``) names it by them.
COMPUTE = "N*D"
#: The symbols of a law in N and D.
ND = ("N", "D")


def compute_pair(variables: Mapping[str, str]) -> tuple[str, str] | None:
    """The law's symbols for the model size and the tokens (its variables: symbol ->
    column), whose product is the compute axis: by the columns first, the symbols that read
    ``params`` and ``tokens`` (``P``, ``T``; ``D``, ``N`` where ``--x N=tokens,D=params``,
    so the ratio axis is tokens per parameter whatever the names), as planning decides
    (:func:`~scalinglab.fit._withheld.params_tokens`); else N and D when it has both, as
    those name the model size and tokens whichever columns hold them
    (``--x N=model_size,D=train_tokens``); ``None`` otherwise."""
    by_column = {column: symbol for symbol, column in variables.items()}
    if "params" in by_column and "tokens" in by_column:
        return by_column["params"], by_column["tokens"]
    if ND[0] in variables and ND[1] in variables:
        return ND
    return None


def reach_of(data: Mapping[str, Array], pair: tuple[str, str] | None = ND) -> dict[str, float]:
    """Largest value of each variable, and of the compute axis: the product of ``pair``
    (the symbols reading params and tokens, :func:`compute_pair`) where the data hold both,
    and of their ratio, tokens per parameter (``"D/N"``)."""
    out = {s: float(np.max(v)) for s, v in data.items()}
    if pair and pair[0] in data and pair[1] in data:
        out["*".join(pair)] = float(np.max(_product(data, pair)))
        out[_ratio_name(pair)] = float(np.max(_ratio(data, pair)))
    return out


def floor_of(data: Mapping[str, Array], pair: tuple[str, str] | None = ND) -> dict[str, float]:
    """Smallest value of each variable, of the compute axis and of the ratio (as
    :func:`reach_of`)."""
    out = {s: float(np.min(v)) for s, v in data.items()}
    if pair and pair[0] in data and pair[1] in data:
        out["*".join(pair)] = float(np.min(_product(data, pair)))
        out[_ratio_name(pair)] = float(np.min(_ratio(data, pair)))
    return out


def ratio_key(reach: Mapping[str, float]) -> str | None:
    """The tokens-per-parameter axis among ``reach``'s keys (``"D/N"``), or ``None`` (a law
    without both, or a fit saved before the axis was recorded)."""
    return next((key for key in reach if len(key.split("/")) == 2), None)


def _ratio_name(pair: tuple[str, ...]) -> str:
    return f"{pair[1]}/{pair[0]}"  # tokens over params


def _product(data: Mapping[str, Any], pair: tuple[str, ...]) -> Array:
    return np.asarray(np.asarray(data[pair[0]], float) * np.asarray(data[pair[1]], float))


def _ratio(data: Mapping[str, Any], pair: tuple[str, ...]) -> Array:
    return np.asarray(np.asarray(data[pair[1]], float) / np.asarray(data[pair[0]], float))


def linear_axes(reach: Mapping[str, float], floor: Mapping[str, float] | None) -> dict[str, float]:
    """The axes whose fitted values reach 0 or below, each with its unit of distance: the
    span of its fitted range (``reach - floor``; 1 where the range is unknown or empty).
    Such an axis has no decades, so :func:`distance` counts it linearly in that unit."""
    out: dict[str, float] = {}
    for s, top in reach.items():
        low = (floor or {}).get(s, math.nan)
        if top <= 0 or low <= 0:
            span = top - low
            out[s] = span if math.isfinite(span) and span > 0 else 1.0
    return out


def linear_reason(data: Mapping[str, Array]) -> str | None:
    """Why a fit of variables ``data`` is not calibrated when one reaches 0 or below (the
    backtests measure the error's growth per decade), or ``None`` when every one is
    positive."""
    for s, v in data.items():
        lo, hi = float(np.min(v)), float(np.max(v))
        if lo <= 0:
            return (
                f"{s} takes values <= 0 ({format_g(lo)} to {format_g(hi)}): backtests calibrate the error's "
                f"growth per decade of each variable, which {s} does not have; a column of "
                f"positive values ({s} shifted above 0) calibrates intervals"
            )
    return None


def distance_unit(ex: _Ranged) -> str:
    """The unit of a fit's distances: ``"dec"`` (decades), ``"span"`` where every axis is
    linear (:func:`linear_axes`), ``"dec or span"`` where some are."""
    linear = linear_axes(ex.reach, ex.floor)
    if not linear:
        return "dec"
    return "span" if all(key in linear for key in ex.reach) else "dec or span"


def distance(
    reach: Mapping[str, float],
    data: Mapping[str, Any],
    floor: Mapping[str, float] | None = None,
    *,
    ratio: bool = False,
    below: bool = True,
) -> Array:
    """Decades outside the data: the largest ``log10(x / reach)`` over the axes, and of
    ``log10(floor / x)`` where the smallest values are known (a model below the fitted
    sizes is an extrapolation too), at least 0. An axis whose fitted values reach 0 or
    below counts ``(x - reach) / span`` and ``(floor - x) / span`` instead, in spans of its
    fitted range (:func:`linear_axes`); a value of 0 or below on a log axis is NaN.

    Args:
        reach: Largest fitted value of each axis (:func:`reach_of`).
        data: The points, by the law's symbols.
        floor: Smallest fitted value of each axis (:func:`floor_of`), or none.
        ratio: Count the tokens-per-parameter axis (``D/N``) too: the distance reported
            to the user. The calibrated interval's width is measured and applied without
            it (the module docstring says why), so its callers leave this off.
        below: Count distances below ``floor`` too; ``False``: above ``reach`` alone
            (``floor`` then only sets the linear axes' spans).
    """
    linear = linear_axes(reach, floor)
    values = {s: np.asarray(v, dtype=np.float64) for s, v in data.items()}
    with np.errstate(invalid="ignore", divide="ignore"):  # x <= 0 on a log axis: NaN
        logs = {s: np.log10(v) for s, v in values.items()}
    # log10 of each axis; N·D and D/N as sums of logs, so that N = D = 1e300 is 600
    # decades, not an overflow to inf (a linear axis keeps its values: it has no decades)
    axes = {s: (values if s in linear else logs)[s] for s in data if s in reach}
    for key in reach:  # the compute axis, named by the two symbols it multiplies
        pair = tuple(key.split("*"))
        if len(pair) == 2 and all(s in data for s in pair):
            with np.errstate(over="ignore", invalid="ignore"):  # linear: inf is that far
                axes[key] = (
                    _product(values, pair) if key in linear else logs[pair[0]] + logs[pair[1]]
                )
    named = ratio_key(reach) if ratio else None
    if named is not None:  # tokens per parameter, "D/N"
        tokens, params = named.split("/")
        if tokens in data and params in data:
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                axes[named] = (
                    _ratio(values, (params, tokens))
                    if named in linear
                    else logs[tokens] - logs[params]
                )
    d = np.zeros(np.broadcast_shapes(*(v.shape for v in axes.values())) if axes else ())
    down = floor if below and floor else {}
    for s, v in axes.items():
        if s in linear:
            d = np.maximum(d, (v - reach[s]) / linear[s])
            if s in down:
                d = np.maximum(d, (down[s] - v) / linear[s])
            continue
        with np.errstate(invalid="ignore", divide="ignore"):  # log10(0) of a floor: -inf
            d = np.maximum(d, v - np.log10(reach[s]))
            if s in down:
                d = np.maximum(d, np.log10(down[s]) - v)
    return np.asarray(d, dtype=np.float64)


class _Ranged(Protocol):
    """What a distance is taken from: an :class:`~scalinglab.fit._calibrated.Extrapolation`."""

    @property
    def reach(self) -> Mapping[str, float]: ...
    @property
    def floor(self) -> Mapping[str, float]: ...


def reported_distance(ex: _Ranged, data: Mapping[str, Any]) -> Array:
    """The distance shown to the user (a fit's, a prediction's, a plan's, a chain's):
    decades outside the data above or below, in any variable, N·D or tokens per parameter
    (``ratio=True``)."""
    return distance(ex.reach, data, ex.floor, ratio=True)


def signed_symbols(ex: _Ranged | None) -> frozenset[str]:
    """The variables a fit's runs took to 0 or below (:func:`linear_axes`): a prediction may
    ask for values there too; every other variable is positive, as its law needs."""
    return frozenset() if ex is None else frozenset(linear_axes(ex.reach, ex.floor))
