"""How far the cells' optima lie from a fitted law of them: the RMS of their log residuals,
per degree of freedom (:attr:`HparamLaw.residual_scale <scalinglab.hparams.HparamLaw>`)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab.laws import Law

Array = NDArray[np.float64]


def _residual_scale(
    law: Law, coefs: Mapping[str, float], columns: Mapping[str, Array], values: Array
) -> float:
    """RMS of the log residuals of ``values`` about the law, per degree of freedom."""
    fitted = law.evaluate(dict(coefs), {c: np.asarray(v) for c, v in columns.items()})
    with np.errstate(all="ignore"):
        r = np.log(np.asarray(values, dtype=np.float64)) - np.log(fitted)
    dof = len(r) - len(law.params)
    return float(np.sqrt(np.sum(r**2) / dof)) if dof > 0 and np.all(np.isfinite(r)) else math.nan
