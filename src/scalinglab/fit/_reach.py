"""How far a point lies outside the fitted data: decades beyond the largest fitted value of
each variable (and of the compute axis ``N*D``), or below the smallest.

A law in N and D also records the runs' range of tokens per parameter, ``D/N``: a point
inside the runs' N, D and N·D can still train at a ratio none of them did (a small model
on many tokens). That axis counts in the *reported* distance only (``distance(...,
ratio=True)``: ``FitResult.distance``, ``Prediction.distance``, a plan's ``distance``);
the calibrated interval's width model (:mod:`._calibrated`) is measured and applied on
the distance without it, as its backtests cut along N·D and never hold out a ratio.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COMPUTE",
    "compute_pair",
    "distance",
    "floor_of",
    "ratio_key",
    "reach_of",
    "reported_distance",
]

Array = NDArray[np.float64]
#: Name of the compute axis (the product N·D) among the reach keys, for a law in N and D; a
#: law whose symbols for params and tokens are others (``P``, ``tokens``) names it by them.
COMPUTE = "N*D"
#: The symbols of a law in N and D.
ND = ("N", "D")


def compute_pair(variables: Mapping[str, str]) -> tuple[str, str] | None:
    """The law's symbols for the model size and the tokens (its variables: symbol ->
    column), whose product is the compute axis: N and D when it has both (whatever columns
    they read: ``--x N=model_size,D=train_tokens``), else the symbols that read ``params``
    and ``tokens``; ``None`` when it lacks one of them."""
    if ND[0] in variables and ND[1] in variables:
        return ND
    by_column = {column: symbol for symbol, column in variables.items()}
    if "params" in by_column and "tokens" in by_column:
        return by_column["params"], by_column["tokens"]
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


def distance(
    reach: Mapping[str, float],
    data: Mapping[str, Any],
    floor: Mapping[str, float] | None = None,
    *,
    ratio: bool = False,
) -> Array:
    """Decades outside the data: the largest ``log10(x / reach)`` over the axes, and of
    ``log10(floor / x)`` where the smallest values are known (a model below the fitted
    sizes is an extrapolation too), at least 0.

    Args:
        reach: Largest fitted value of each axis (:func:`reach_of`).
        data: The points, by the law's symbols.
        floor: Smallest fitted value of each axis (:func:`floor_of`), or none.
        ratio: Count the tokens-per-parameter axis (``D/N``) too: the distance reported
            to the user. The calibrated interval's width is measured and applied without
            it (the module docstring says why), so its callers leave this off.
    """
    axes = {s: np.asarray(v, dtype=np.float64) for s, v in data.items() if s in reach}
    for key in reach:  # the compute axis, named by the two symbols it multiplies
        pair = tuple(key.split("*"))
        if len(pair) == 2 and all(s in data for s in pair):
            axes[key] = _product(data, pair)
    named = ratio_key(reach) if ratio else None
    if named is not None:  # tokens per parameter, "D/N"
        tokens, params = named.split("/")
        if tokens in data and params in data:
            axes[named] = _ratio(data, (params, tokens))
    d = np.zeros(np.broadcast_shapes(*(v.shape for v in axes.values())) if axes else ())
    for s, v in axes.items():
        d = np.maximum(d, np.log10(v / reach[s]))
        if floor and s in floor:
            d = np.maximum(d, np.log10(floor[s] / v))
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
