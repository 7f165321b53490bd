"""What a :class:`~scalinglab.curves.CurveFit` prediction asks for, checked against the fit:
the steps to evaluate (whole steps only) and the model size (only a fit across sizes reads
one, and it needs one); and the losses and intervals a fit's predictions are made of."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.curves import _caveats
from scalinglab.curves._fit import percentile_interval
from scalinglab.curves._laws import CurveLaw
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._sized import SizedLaw
from scalinglab.data._units import as_quantity

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit
    from scalinglab.curves._schedules import Schedule

Array = NDArray[np.float64]


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


def losses(
    fit: CurveFit,
    schedules: Sequence[Schedule],
    steps: Sequence[NDArray[np.int64]] | None = None,
    *,
    sizes: Sequence[float] | None = None,
) -> tuple[Array, Array]:
    """The loss at ``steps[i]`` of each ``schedules[i]`` (default: its last step), every
    point in order: at ``fit``'s coefficients ``(P,)`` and at each bootstrap sample
    ``(R, P)`` (``R = 0`` without a bootstrap). ``sizes``: each schedule's model size,
    which a law across sizes needs (other laws do not read it)."""
    law: CurveLaw = get_curve_law(fit.law)
    if isinstance(law, SizedLaw):  # each schedule at its size
        law = law.with_sizes(sizes or [math.nan] * len(schedules), n_ref=fit.n_ref)
    coefs = np.array([[fit.coefs[n] for n in law.param_names]])
    draws = fit.samples if fit.samples is not None else np.empty((0, coefs.shape[1]))
    at = steps if steps is not None else [np.array([s.steps - 1]) for s in schedules]
    with np.errstate(all="ignore"):  # a non-finite loss is refused by predict
        prep = law.prepare(list(schedules), list(at))
        values, _ = law.evaluate(np.vstack([coefs, draws]), prep, jacobian=False)
    return values[0], values[1:]


def interval(fit: CurveFit, draws: Array, level: float) -> tuple[Array, Array]:
    """The bootstrap interval of each column of ``draws`` ``(R, P)`` (NaN without)."""
    if not len(draws):
        nan = np.full(draws.shape[1], np.nan)
        return nan, nan
    return percentile_interval(draws, level, len(fit.runs))
