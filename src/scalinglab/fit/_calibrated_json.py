"""The JSON form of an :class:`~._calibrated.Extrapolation`, and how older results read.

A field missing from a result stored before it was added reads as that result was made
(:mod:`._calibrated` says what each default means): no ``sizes``, every residual weighing
the same; ``with_spreads`` true, the cuts' spreads in the scale; no ``diverged``, every
residual scored; no ``floor``, distances counted above the data only; no ``sigma_full``, no
floor under the half-width (``None``: its predictions' notes say so).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._json import json_ready

if TYPE_CHECKING:
    from scalinglab.fit._calibrated import Extrapolation

__all__ = ["from_dict", "to_dict"]


@json_ready
def to_dict(e: Extrapolation) -> dict[str, Any]:
    """A JSON-ready dictionary of every field (arrays as lists)."""
    return {
        "kind": e.kind,
        "reason": e.reason,
        "reach": dict(e.reach),
        "distances": [float(v) for v in e.distances],
        "residuals": [float(v) for v in e.residuals],
        "spreads": [float(v) for v in e.spreads],
        "sigma": e.sigma,
        "slope": e.slope,
        "cuts": list(e.cuts),
        "power": e.power,
        "sizes": list(e.sizes),
        "with_spreads": e.with_spreads,
        "deltas": [float(v) for v in e.deltas],
        "covariance": None if e.covariance is None else e.covariance.tolist(),
        "with_delta": e.with_delta,
        "diverged": [bool(v) for v in e.diverged],
        "floor": dict(e.floor),
        "sigma_full": e.sigma_full,
    }


def from_dict(cls: type[Extrapolation], d: Mapping[str, Any]) -> Extrapolation:
    """The measurement :func:`to_dict` wrote (or an older release: module docstring)."""
    return cls(
        kind=str(d["kind"]),
        reason=str(d["reason"]),
        reach={k: float(v) for k, v in d["reach"].items()},
        distances=np.array(d["distances"], dtype=np.float64),
        residuals=np.array(d["residuals"], dtype=np.float64),
        spreads=np.array(d["spreads"], dtype=np.float64),
        sigma=float(d["sigma"]),
        slope=float(d["slope"]),
        cuts=tuple(float(c) for c in d["cuts"]),
        power=float(d.get("power", 2.0)),
        sizes=tuple(int(n) for n in d.get("sizes", ())),
        with_spreads=bool(d.get("with_spreads", True)),
        deltas=np.array(d.get("deltas", ()), dtype=np.float64),
        covariance=None
        if d.get("covariance") is None
        else np.array(d["covariance"], dtype=np.float64),
        with_delta=bool(d.get("with_delta", False)),
        diverged=np.array(d.get("diverged", ()), dtype=bool),
        floor={k: float(v) for k, v in d.get("floor", {}).items()},
        sigma_full=None if d.get("sigma_full") is None else float(d["sigma_full"]),
    )
