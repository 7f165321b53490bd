"""Compute-optimal allocation: model size and tokens for a budget, compute for a target loss.

Planning assumes ``C = 6·N·D`` (Kaplan et al. 2020, §2.1) and works from a law in ``N``
(``params``) and ``D`` (``tokens``): a :class:`~scalinglab.laws.Preset`, or a fit result.
A fit whose runs' FLOPs were counted otherwise (its ``flops_convention`` records their ratio
``r(N)`` to 6·N·D, a constant or ``1 + k·N^p``) plans budgets counted as they were,
``C = 6·N·D·r(N)`` (:mod:`._search`).
Every quantity is computed for the point estimate and for every bootstrap sample at once;
the interval is the percentile interval of the samples at ``level`` (5th to 95th percentile
for 0.9), but a budget's loss and a target loss's compute have the fit's prediction interval
for one run (``*_interval_kind`` say so). Without samples (a preset) the interval is NaN.
A law of compute alone, ``L(C)``, plans the loss and the compute without an allocation
(:mod:`._compute_alone`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, keyword_meant
from scalinglab._format import format_flops, format_level
from scalinglab._keywords import keywords_checked
from scalinglab.data._flops import SIX_ND
from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention
from scalinglab.fit._allocation_exponents import closed_form_allocation
from scalinglab.laws import Law
from scalinglab.plan._compute_alone import budget_allocation
from scalinglab.plan._far import optimum_point, with_budget_slip, with_distance
from scalinglab.plan._pinned import unpinned
from scalinglab.plan._result import Allocation, Estimate
from scalinglab.plan._search import (
    Curve,
    Optimum,
    chinchilla_optimum,
    minimise_numeric,
)
from scalinglab.plan._source import (
    Rows,
    Source,
    compute_symbol,
    loaded,
    no_finite_prediction,
    one_per_call,
    resolve,
    sample_estimate,
)
from scalinglab.plan._withheld import preset_call

__all__ = [
    "CLOSED_FORM",
    "NUMERIC",
    "Allocation",
    "Estimate",
    "allocation",
    "closed_form",
    "edge_notes",
    "interval_kinds",
    "optimal_allocation",
    "optimum",
]

Array = NDArray[np.float64]

CLOSED_FORM = "closed form (Hoffmann et al. 2022 eq. 4)"
NUMERIC = "numeric (golden-section search in log N)"
FLOPS_RULE = SIX_ND
#: :attr:`Allocation.allocation_interval_kind` of a plan with a bootstrap: the percentiles of
#: each resample's own optimum.
BOOTSTRAP_OPTIMA = "bootstrap-optima"
#: :attr:`Allocation.loss_interval_kind` of that kind: each resample's loss at its optimum
#: (the law's mean, as :meth:`FitResult.predict` calls its band without noise).
PARAMETERS = "parameters"
_LOG6 = math.log(6.0)


def closed_form(law: Law, rule: FlopsConvention = PLAIN_6ND) -> bool:
    """Whether the optimum of ``law`` at budgets counted as ``rule`` has a closed form:
    Chinchilla's, exactly (a subclass may change the expression, so it is searched
    numerically), under ``C = 6·N·D`` or a constant ratio to it (the optimum of ``C/r``).
    Under a ratio that varies with N the iso-FLOP line ``D = C/(6·N·r(N))`` is no power of
    N, and the numeric search takes it exactly (the ratio at the optimum's own N, iterated
    to a fixed point, would be the 6·N·D optimum of the run's 6·N·D share: at 1e19 FLOPs
    with r = 1 + 2e8/N, an N* 2.4× too small and a loss 0.05 above the line's minimum)."""
    return closed_form_allocation(law, rule)  # the rule FitResult.allocation_exponents reads


def optimum(
    law: Law, values: Array, log_c: Array, rule: FlopsConvention = PLAIN_6ND
) -> tuple[Optimum, str]:
    """The compute-optimal point of every row at budgets ``log C`` counted as ``rule``
    counts them (``C = 6·N·D·r(N)``), and the method used."""
    if closed_form(law, rule):  # 6·N·D, or a constant ratio: C/r under 6·N·D
        share = log_c - math.log(rule.base)  # log 1 = 0: 6·N·D exactly as before
        return chinchilla_optimum(values, law.param_names, share), CLOSED_FORM
    if np.any(log_c <= _LOG6):
        raise ConfigError(
            "the numeric search needs flops above 6 (one parameter trained on one token)",
            hint="give the budget in FLOPs, e.g. flops=1e21",
        )
    return minimise_numeric(Curve(law), law.to_fitted(values), log_c, rule), NUMERIC


def allocation(
    rows: Rows,
    flops: Array,
    opt: Optimum,
    *,
    method: str,
    notes: Sequence[str],
    unreachable: float = 0.0,
) -> Allocation:
    level = rows.level
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf for unreachable samples
        quantities = {
            "flops": flops,
            "params": np.exp(opt.log_n),
            "tokens": np.exp(opt.log_d),
            "tokens_per_param": np.exp(opt.log_d - opt.log_n),
            "loss": opt.loss,
        }
    estimates = {k: sample_estimate(v, level) for k, v in quantities.items()}
    extra: list[str] = []
    if unreachable > (1 - level) / 2:  # the upper ends are infinite compute
        # a sample that never reaches the target has no ratio of tokens to parameters:
        # an interval over the others would be over a biased subset
        extra.append(
            f"tokens/param has no {format_level(level)} interval: {unreachable:.0%} of the samples "
            "never reach the target, and those have no ratio"
        )
        point = estimates["tokens_per_param"].value
        estimates["tokens_per_param"] = Estimate(point, math.nan, math.nan)
    return Allocation(
        flops=estimates["flops"],
        params=estimates["params"],
        tokens=estimates["tokens"],
        tokens_per_param=estimates["tokens_per_param"],
        loss=estimates["loss"],
        level=level,
        method=method,
        flops_rule=rows.flops.planned(),
        unreachable=unreachable,
        notes=(*rows.notes, *notes, *extra),
        allocation_interval_kind=BOOTSTRAP_OPTIMA if rows.n_samples else "none",
    )


def edge_notes(opt: Optimum, flops: float, n_samples: int) -> list[str]:
    notes = []
    budget = f"at C = {format_flops(flops)}"  # several budgets' notes print together
    if opt.at_edge[0]:
        notes.append(
            f"{budget} the optimum lies at the edge of the search (N = 1 or D = 1): "
            "the law has no interior compute-optimal split there; the edge is reported"
        )
    k = int(np.sum(opt.at_edge[1:]))
    if k:
        notes.append(
            f"{budget}, {k} of {n_samples} bootstrap samples have their optimum at the search edge"
        )
    return notes


#: ``compute=`` and ``budget=``, the command line's words for the budget: Python's is flops=.
_FLOPS = f"{keyword_meant('flops')} It is the budget in FLOPs, as `plan --compute` gives it"


@keywords_checked("scalinglab.optimal_allocation", hints={"compute": _FLOPS, "budget": _FLOPS})
def optimal_allocation(source: Source, *, flops: float, level: float | None = None) -> Allocation:
    """Compute-optimal parameters and tokens for a compute budget, under ``C = 6·N·D``, or
    ``C = 6·N·D·r(N)`` for a fit whose runs' FLOPs are ``r(N)`` times 6·N·D (its
    ``flops_convention``; :attr:`Allocation.flops_rule` says which).

    For Chinchilla's law the optimum has a closed form (Hoffmann et al. 2022, eq. 4):
    ``N_opt = G·(C/6)^(beta/(alpha+beta))``, ``D_opt = G^-1·(C/6)^(alpha/(alpha+beta))`` with
    ``G = (alpha·A/(beta·B))^(1/(alpha+beta))``. Any other law in ``params`` and ``tokens`` is
    minimised numerically along ``D = C/(6N)`` over ``1 <= N <= C/6`` (a coarse grid in
    ``log N``, golden-section search, a Newton polish), all bootstrap samples together; an
    optimum at the edge of that range is reported in :attr:`Allocation.notes`.

    A law of compute alone, ``L(C)`` (``power-law:flops``), gives the loss at ``flops`` with
    the fit's prediction interval for one run there, and no allocation: ``params``,
    ``tokens`` and ``tokens_per_param`` are NaN, and a note says why.

    Args:
        source: A :class:`~scalinglab.laws.Preset`, a preset's name, the path of a fit saved
            by :meth:`FitResult.save` (``"fit.json"``), or a fit result with
            ``law``, ``coefs``, ``samples`` and ``level``.
        flops: The budget ``C`` in FLOPs: a number or a string (``"5.76e23"``).
        level: Coverage of the intervals; defaults to the fit's level (0.9 for a preset).

    Returns:
        The allocation, with percentile intervals over the bootstrap samples; a warning
        (:attr:`Allocation.warnings`) where the tokens-per-parameter or ``N*`` interval
        spans two decades or more: the runs do not pin the allocation down
        (:mod:`._pinned`).

    Raises:
        ConfigError: For a law neither in params and tokens nor of compute alone, a fit
            whose plan is withheld (:attr:`FitResult.plan_withheld`), a bad budget or level.

    Examples:
        >>> import scalinglab
        >>> result = scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)
        >>> plan = scalinglab.optimal_allocation(result, flops="1e23")
        >>> f"N* = {plan.params.value:.2g}, D* = {plan.tokens.value:.2g}"
        'N* = 1.3e+10, D* = 1.3e+12'
        >>> scalinglab.optimal_allocation("hoffmann2022", flops=5.76e23).params
        Estimate(3.219e10)
    """
    # several budgets: refused with the loop that plans each (one Allocation per call)
    c = one_per_call(
        "flops", flops, example="flops=1e21", call="optimal_allocation", plans="budget",
        variable="c",
    )  # fmt: skip
    source = loaded(source)  # a saved fit's path: read once, for the prediction below too
    rows = resolve(source, level, preset=preset_call("optimal_allocation", "flops", c))
    symbol = compute_symbol(rows.law)
    if symbol is not None:  # L(C): the loss at C, no allocation
        return budget_allocation(source, rows, symbol, flops=c)
    log_c = np.full(len(rows.values), math.log(c))
    opt, method = optimum(rows.law, rows.values, log_c, rows.flops)
    if not (math.isfinite(opt.log_n[0]) and math.isfinite(opt.log_d[0])):  # a hand-edited fit
        what = f"the compute-optimal N* at {format_flops(c)} FLOPs"
        raise no_finite_prediction(rows, what)
    notes = edge_notes(opt, c, rows.n_samples)
    found = allocation(rows, np.full(len(log_c), c), opt, method=method, notes=notes)
    # the budget asked is exact: its interval is itself, with resamples or without (a preset)
    found = replace(found, flops=Estimate(c, c, c))
    found = with_distance(found, source, optimum_point(rows.law, found))
    found = with_budget_slip(found, source, c)  # a preset's D* far below its source's runs
    found = with_prediction(found, source, law=rows.law)
    return unpinned(found, at=format_flops(c), optima=opt)


def interval_kinds(allocations: Sequence[Allocation], of: str = "loss") -> list[str]:
    """The prediction-interval kinds among plan rows' ``of`` intervals (``"loss"``,
    ``"flops"``), ``[]`` where every row has the other rows' kind, over the bootstrap's
    optima, or none: the CLI's line under a plan and the report's caption say these."""
    return sorted({getattr(a, f"{of}_interval_kind") for a in allocations} - {PARAMETERS, "none"})


def with_prediction(found: Allocation, source: Source, *, law: Law) -> Allocation:
    """The allocation with the loss interval a run at ``(N*, D*)`` will show: the fit's
    prediction interval there (calibrated by its backtests where it measured them), which
    the resamples' spread of the law's mean at their own optima understates."""
    # by the law's symbols: the fit may have read N from any column (--x N=nonemb)
    predict = getattr(source, "_predict_symbols", None)
    if predict is None or not math.isfinite(found.loss.lower):  # a preset, or no bootstrap
        return (
            found if math.isfinite(found.loss.lower) else replace(found, loss_interval_kind="none")
        )
    point = optimum_point(law, found)
    at = predict(point, level=found.level)
    lower, upper = (float(np.ravel(v)[0]) for v in (at.lower, at.upper))
    band = Estimate(found.loss.value, lower, upper)
    # the prediction's notes (unbounded: why; past the measured distance), less those
    # with_distance said already
    said = tuple(n for n in getattr(at, "notes", ()) if n not in found.notes)
    return replace(
        found, loss=band, loss_interval_kind=at.interval_kind, notes=(*found.notes, *said)
    )
