"""The chain's first link: which law of (N, D) for the loss, and how far it misses beyond the data.

::

    law, why = loss_law(evals.runs, "auto", seed=0)      # as `scalinglab fit --law auto`
    step, delta = fit_loss(law, data, loss, weights)     # Huber at the data's own scale
    error = loss_error(law, evals.runs, seed=0)          # rolling-origin backtests (issue 10)
    draws = loss_draws(step, error, nd, level=0.9, ...)  # (R, m) losses for the next link

A bootstrap over models sees only the noise of the fitted runs; the loss law also misses
because it is not exactly right, and that miss grows with the distance beyond the data. The
same measurement :func:`scalinglab.fit` makes (:mod:`scalinglab.fit._extrapolation`) is made
here on the chain's runs and carried into the draws of the loss that the accuracy laws read,
so a chain's accuracy interval holds the loss law's extrapolation error too.

The loss law is fitted by Huber's loss at the scale of the data's own noise (``delta =
1.345 σ``, Huber 1964's 95%-efficiency constant, ``σ`` the robust scale of the residuals of
a fit at ``fit``'s default ``delta = 1e-3``; never below it), not at ``1e-3`` itself: on the over-trained
models the residuals are 0.5-1.7%, so 60-100% of them lie beyond ``1e-3`` and that fit is
effectively least absolute deviations. Chosen on the fitted sizes alone (fit 10.6M and
78.9M, predict 153.7M, per corpus; ``benchmarks/downstream_accuracy.py``): mean error 2.60%
against 2.64% (over-training law), 1.45% against 1.49% (Kaplan's), 2.14% against 4.99%
(Chinchilla's); least squares 3.07 / 2.02 / 4.21%.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

from scalinglab.data import RunTable
from scalinglab.downstream._refit import Step, fit_point, fit_step
from scalinglab.fit._extrapolation import Extrapolation, distance
from scalinglab.fit._objective import Array
from scalinglab.laws import Law, get_law

__all__ = ["AUTO", "HUBER_K", "fit_loss", "loss_draws", "loss_error", "loss_law"]

#: The law name that asks for the law a backtest on the fitted runs chooses.
AUTO = "auto"
#: Resamples of the fit that measures the extrapolation error (its cut fits have their own).
_MEASURE_BOOTSTRAP = 2
#: Huber's tuning constant, in units of the noise: 95% efficiency at normal noise.
HUBER_K = 1.345
#: ``fit``'s default scale of the Huber loss on log residuals (Hoffmann et al. 2022).
_FIRST_DELTA = 1e-3


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


def fit_loss(
    law: Law, data: dict[str, Array], loss: Array, weights: Array | None
) -> tuple[Step, float]:
    """The chain's loss law on log residuals, by Huber's loss at the data's noise scale.

    A first fit at ``delta = 1e-3`` gives the residuals' robust scale ``σ`` (its
    :attr:`Step.noise`); the law is refitted, with the bootstrap ``weights`` ``(R, P)``
    (or none), at ``delta = 1.345 σ``, never below ``1e-3`` (data less noisy than that
    keep ``fit``'s default).

    Returns:
        The fitted step and the ``delta`` it was fitted with.
    """
    sigma = fit_point(law, data, loss, space="log", delta=_FIRST_DELTA).step.noise
    delta = max(HUBER_K * sigma, _FIRST_DELTA) if math.isfinite(sigma) else _FIRST_DELTA
    return fit_step(law, data, loss, space="log", delta=delta, weights=weights), delta


def loss_error(law: Law, table: RunTable, *, seed: int, delta: float = 1e-3) -> Extrapolation:
    """The loss law's extrapolation error, measured by rolling-origin backtests on ``table``
    with the law fitted by Huber's loss at ``delta`` (as the chain's fit, :func:`fit_loss`).

    Its ``kind`` says whether it calibrates intervals (enough scales) or not, and why.
    """
    from scalinglab.fit import fit

    result = fit(
        law, table, bootstrap=_MEASURE_BOOTSTRAP, seed=seed, extrapolation=True, delta=delta
    )
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
