"""The chain's first link: which law of (N, D) for the loss, and how far it misses beyond the data.

::

    law, why = loss_law(evals.runs, "auto", seed=0)      # as `scalinglab fit --law auto`
    error = loss_error(law, evals.runs, seed=0)          # rolling-origin backtests (issue 10)
    draws = loss_draws(step, error, nd, level=0.9, ...)  # (R, m) losses for the next link

A bootstrap over models sees only the noise of the fitted runs; the loss law also misses
because it is not exactly right, and that miss grows with the distance beyond the data. The
same measurement :func:`scalinglab.fit` makes (:mod:`scalinglab.fit._extrapolation`) is made
here on the chain's runs and carried into the draws of the loss that the accuracy laws read,
so a chain's accuracy interval holds the loss law's extrapolation error too.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

from scalinglab.data import RunTable
from scalinglab.downstream._refit import Step
from scalinglab.fit._extrapolation import Extrapolation, distance
from scalinglab.fit._objective import Array
from scalinglab.laws import Law, get_law

__all__ = ["AUTO", "loss_draws", "loss_error", "loss_law"]

#: The law name that asks for the law a backtest on the fitted runs chooses.
AUTO = "auto"
#: Resamples of the fit that measures the extrapolation error (its cut fits have their own).
_MEASURE_BOOTSTRAP = 2


def loss_law(table: RunTable, law: str | Law, *, seed: int) -> tuple[Law, str]:
    """The law of (N, D) for the chain's loss, and why it was chosen.

    ``"auto"`` chooses among the catalog laws by rolling-origin extrapolation error on these
    runs, as ``scalinglab fit --law auto`` does; any other name or formula is taken as given.
    """
    if isinstance(law, str) and law == AUTO:
        from scalinglab.validate._choose import choose_law

        choice = choose_law(table, y="loss", seed=seed)
        return get_law(choice.chosen), f"law auto: {choice.reason}"
    chosen = get_law(law)
    return chosen, f"law {chosen.name} as given"


def loss_error(law: Law, table: RunTable, *, seed: int) -> Extrapolation:
    """The loss law's extrapolation error, measured by rolling-origin backtests on ``table``.

    Its ``kind`` says whether it calibrates intervals (enough scales) or not, and why.
    """
    from scalinglab.fit import fit

    result = fit(law, table, bootstrap=_MEASURE_BOOTSTRAP, seed=seed, extrapolation=True)
    measured = result.extrapolation
    if measured is None:  # fit() always measures with a bootstrap; keep the type honest
        raise RuntimeError("fit() returned no extrapolation measurement")
    return measured


def loss_draws(
    step: Step,
    error: Extrapolation | None,
    data: dict[str, Array],
    *,
    level: float,
    rng: np.random.Generator,
    per: int,
) -> Array:
    """Draws of the loss at one new model, ``(R, per)``: resample ``r``'s law plus noise.

    Without a calibrated ``error`` the noise is the fit's residual noise (log space). With
    one, as :meth:`FitResult.predict` does for a loss: the noise grows with the distance
    ``d`` beyond the data as ``sqrt(σ² + κ²·d^p)``, and each draw's log deviation from the
    point prediction is scaled by ``q / z``, the split-conformal quantile of the backtest
    scores over the normal one, so that the draws' ``level`` interval is the calibrated one.
    """
    raw = step.evaluate(step.samples, data)[:, 0]
    z = rng.standard_normal((len(raw), per))
    if error is None or not error.calibrated:
        return step.with_noise(raw[:, None], z)
    point = float(step.evaluate(step.theta, data)[0])
    d = float(distance(error.reach, data).reshape(-1)[0])
    s = math.sqrt(error.sigma**2 + error.slope**2 * max(d, 0.0) ** error.power)
    scale = error.quantile(level) / float(norm.ppf(0.5 * (1.0 + level)))
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.log(raw)[:, None] + s * z - math.log(point)
    return np.asarray(point * np.exp(scale * dev))
