"""Compute-optimal allocation: model size and tokens for a budget, compute for a target loss.

Planning assumes ``C = 6·N·D`` (Kaplan et al. 2020, §2.1) and works from a law in ``N``
(``params``) and ``D`` (``tokens``): a :class:`~scalinglab.laws.Preset`, or a fit result.
Every quantity is computed for the point estimate and for every bootstrap sample at once;
the interval is the percentile interval of the samples at ``level`` (5th to 95th percentile
for 0.9). Without samples (a preset) the interval is NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.fit._diagnostics import FAR
from scalinglab.laws import Chinchilla, Law
from scalinglab.plan._search import (
    C_MAX,
    C_MIN,
    Curve,
    Optimum,
    bisect_compute,
    chinchilla_compute,
    chinchilla_optimum,
    minimise_numeric,
)
from scalinglab.plan._source import (
    Rows,
    Source,
    check_positive,
    percentile_interval,
    resolve,
)

__all__ = [
    "Allocation",
    "Estimate",
    "compute_for_loss",
    "frontier",
    "optimal_allocation",
]

Array = NDArray[np.float64]

CLOSED_FORM = "closed form (Hoffmann et al. 2022 eq. 4)"
NUMERIC = "numeric (golden-section search in log N)"
FLOPS_RULE = "C = 6·N·D"
_LOG6 = math.log(6.0)


@dataclass(frozen=True)
class Estimate:
    """A point value with a percentile interval.

    Attributes:
        value: From the point estimate of the law's parameters.
        lower: Lower end of the bootstrap percentile interval; NaN without samples.
        upper: Upper end; ``inf`` when too many samples never reach a target loss.
    """

    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Allocation:
    """The compute-optimal model size and data for a budget, with intervals.

    Attributes:
        flops: Training compute ``C``.
        params: Compute-optimal parameter count ``N``.
        tokens: Compute-optimal training tokens ``D = C/(6N)``.
        tokens_per_param: ``D/N``.
        loss: The law's loss at ``(N, D)``.
        level: Coverage of the intervals.
        method: How the optimum was found: :data:`CLOSED_FORM` or :data:`NUMERIC`.
        flops_rule: How compute relates to ``N`` and ``D``.
        unreachable: Fraction of bootstrap samples for which a target loss is out of reach
            (only set by :func:`compute_for_loss`).
        notes: Anything the numbers need read with them (optima at the search edge, samples
            left out, samples that never reach a target, a row far beyond the data).
        distance: Decades beyond the fitted runs at ``(N*, D*)`` (the largest of N, D and
            N·D; 0 inside them); NaN for a preset, whose data are not known here.
    """

    flops: Estimate
    params: Estimate
    tokens: Estimate
    tokens_per_param: Estimate
    loss: Estimate
    level: float
    method: str
    flops_rule: str
    unreachable: float = 0.0
    notes: tuple[str, ...] = ()
    distance: float = math.nan

    def as_dict(self) -> dict[str, float | str]:
        """A flat dictionary for tables: ``params``, ``params_lower``, ``params_upper``, ..."""
        out: dict[str, float | str] = {}
        for name in ("flops", "params", "tokens", "tokens_per_param", "loss"):
            estimate: Estimate = getattr(self, name)
            out[name] = estimate.value
            out[f"{name}_lower"] = estimate.lower
            out[f"{name}_upper"] = estimate.upper
        out["level"] = self.level
        out["method"] = self.method
        out["flops_rule"] = self.flops_rule
        out["unreachable"] = self.unreachable
        out["notes"] = "; ".join(self.notes)
        out["distance"] = self.distance
        return out


def _closed_form(law: Law) -> bool:
    # Exactly Chinchilla: a subclass may change the expression, so it is searched numerically.
    return type(law) is Chinchilla


def _optimum(law: Law, values: Array, log_c: Array) -> tuple[Optimum, str]:
    """The compute-optimal point of every row, and the method used."""
    if _closed_form(law):
        return chinchilla_optimum(values, law.param_names, log_c), CLOSED_FORM
    if np.any(log_c <= _LOG6):
        raise ConfigError(
            "the numeric search needs flops above 6 (one parameter trained on one token)",
            hint="give the budget in FLOPs, e.g. flops=1e21",
        )
    return minimise_numeric(Curve(law), law.to_fitted(values), log_c), NUMERIC


def _estimate(values: Array, level: float) -> Estimate:
    lower, upper = percentile_interval(values[1:], level)
    return Estimate(float(values[0]), lower, upper)


def _allocation(
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
    estimates = {k: _estimate(v, level) for k, v in quantities.items()}
    return Allocation(
        flops=estimates["flops"],
        params=estimates["params"],
        tokens=estimates["tokens"],
        tokens_per_param=estimates["tokens_per_param"],
        loss=estimates["loss"],
        level=level,
        method=method,
        flops_rule=FLOPS_RULE,
        unreachable=unreachable,
        notes=(*rows.notes, *notes),
    )


def _edge_notes(opt: Optimum, flops: float, n_samples: int) -> list[str]:
    notes = []
    if opt.at_edge[0]:
        notes.append(
            f"at C = {flops:.3g} the optimum lies at the edge of the search (N = 1 or D = 1): "
            "the law has no interior compute-optimal split there; the edge is reported"
        )
    k = int(np.sum(opt.at_edge[1:]))
    if k:
        notes.append(f"{k} of {n_samples} bootstrap samples have their optimum at the search edge")
    return notes


def optimal_allocation(source: Source, *, flops: float, level: float | None = None) -> Allocation:
    """Compute-optimal parameters and tokens for a compute budget, under ``C = 6·N·D``.

    For Chinchilla's law the optimum has a closed form (Hoffmann et al. 2022, eq. 4):
    ``N_opt = G·(C/6)^(beta/(alpha+beta))``, ``D_opt = G^-1·(C/6)^(alpha/(alpha+beta))`` with
    ``G = (alpha·A/(beta·B))^(1/(alpha+beta))``. Any other law in ``params`` and ``tokens`` is
    minimised numerically along ``D = C/(6N)`` over ``1 <= N <= C/6`` (a coarse grid in
    ``log N``, golden-section search, a Newton polish), all bootstrap samples together; an
    optimum at the edge of that range is reported in :attr:`Allocation.notes`.

    Args:
        source: A :class:`~scalinglab.laws.Preset`, a preset's name, or a fit result with
            ``law``, ``params``, ``samples`` and ``level``.
        flops: The budget ``C`` in FLOPs.
        level: Coverage of the intervals; defaults to the fit's level (0.9 for a preset).

    Returns:
        The allocation, with percentile intervals over the bootstrap samples.

    Raises:
        ConfigError: For a law not in params and tokens, a bad budget or level.
    """
    c = check_positive("flops", flops, "flops=1e21")
    rows = resolve(source, level)
    log_c = np.full(len(rows.values), math.log(c))
    opt, method = _optimum(rows.law, rows.values, log_c)
    notes = _edge_notes(opt, c, rows.n_samples)
    found = _allocation(rows, np.full(len(log_c), c), opt, method=method, notes=notes)
    return _with_distance(found, source)


def _with_distance(found: Allocation, source: Source) -> Allocation:
    """The allocation with its distance beyond the fitted runs, flagged past ``FAR``."""
    measure = getattr(source, "distance", None)
    if measure is None or getattr(source, "extrapolation", None) is None:
        return found
    d = float(measure(N=found.params.value, D=found.tokens.value))
    notes = found.notes
    if d > FAR:
        notes = (
            *notes,
            f"rows more than {FAR:g} decade beyond the fitted runs (x{10**FAR:g} in N, D or "
            "N·D) extrapolate the law far past what its data test",
        )
    return replace(found, distance=d, notes=notes)


def frontier(
    source: Source, *, flops: Sequence[float] | NDArray[np.float64], level: float | None = None
) -> list[Allocation]:
    """:func:`optimal_allocation` at every budget in ``flops``, for plots and tables."""
    budgets = np.asarray(flops, dtype=np.float64)
    if budgets.ndim != 1 or budgets.size == 0:
        raise ConfigError(
            f"flops must be a non-empty list of budgets, got shape {budgets.shape}",
            hint="pass e.g. flops=numpy.geomspace(1e19, 1e25, 13)",
        )
    return [optimal_allocation(source, flops=float(c), level=level) for c in budgets]


def compute_for_loss(
    source: Source, *, target_loss: float, level: float | None = None
) -> Allocation:
    """The least compute whose compute-optimal loss reaches ``target_loss``, under ``C = 6·N·D``.

    The compute-optimal loss ``L*(C)`` falls as ``C`` grows. For Chinchilla's law it is
    ``E + K·(C/6)^-gamma`` (``gamma = alpha·beta/(alpha+beta)``) and is inverted exactly: any
    target above ``E`` is reached. For other laws ``C`` is found by bisection in ``log C`` over
    ``[1e6, 1e50]`` FLOPs, every bootstrap sample together; a target beyond ``1e50`` FLOPs
    counts as out of reach.

    Samples that never reach the target count as needing infinite compute: ``unreachable`` is
    their fraction, and the percentile intervals of ``flops``, ``params`` and ``tokens`` rank
    them above every finite value — so once more than ``(1 - level)/2`` of the samples are out
    of reach the upper end is ``inf``. ``tokens_per_param`` and ``loss`` intervals use the
    samples that reach the target.

    Args:
        source: A :class:`~scalinglab.laws.Preset`, a preset's name, or a fit result.
        target_loss: The loss to reach.
        level: Coverage of the intervals; defaults to the fit's level (0.9 for a preset).

    Returns:
        The allocation at that compute.

    Raises:
        ConfigError: If the point estimate of the law never reaches the target (it is at or
            below the irreducible loss ``E``, or needs more than ``1e50`` FLOPs), or reaches
            it with less than ``1e6`` FLOPs; for a bad target or level.
    """
    target = check_positive("target_loss", target_loss, "target_loss=2.1")
    rows = resolve(source, level)
    law, values = rows.law, rows.values
    notes: list[str] = []
    unreachable: NDArray[np.bool_]
    below: NDArray[np.bool_]
    if _closed_form(law):
        log_c = chinchilla_compute(values, law.param_names, target)
        unreachable = np.isinf(log_c)
        below = np.zeros(len(log_c), dtype=np.bool_)
        method = CLOSED_FORM
    else:
        curve, theta = Curve(law), law.to_fitted(values)

        def optimal_loss(lc: Array) -> Array:
            return minimise_numeric(curve, theta, lc).loss

        log_c, unreachable, below = bisect_compute(optimal_loss, target, len(values))
        method = NUMERIC
    if unreachable[0] and not _closed_form(law):
        floor = _optimum(law, values[:1], np.array([math.log(C_MAX)]))[0].loss[0]
    else:
        floor = math.nan
    _check_point_reaches(law, values[0], target, bool(below[0]), float(log_c[0]), floor)
    n = rows.n_samples
    if n and np.any(below[1:]):
        notes.append(
            f"{int(np.sum(below[1:]))} of {n} bootstrap samples reach the target with less than "
            f"{C_MIN:.0e} FLOPs; they count as {C_MIN:.0e}"
        )
    out_of_reach = float(np.mean(unreachable[1:])) if n else 0.0
    if out_of_reach:
        notes.append(
            f"{int(np.sum(unreachable[1:]))} of {n} bootstrap samples never reach loss "
            f"{target:g}; they count as infinite compute in the intervals"
        )
    ok = np.isfinite(log_c)
    opt, _ = _optimum(law, values[ok], log_c[ok])
    full = Optimum(
        _scatter(opt.log_n, ok, np.where(unreachable, np.inf, np.nan)),
        _scatter(opt.log_d, ok, np.where(unreachable, np.inf, np.nan)),
        _scatter(opt.loss, ok, np.full(len(ok), np.nan)),
        _scatter(opt.at_edge, ok, np.zeros(len(ok), dtype=np.bool_)),
    )
    notes += _edge_notes(full, math.exp(log_c[0]), n)
    with np.errstate(over="ignore"):
        flops = np.exp(log_c)
    found = _allocation(rows, flops, full, method=method, notes=notes, unreachable=out_of_reach)
    return _with_distance(found, source)


def _scatter(values: NDArray, mask: NDArray[np.bool_], fill: NDArray) -> NDArray:
    out = fill.copy()
    out[mask] = values
    return out


def _check_point_reaches(
    law: Law, point: Array, target: float, below: bool, log_c: float, floor: float
) -> None:
    """Raise if the law's point estimate gives no compute for ``target``.

    Args:
        law: The law.
        point: Its point estimate.
        target: The target loss.
        below: Whether the target is reached already at ``C_MIN``.
        log_c: The compute found (``inf`` if out of reach).
        floor: The compute-optimal loss at ``C_MAX`` (numeric search only).
    """
    if isinstance(law, Chinchilla) and target <= point[law.param_names.index("E")]:
        E = float(point[law.param_names.index("E")])
        where = "below" if target < E else "equal to"
        raise ConfigError(
            f"target loss {target:g} is {where} the irreducible loss E = {E:g} of this law; "
            "no compute reaches it",
            hint=f"choose a target above {E:g}",
        )
    if log_c == math.inf:
        raise ConfigError(
            f"target loss {target:g} is not reached by compute-optimal training with up to "
            f"{C_MAX:.0e} FLOPs under law {law.name!r} (the lowest loss there is {floor:.4g})",
            hint=f"choose a target above {floor:.4g}",
        )
    if below:
        raise ConfigError(
            f"target loss {target:g} is already reached with {C_MIN:.0e} FLOPs under law "
            f"{law.name!r}; the search covers {C_MIN:.0e} to {C_MAX:.0e} FLOPs",
            hint="choose a lower target loss",
        )
    if not math.isfinite(log_c):
        raise ConfigError(
            f"law {law.name!r} gives no finite loss at its point estimate while searching for "
            f"target loss {target:g}",
            hint="check the law's parameter values",
        )
