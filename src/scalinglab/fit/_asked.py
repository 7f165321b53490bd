"""A :class:`~scalinglab.fit.FitResult` asked about points by column (``params=7e10,
tokens=1.4e12``): its prediction there and their distance from the fitted runs.

Both read the keywords alike (:func:`~._inputs.predict_variables`): ``flops=`` counted as
plans count it (the fit's :attr:`~scalinglab.fit.FitResult.flops_convention`), and the
variables whose distance is signed (:func:`~._reach.signed_symbols`) as the fit's backtests
measured them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._checks import check_flag
from scalinglab.data._flops_rule import flops_of
from scalinglab.data._units import as_quantities
from scalinglab.fit._flops_inputs import flops_notes
from scalinglab.fit._flops_slip import fit_floor, slip_notes
from scalinglab.fit._inputs import predict_variables
from scalinglab.fit._predict import predict as predict_at
from scalinglab.fit._prediction import Prediction
from scalinglab.fit._reach import reported_distance, signed_symbols

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

Array = NDArray[np.float64]


def predict_columns(
    fit: FitResult,
    columns: Mapping[str, Any],
    *,
    level: float | None,
    noise: bool,
    extrapolation: bool,
) -> Prediction:
    """:meth:`FitResult.predict <scalinglab.fit.FitResult.predict>` at ``columns``: the
    prediction with the points as asked (``"70B"`` as ``7e10``) and the notes of what
    ``flops=`` gave first."""
    for name, flag in (("noise", noise), ("extrapolation", extrapolation)):
        check_flag(name, flag)  # "no" is truthy
    rule = flops_of(fit)  # what flops= counts, as plans count it
    data = predict_variables(fit.columns, columns, law_name=fit.law_spec, rule=rule,
                             signed=signed_symbols(fit.extrapolation))  # fmt: skip
    pred = predict_at(fit, data, level, noise=noise, extrapolation=extrapolation)
    at = {k: as_quantities(v, k) for k, v in columns.items()}  # "70B": 7e10
    flops = as_quantities(columns["flops"], "flops") if "flops" in columns else None
    floor = fit_floor(fit.extrapolation, fit.columns)
    slip = slip_notes(floor, fit.columns, columns, data, flops, rule)
    said = (*flops_notes(fit.columns, columns, rule), *slip, *pred.notes)
    return replace(pred, at=at, notes=said)  # the points by the names asked: to_dict


def distance_columns(fit: FitResult, columns: Mapping[str, Any]) -> Array | float:
    """:meth:`FitResult.distance <scalinglab.fit.FitResult.distance>` at ``columns``: NaN
    (in the points' broadcast shape) for a fit without a measured reach; a float where every
    value is a scalar (one point, as ``float(fit.predict(...))`` is its loss), not a 0-d
    array."""
    data = predict_variables(
        fit.columns, columns, law_name=fit.law_spec, call="FitResult.distance",
        options=(), rule=flops_of(fit), signed=signed_symbols(fit.extrapolation),
    )  # fmt: skip
    if fit.extrapolation is None:
        out = np.full(np.broadcast_shapes(*(v.shape for v in data.values())), np.nan)
    else:
        out = reported_distance(fit.extrapolation, data)
    return float(out) if out.ndim == 0 else out
