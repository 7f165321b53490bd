"""The compute for a target loss: the least ``C`` whose compute-optimal loss reaches it,
under ``C = 6·N·D``; its interval the fit's prediction interval for one run, inverted
(:mod:`._inverse`), those of ``N*`` and ``D*`` over the bootstrap samples."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g
from scalinglab._keywords import keywords_checked
from scalinglab.plan._allocation import (
    Allocation,
    Estimate,
    allocation,
    closed_form,
    edge_notes,
    optimum,
)
from scalinglab.plan._compute_alone import loss_of_compute, target_allocation
from scalinglab.plan._far import optimum_point, with_distance
from scalinglab.plan._inverse import compute_interval
from scalinglab.plan._pinned import unpinned
from scalinglab.plan._reach import check_point_reaches
from scalinglab.plan._search import (
    C_MIN,
    Curve,
    Optimum,
    bisect_compute,
    chinchilla_compute,
    minimise_numeric,
)
from scalinglab.plan._source import (
    Rows,
    Source,
    compute_symbol,
    loaded,
    one_per_call,
    resolve,
)
from scalinglab.plan._withheld import preset_call

__all__ = ["UNREACHABLE", "compute_for_loss", "unreachable_target"]

Array = NDArray[np.float64]
#: The ``method`` of a target loss no compute reaches (:func:`unreachable_target`).
UNREACHABLE = "unreachable"


@keywords_checked("scalinglab.compute_for_loss")
def compute_for_loss(
    source: Source, *, target_loss: float, level: float | None = None
) -> Allocation:
    """The least compute whose compute-optimal loss reaches ``target_loss``, under ``C = 6·N·D``
    (``C = 6·N·D·r(N)`` for a fit whose runs counted FLOPs so: :func:`optimal_allocation`).

    The compute-optimal loss ``L*(C)`` falls as ``C`` grows. For Chinchilla's law it is
    ``E + K·(C/6)^-gamma`` (``gamma = alpha·beta/(alpha+beta)``) and is inverted exactly. For
    other laws ``C`` is found by bisection in ``log C`` over ``[1e6, 1e50]`` FLOPs, every
    bootstrap sample together; a target beyond ``1e50`` FLOPs counts as out of reach. Every
    law plans within ``[1e6, 1e50]`` FLOPs: a target its point estimate reaches with less
    than ``1e6`` FLOPs is refused (a bootstrap sample that does is planned at ``1e6``, with a
    note), as is one at or below the law's irreducible loss (:mod:`._reach`).

    The compute's interval is for a run, as a budget's loss interval is: the fit's prediction
    interval for one run at the compute-optimal ``(N*(C), D*(C))`` (:meth:`FitResult.predict`,
    calibrated by its backtests where it measured them), inverted — from the compute where
    its lower bound reaches the target to where its upper bound does
    (:attr:`Allocation.flops_interval_kind` says which kind; :mod:`._inverse` how; an end
    never reached is 0 or ``inf``, with a note). The intervals of ``params``, ``tokens`` and
    ``tokens_per_param`` are over the bootstrap samples' own optima for the target.

    Samples that never reach the target count as needing infinite compute: ``unreachable`` is
    their fraction, and the percentile intervals of ``params`` and ``tokens`` rank them above
    every finite value — so once more than ``(1 - level)/2`` of the samples are out of reach
    the upper end is ``inf``. ``tokens_per_param`` and ``loss`` intervals use the samples that
    reach the target.

    A law of compute alone, ``L(C)`` (``power-law:flops``), is its own compute-optimal loss:
    ``C`` is its inverse (the same bisection), the interval its prediction band at ``C``
    (``predict(flops=C)``), inverted; ``params``, ``tokens`` and ``tokens_per_param`` are not
    determined by such a law (NaN), and a note says so (:mod:`._compute_alone`).

    Args:
        source: A :class:`~scalinglab.laws.Preset`, a preset's name, the path of a fit saved
            by :meth:`FitResult.save` (``"fit.json"``), or a fit result.
        target_loss: The loss to reach.
        level: Coverage of the intervals; defaults to the fit's level (0.9 for a preset).

    Returns:
        The allocation at that compute.

    Raises:
        UnreachableError: If the point estimate of the law never reaches the target (it is
            at or below the irreducible loss, ``E`` or the parameter the law's formula adds
            alone, or needs more than ``1e50`` FLOPs).
        ConfigError: An unknown preset (the nearest is named); a target that is no number,
            or several; a bad level; for a fit whose plan is withheld
            (:attr:`FitResult.plan_withheld`); a target the law reaches with less than
            ``1e6`` FLOPs (its message gives the loss at ``1e6``).
        DataError: A saved fit that is missing or is no fit, or whose numbers give no
            finite compute.

    Examples:
        >>> import scalinglab
        >>> plan = scalinglab.compute_for_loss("hoffmann2022", target_loss=2.0)
        >>> f"C = {plan.flops.value:.2g} FLOPs, N* = {plan.params.value:.2g}"
        'C = 1.1e+23 FLOPs, N* = 1.5e+10'
    """
    # several targets: refused with the loop that plans each (one Allocation per call)
    target = one_per_call(
        "target_loss", target_loss, example="target_loss=2.1", call="compute_for_loss",
        plans="target", variable="loss",
    )  # fmt: skip
    source = loaded(source)  # a saved fit's path: read once, for the interval below too
    rows = resolve(source, level, preset=preset_call("compute_for_loss", "target_loss", target))
    law, values = rows.law, rows.values
    unreachable: NDArray[np.bool_]
    below: NDArray[np.bool_]
    symbol = compute_symbol(law)
    if symbol is not None:  # L(C) itself is the compute-optimal loss: inverted by bisection
        loss = loss_of_compute(law, values, symbol)
        log_c, unreachable, below = bisect_compute(loss, target, len(values))
    elif closed_form(law, rows.flops):  # C/r under 6·N·D: r times the 6·N·D compute
        log_c = chinchilla_compute(values, law.param_names, target) + math.log(rows.flops.base)
        unreachable = np.isinf(log_c)
        # below C_MIN: refused for the point, planned at C_MIN for a sample, as bisection does
        below = log_c <= math.log(C_MIN)
        log_c = np.where(below, math.log(C_MIN), log_c)
    else:
        curve, theta = Curve(law), law.to_fitted(values)

        def optimal_loss(lc: Array) -> Array:
            return minimise_numeric(curve, theta, lc, rows.flops).loss

        log_c, unreachable, below = bisect_compute(optimal_loss, target, len(values))

    def point_loss(at: float) -> float:  # the point estimate's compute-optimal loss at log C
        if symbol is not None:
            return float(loss(np.full(len(values), at))[0])
        return float(optimum(law, values[:1], np.array([at]), rows.flops)[0].loss[0])

    check_point_reaches(rows, target, float(log_c[0]), point_loss)
    if symbol is not None:
        found = target_allocation(
            source, rows, symbol, target=target, log_c=log_c, unreachable=unreachable, loss=loss
        )
    else:  # L(C) above has no allocation to pin down; this one is judged in _allocated
        found = _allocated(source, rows, target, log_c, unreachable, below)
    band = compute_interval(source, rows, target=target, log_c=float(log_c[0]))
    return replace(
        found,
        flops=Estimate(found.flops.value, band.lower, band.upper),
        flops_interval_kind=band.kind,
        loss_interval_kind="none",  # the target is given, as a budget's compute is
        notes=(*found.notes, *band.notes),
        query="target_loss",
    )


def unreachable_target(
    source: Source, *, target_loss: float, reason: str, level: float | None = None
) -> Allocation:
    """The plan of a target loss no compute reaches (``reason``: the
    :class:`~scalinglab.UnreachableError`'s message), beside the targets of a plan that are
    reached: infinite compute, no ``N*`` or ``D*`` (NaN), ``unreachable`` 1, the reason its
    note, and ``method`` :data:`UNREACHABLE`."""
    rows = resolve(
        source, level, preset=preset_call("compute_for_loss", "target_loss", target_loss)
    )
    none = Estimate(math.nan, math.nan, math.nan)
    return Allocation(
        flops=Estimate(math.inf, math.nan, math.nan),
        params=none,
        tokens=none,
        tokens_per_param=none,
        loss=Estimate(float(target_loss), math.nan, math.nan),
        level=rows.level,
        method=UNREACHABLE,
        flops_rule=rows.flops.planned(),
        unreachable=1.0,
        notes=(reason,),
        loss_interval_kind="none",
        allocation_interval_kind="none",
        query="target_loss",
    )


def _allocated(
    source: Source,
    rows: Rows,
    target: float,
    log_c: Array,
    unreachable: NDArray[np.bool_],
    below: NDArray[np.bool_],
) -> Allocation:
    """The compute-optimal ``(N*, D*)`` of every row at its compute for ``target``, with
    the notes on samples that reach it below ``C_MIN`` or never."""
    law, values, n = rows.law, rows.values, rows.n_samples
    notes: list[str] = []
    if n and np.any(below[1:]):
        notes.append(
            f"{int(np.sum(below[1:]))} of {n} bootstrap samples reach the target with less than "
            f"{format_g(C_MIN, 1)} FLOPs; their N* and D* are those at {format_g(C_MIN, 1)}"
        )
    out_of_reach = float(np.mean(unreachable[1:])) if n else 0.0
    if out_of_reach:
        notes.append(
            f"{int(np.sum(unreachable[1:]))} of {n} bootstrap samples never reach loss "
            f"{format_g(target)}; they count as infinite N* and D* in the intervals"
        )
    ok = np.isfinite(log_c)
    opt, method = optimum(law, values[ok], log_c[ok], rows.flops)
    full = Optimum(
        _scatter(opt.log_n, ok, np.where(unreachable, np.inf, np.nan)),
        _scatter(opt.log_d, ok, np.where(unreachable, np.inf, np.nan)),
        _scatter(opt.loss, ok, np.full(len(ok), np.nan)),
        _scatter(opt.at_edge, ok, np.zeros(len(ok), dtype=np.bool_)),
    )
    notes += edge_notes(full, math.exp(log_c[0]), n)
    with np.errstate(over="ignore"):
        flops = np.exp(log_c)
    found = allocation(rows, flops, full, method=method, notes=notes, unreachable=out_of_reach)
    found = with_distance(found, source, optimum_point(law, found))
    return unpinned(found, at=f"target loss {format_g(target)}", optima=full)


def _scatter(values: NDArray, mask: NDArray[np.bool_], fill: NDArray) -> NDArray:
    out = fill.copy()
    out[mask] = values
    return out
