"""The chain's first link: which law of (N, D) for the loss, and how far it misses beyond the data.

::

    law, delta, why = loss_law(evals.runs, "auto", seed=0)   # each law scored at its delta
    step, delta = fit_loss(law, data, loss, weights, delta=delta)
    error = loss_error(law, evals.runs, step, delta=delta)  # rolling-origin backtests
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

``"auto"`` scores every candidate law at its own chain delta (the ``1e-3`` fit that gives
``σ``, then rolling-origin cuts at ``1.345 σ``), so the law is chosen by the estimator that
then fits it, not by ``fit``'s ``1e-3``. On the fitted sizes alone (fit 10.6M and 78.9M,
predict 153.7M) the two ways choose the same law (the over-training law, every corpus), so
that check is a tie; on the 72 models of <= 154M they choose differently in every corpus
(benchmarks/RESULTS.md, issue 15, fifth round). The measurement of the extrapolation error
starts its cut fits from the chain's own fit (``fit`` would fit the law a third time first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri  # norm.ppf's own kernel; scipy.stats loads in 0.8 s

from scalinglab._defaults import HUBER_DELTA, MAX_ITER
from scalinglab._errors import ScalingLabError
from scalinglab._format import format_g
from scalinglab._quantiles import percentile_intervals
from scalinglab.data import RunTable
from scalinglab.downstream._refit import Solved, Step, fit_point, fit_step
from scalinglab.downstream._step import scale_inputs
from scalinglab.fit._columns import law_columns
from scalinglab.fit._diagnostics import diagnose
from scalinglab.fit._extrapolation import Extrapolation, distance
from scalinglab.fit._losses import get_loss
from scalinglab.fit._objective import Array
from scalinglab.fit._refit import measure_refits
from scalinglab.fit._spans import edge_of_identified
from scalinglab.laws import Law, get_law

if TYPE_CHECKING:
    from scalinglab.validate._law_choice import LawChoice

__all__ = [
    "AUTO",
    "HUBER_K",
    "auto_law",
    "chain_delta",
    "choose_loss",
    "delta_note",
    "fit_loss",
    "law_below",
    "loss_draws",
    "loss_edges",
    "loss_error",
    "loss_law",
    "loss_warnings",
]

#: The law name that asks for the law a backtest on the fitted runs chooses.
AUTO = "auto"
#: Huber's tuning constant, in units of the noise: 95% efficiency at normal noise.
HUBER_K = 1.345


def loss_law(table: RunTable, law: str | Law, *, seed: int) -> tuple[Law, float, str]:
    """The law of (N, D) for the chain's loss, its Huber delta (:func:`chain_delta`), and why
    it was chosen.

    ``"auto"`` chooses among the catalog laws by rolling-origin extrapolation error on these
    runs, as ``scalinglab fit --law auto`` does, but with every candidate's cuts fitted at
    that candidate's chain delta (``fit --law auto`` scores them at ``1e-3``); any other name
    or formula is taken as given.
    """
    if isinstance(law, str) and law == AUTO:
        return auto_law(*choose_loss(table, seed=seed))
    chosen = get_law(law)
    data = scale_inputs(chosen, table["params"], table["tokens"])
    return chosen, chain_delta(chosen, data, table["loss"]), f"law {chosen.name} as given"


def choose_loss(table: RunTable, *, seed: int) -> tuple[LawChoice, dict[str, float]]:
    """``"auto"``'s choice among the catalog laws of (N, D), each scored at its own chain
    delta (:func:`chain_delta`), and those deltas by law name: what :func:`auto_law` reads,
    and what the check that the laws it could not tell apart agree on the allocation
    (:mod:`~scalinglab.downstream._loss_unsettled`) fits each rival with."""
    from scalinglab.validate._choose import CANDIDATES, choose_law

    names = CANDIDATES[("params", "tokens")]
    deltas = {}
    for name in names:
        form = get_law(name)
        data = scale_inputs(form, table["params"], table["tokens"])
        deltas[name] = chain_delta(form, data, table["loss"])
    choice = choose_law(table, laws=names, y="loss", seed=seed, delta=deltas, fallback=True)
    return choice, deltas


def auto_law(choice: LawChoice, deltas: Mapping[str, float]) -> tuple[Law, float, str]:
    """The law ``choice`` chose, its chain delta, and why (:func:`loss_law`'s three)."""
    return get_law(choice.chosen), deltas[choice.chosen], f"law auto: {choice.reason}"


def law_below(law: str | Law, chosen: Law, table: RunTable, *, seed: int) -> Law:
    """The loss law of the chain's backtest below its largest fitted size.

    A backtest replicates the whole procedure: with ``"auto"`` the law is chosen again on the
    runs below (where the law chosen on all of them may not be identified: Chinchilla's
    ``E + A/N^α`` on two sizes is a valley of equal fits, whose errors at the held-out size
    ranged 1.5-6.6% by solver build on the over-trained models; benchmarks/RESULTS.md, issue
    15 fifth round), or ``chosen`` where too few scales leave no choice; a named law stays.
    """
    if not (isinstance(law, str) and law == AUTO):
        return chosen
    try:
        choice, _ = choose_loss(table, seed=seed)
    except ScalingLabError:  # no candidate can be fitted below
        return chosen
    return chosen if choice.fallback else get_law(choice.chosen)  # too few scales below


def chain_delta(law: Law, data: dict[str, Array], loss: Array) -> float:
    """Huber's delta for the chain's loss law: ``1.345 σ``, never below ``1e-3``.

    ``σ`` is the robust scale (:attr:`Step.noise`) of the residuals of a point fit at
    ``fit``'s default ``delta = 1e-3``; data less noisy than that keep the default.
    """
    sigma = fit_point(law, data, loss, space="log", delta=HUBER_DELTA).step.noise
    return max(HUBER_K * sigma, HUBER_DELTA) if math.isfinite(sigma) else HUBER_DELTA


def delta_note(delta: float, step: Step) -> str:
    """The chain's note on the Huber delta its loss law was fitted with, ``step``.

    At the floor (``1e-3``) the delta is not ``1.345 σ``: the note says so, with ``1.345 σ``.
    The fit at the floor is the very fit :func:`chain_delta` measured ``σ`` on (same law,
    data and delta), so its noise is that ``σ``: nothing is fitted again to say it.
    """
    said = f"loss law fitted by Huber at delta {format_g(delta, 3)}"
    if delta > HUBER_DELTA:
        return f"{said} ({HUBER_K} x the residuals' scale)"
    if not math.isfinite(step.noise):
        return f"{said} (the floor: the residuals have no finite scale)"
    return f"{said} (the floor; {HUBER_K} x the residuals' scale is {format_g(HUBER_K * step.noise, 3)})"


def fit_loss(
    law: Law,
    data: dict[str, Array],
    loss: Array,
    weights: Array | None,
    *,
    delta: float | None = None,
    progress: Solved | None = None,
) -> tuple[Step, float]:
    """The chain's loss law on log residuals, by Huber's loss at the data's noise scale.

    The law is fitted, with the bootstrap ``weights`` ``(R, P)`` (or none), at ``delta``
    (default: :func:`chain_delta` of these data, which costs one more point fit);
    ``progress(done, total)`` is called as the resamples are solved.

    Returns:
        The fitted step and the ``delta`` it was fitted with.
    """
    if delta is None:
        delta = chain_delta(law, data, loss)
    step = fit_step(law, data, loss, space="log", delta=delta, weights=weights, progress=progress)
    return step, delta


def loss_warnings(
    step: Step, data: dict[str, Array], loss: Array, *, level: float
) -> tuple[str, ...]:
    """Every reason not to trust the chain's loss law, as :func:`scalinglab.fit` gives them
    (:func:`~scalinglab.fit._diagnostics.diagnose`: collapsed or implausible coefficients,
    too few models per parameter, a design that leaves parameters unidentified, and with a
    bootstrap the intervals' checks), each prefixed ``"loss law: "``. Every task's
    accuracy is read from this law's loss, so a warning here holds for all of them."""
    law = step.law
    good = step.samples[np.all(np.isfinite(step.samples), axis=1)]
    lines = diagnose(
        law,
        step.coefs,
        percentile_intervals(good, law.param_names, level),
        good if len(good) else None,
        n_runs=len(loss),
        min_loss=float(np.min(loss)),
        log_means={s: float(np.mean(np.log(v))) for s, v in data.items()},
        data=data,
        columns=dict(law.variables),
        level=level,
    )
    return tuple(f"loss law: {line}" for line in lines)


def loss_edges(step: Step, *, level: float) -> tuple[str, ...]:
    """The notes :func:`scalinglab.fit` gives where :func:`loss_warnings` gives none: a
    coefficient whose interval is at the edge of identified, wide or not by the seed
    (:func:`~scalinglab.fit._spans.edge_of_identified`), each prefixed ``"the loss law's "``
    (``"loss law: "`` marks a warning in chains saved before warnings had a field)."""
    law, good = step.law, step.samples[np.all(np.isfinite(step.samples), axis=1)]
    intervals = percentile_intervals(good, law.param_names, level)
    lines = edge_of_identified(law, intervals, good, level=level, params=step.coefs)
    return tuple(f"the loss law's {line}" for line in lines)


def loss_error(
    law: Law, table: RunTable, step: Step, *, delta: float = HUBER_DELTA
) -> Extrapolation:
    """The loss law's extrapolation error, measured by rolling-origin backtests on ``table``
    with the law fitted by Huber's loss at ``delta`` (as the chain's fit, :func:`fit_loss`).

    The cut fits start from ``step``'s optimum (the chain's own fit of ``law`` to ``table``
    at ``delta``) and a draw of the law's start grid with the fixed seed of the cuts, as :func:`scalinglab.fit` would
    start them after fitting the law once more. Its ``kind`` says whether it calibrates
    intervals (enough scales) or not, and why.
    """
    columns = law_columns(law, table, None)
    data = {s: table[c] for s, c in columns.items()}
    target = table["loss"]
    return measure_refits(
        law,
        table,
        data,
        target,
        theta=law.to_fitted(step.coefs),
        grid=law.start_grid(data, target),
        sigma=step.noise,
        robust_loss=get_loss("huber", delta=delta),
        space="log",
        x=None,
        y="loss",
        max_iter=MAX_ITER,
        threads=None,
    )


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
    scores over the normal one, so that the draws' ``level`` interval is the calibrated one
    (without the ``z·σ_full`` floor ``predict`` applies inside the data: the chain's spread
    there is the noise's and the bootstrap's, measured by its own coverage tests).

    Raises:
        ValueError: ``level`` past what the backtests calibrate (``error.level_note``): the
            interval is unbounded there, which no draws hold (callers say so instead).
    """
    unbounded = None if error is None else error.level_note(level)
    if unbounded is not None:
        raise ValueError(unbounded)
    raw = step.evaluate(step.samples, data)[:, 0]
    z = rng.standard_normal((len(raw), per))
    if error is None or not error.calibrated:
        return step.with_noise(raw[:, None], z)
    point = float(step.evaluate(step.theta, data)[0])
    d = float(distance(error.reach, data, error.floor).reshape(-1)[0])
    s = math.sqrt(error.sigma**2 + error.slope**2 * max(d, 0.0) ** error.power)
    scale = error.quantile(level) / float(ndtri(0.5 * (1.0 + level)))
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.log(raw)[:, None] + s * z - math.log(point)
    return np.asarray(point * np.exp(scale * dev))
