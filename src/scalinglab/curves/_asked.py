"""What a :class:`~scalinglab.curves.CurveFit` prediction asks for, checked against the fit:
the steps to evaluate (whole steps only) and the model size (only a fit across sizes reads
one, and it needs one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.curves import _caveats
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._sized import SizedLaw
from scalinglab.data._units import as_quantity

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit


def model_size(fit: CurveFit, params: float | str | None) -> float | None:
    """The model size ``params`` asks for (``None``: the fitted one), checked against
    ``fit``: a law across sizes needs one, any other refuses one."""
    if isinstance(get_curve_law(fit.law), SizedLaw):
        if params is None:
            raise ConfigError(
                f"a {fit.law} fit predicts a model size: pass params=N (--params on the command line)",
                hint=f"sizes fitted: {_caveats.fitted_sizes(fit)}",
            )
        return as_quantity(params, "params")
    if params is not None:
        raise ConfigError(
            f"a {fit.law} fit is of the model size it was fitted on: params= predicts "
            "another size only from a fit across sizes",
            hint=f"drop params (--params), or fit curves of several sizes with --law "
            f"sized:{fit.law}",
        )
    return None


def whole_steps(steps: Sequence[int] | NDArray[np.int64]) -> NDArray[np.int64]:
    """``predict(steps=...)`` as whole steps: ``3000.7`` is refused, not truncated."""
    try:
        raw = np.asarray(steps, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ConfigError("steps must be numbers (whole steps)") from None
    odd = ~np.isfinite(raw) | (raw != np.round(raw))
    if odd.any():
        raise ConfigError(
            f"steps: {format_g(raw[int(np.argmax(odd))])} is not a whole step",
            hint="pass whole 0-based optimizer steps, e.g. steps=[3000, 23999]",
        )
    return raw.astype(np.int64)
