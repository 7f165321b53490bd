"""Planning from a law of compute alone, ``L(C)`` (``power-law:flops``, ``E + A*C**-alpha``):
the loss at a budget and the compute for a target loss, with no allocation.

Such a law ties the loss to the compute, but not the compute to parameters and tokens: ``N*``,
``D*`` and tokens per parameter are not determined (NaN, with a note that says why). The rest
is planned as for a law in ``N`` and ``D``, with ``C`` in place of the compute-optimal
``(N*(C), D*(C))``: a budget's loss interval is the fit's prediction interval for one run at
``C``, ``predict(flops=C)``; a target's compute is the law's inverse, found by bisection in
``log C`` over ``[C_MIN, C_MAX]`` for every bootstrap sample together
(:func:`~scalinglab.plan._search.bisect_compute`), and its interval that prediction band,
inverted (:mod:`._inverse`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g
from scalinglab.laws import Law
from scalinglab.laws._autodiff import Program
from scalinglab.plan._far import with_distance
from scalinglab.plan._result import Allocation, Estimate
from scalinglab.plan._search import C_MAX
from scalinglab.plan._source import Rows, Source, sample_estimate

__all__ = [
    "COMPUTE_ALONE",
    "FLOPS_AS_FITTED",
    "budget_allocation",
    "loss_of_compute",
    "target_allocation",
]

Array = NDArray[np.float64]

#: :attr:`Allocation.method` of a plan from a law of compute alone.
COMPUTE_ALONE = "the law of compute alone, L(C), and its inverse: no allocation"
#: :attr:`Allocation.flops_rule` of such a plan: the law's own C, no ``C = 6·N·D`` split.
FLOPS_AS_FITTED = "the fitted runs' flops column (the law's C)"


def loss_of_compute(law: Law, values: Array, symbol: str) -> Callable[[Array], Array]:
    """Each row's ``L(C)`` at its own compute: ``log C`` ``(R,)`` -> loss ``(R,)``, for the
    ``(R, K)`` natural parameter values ``values`` (the point estimate and the samples).

    ``C`` is compiled in as one more (log-space) parameter, so row ``r`` is evaluated at its
    own parameters and ``C``, without the all-pairs product of :meth:`Law.evaluate`.
    """
    program = Program(
        law.expression(),
        params=(*law.param_names, symbol),
        positive=(*(p.positive for p in law.params), True),
        variables=(),
    )
    bound = program.bind({})
    theta = law.to_fitted(values)

    def loss(log_c: Array) -> Array:
        return np.asarray(bound.value(np.column_stack([theta, log_c]))[:, 0], dtype=np.float64)

    return loss


def budget_allocation(source: Source, rows: Rows, symbol: str, *, flops: float) -> Allocation:
    """``L(C)`` at the budget ``flops``, with the fit's prediction interval for one run there
    (as :func:`~scalinglab.plan._allocation.with_prediction` gives an allocation's loss)."""
    losses = rows.law.evaluate(rows.values, {symbol: np.array([flops])})[:, 0]
    found = _allocation(
        source,
        rows,
        at={symbol: flops},
        flops=Estimate(flops, flops, flops),  # the budget asked: exact, resampled or not
        loss=sample_estimate(losses, rows.level),
    )
    # by the law's symbol: the fit may have read C from any column (--x C=flops_exact)
    predict = getattr(source, "_predict_symbols", None)
    if predict is None or not math.isfinite(found.loss.lower):  # a preset, or no bootstrap
        kind = "parameters" if math.isfinite(found.loss.lower) else "none"
        return replace(found, loss_interval_kind=kind)
    band = predict({symbol: flops}, level=rows.level)
    lower, upper = (float(np.ravel(v)[0]) for v in (band.lower, band.upper))
    return replace(  # the prediction's notes, less those with_distance said already
        found,
        loss=Estimate(found.loss.value, lower, upper),
        loss_interval_kind=str(band.interval_kind),
        notes=(*found.notes, *(n for n in getattr(band, "notes", ()) if n not in found.notes)),
    )


def target_allocation(
    source: Source,
    rows: Rows,
    symbol: str,
    *,
    target: float,
    log_c: Array,
    unreachable: NDArray[np.bool_],
    loss: Callable[[Array], Array],
) -> Allocation:
    """The compute ``exp(log_c[0])`` of ``target`` (its interval is set by the caller, from
    :mod:`._inverse`), the loss there over the samples reaching the target, and a note on
    the samples that never do.

    Args:
        source: What was planned from.
        rows: Its law, point estimate and samples.
        symbol: The law's compute symbol.
        target: The target loss.
        log_c: Each row's ``log C`` for the target (``inf``: never reached).
        unreachable: The rows that never reach it within ``C_MAX``.
        loss: :func:`loss_of_compute` of the rows.
    """
    n = rows.n_samples
    ok = np.isfinite(log_c)
    losses = np.where(ok, loss(np.where(ok, log_c, math.log(C_MAX))), np.nan)
    out_of_reach = float(np.mean(unreachable[1:])) if n else 0.0
    notes = []
    if out_of_reach:
        notes.append(
            f"{int(np.sum(unreachable[1:]))} of {n} bootstrap samples never reach loss "
            f"{format_g(target)} up to {format_g(C_MAX, 1)} FLOPs"
        )
    c = math.exp(float(log_c[0]))
    with np.errstate(over="ignore"):
        flops = np.exp(log_c)
    return _allocation(
        source,
        rows,
        at={symbol: c},
        flops=sample_estimate(flops, rows.level),
        loss=sample_estimate(losses, rows.level),
        notes=notes,
        unreachable=out_of_reach,
    )


def _allocation(
    source: Source,
    rows: Rows,
    *,
    at: dict[str, float],
    flops: Estimate,
    loss: Estimate,
    notes: Sequence[str] = (),
    unreachable: float = 0.0,
) -> Allocation:
    """The plan at compute ``at``, its N*, D* and tokens per param not determined (NaN, with
    the note that says why), and its distance outside the fitted runs."""
    nan = Estimate(math.nan, math.nan, math.nan)
    name = getattr(source, "law_spec", None) or rows.law.name
    why = (
        f"N*, D* and tokens/param are not determined: {name} is a law of compute alone, "
        "L(C), which ties the loss to the compute but not the compute to parameters and "
        "tokens; fit a law in params and tokens for an allocation (--law chinchilla, "
        "fit('chinchilla', runs))"
    )
    found = Allocation(
        flops=flops,
        params=nan,
        tokens=nan,
        tokens_per_param=nan,
        loss=loss,
        level=rows.level,
        method=COMPUTE_ALONE,
        flops_rule=FLOPS_AS_FITTED,
        unreachable=unreachable,
        notes=(*rows.notes, why, *notes),
        allocation_interval_kind="none",  # no allocation
    )
    return with_distance(found, source, at=at)
