"""The allocation exponents of a fitted law: ``N* ∝ C^a`` and ``D* ∝ C^b``.

For Chinchilla's law ``L = E + A·N^-alpha + B·D^-beta`` under ``C = 6·N·D`` (or a constant
ratio to it) the compute-optimal split is a power law of the budget (Hoffmann et al. 2022,
eq. 4): ``a = beta/(alpha+beta)``, ``b = alpha/(alpha+beta) = 1 - a``. These are the numbers
Chinchilla's Table 2 compares its three approaches by, which ``isoflop`` (approach 2) and
``envelope`` (approach 1) give: a fit of the law (approach 3) gives them here, so the three
can be compared. Their intervals are those of the coefficients: the percentile interval
over the bootstrap fits' own ``a`` and ``b``, at the fit's level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._json import json_ready
from scalinglab._quantiles import percentile_intervals
from scalinglab.data._flops_rule import FlopsConvention, flops_of
from scalinglab.fit._diagnostics import few_resamples_warning, outside_interval
from scalinglab.laws import Chinchilla, Law

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult
    from scalinglab.plan import Estimate

__all__ = ["AllocationExponents", "allocation_exponents", "closed_form_allocation"]

#: Of :attr:`AllocationExponents.a` and ``b``: what the line calls them, and whose they are.
_SOURCE = "Hoffmann et al. 2022's a and b, as isoflop and envelope give them"


def closed_form_allocation(law: Law, rule: FlopsConvention) -> bool:
    """Whether the optimum of ``law`` at budgets counted as ``rule`` has a closed form
    (Hoffmann et al. 2022, eq. 4): Chinchilla's law exactly (a subclass may change the
    expression), under ``C = 6·N·D`` or a constant ratio to it; under a ratio that varies
    with N the iso-FLOP line is no power of N, and neither is the optimum of C.
    :func:`scalinglab.plan._allocation.closed_form` plans by the same rule."""
    return type(law) is Chinchilla and rule.coef == 0.0


@dataclass(frozen=True)
class AllocationExponents:
    """How the compute-optimal split of a fitted law grows with the budget: ``N* ∝ C^a``,
    ``D* ∝ C^b`` (:attr:`FitResult.allocation_exponents <scalinglab.FitResult.allocation_exponents>`).

    Attributes:
        a: ``beta/(alpha+beta)``, the exponent of ``N* ∝ C^a``, with the percentile interval
            of the bootstrap fits' own ``a`` at :attr:`level` (NaN ends without resamples,
            as the coefficients' intervals are then).
        b: ``alpha/(alpha+beta) = 1 - a``, the exponent of ``D* ∝ C^b``, its interval alike.
        level: Coverage of the intervals: the fit's.
        warnings: An estimate outside its own interval (the bootstrap fits are shifted from
            the fit), as the fit warns of a coefficient's; none from too few resamples,
            which the fit warns of itself.
    """

    a: Estimate
    b: Estimate
    level: float
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The line ``fit`` prints under its plan, which the report shows too."""
        return exponents_line(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The exponents under the keys ``isoflop --json`` gives them by.

        Returns:
            ``a``, ``a_lower``, ``a_upper``, ``b``, ``b_lower``, ``b_upper`` (non-finite ends
            as strings, ``"nan"`` without resamples) and ``warnings``.
        """
        from scalinglab.validate._powerlaw import flat  # isoflop's keys, one way

        return {**flat("a", self.a), **flat("b", self.b), "warnings": list(self.warnings)}


def exponents_line(e: AllocationExponents) -> str:
    """``allocation exponents: N* ∝ C^a, a = beta/(alpha+beta) = 0.578 [0.430, 0.720]; ...``:
    each exponent written as ``isoflop`` and ``envelope`` write theirs
    (:func:`scalinglab._cells.exponent`)."""
    from scalinglab._cells import exponent

    return (
        f"allocation exponents: N* ∝ C^a, a = beta/(alpha+beta) = {exponent(e.a)}; "
        f"D* ∝ C^b, b = alpha/(alpha+beta) = {exponent(e.b)} ({_SOURCE})"
    )


def allocation_exponents(fit: FitResult) -> AllocationExponents | None:
    """``a`` and ``b`` of ``fit`` with their intervals, or ``None`` where its law has no
    closed-form allocation (:func:`closed_form_allocation`, counting budgets as its runs
    counted FLOPs) or the fit withholds its plan (:attr:`FitResult.plan_withheld`: the runs
    do not identify the law's terms, nor so their exponents' ratio)."""
    from scalinglab.plan import Estimate  # plan imports fit: here, once both are loaded

    if fit.plan_withheld or not closed_form_allocation(fit.law, flops_of(fit)):
        return None
    names = tuple(fit.coefs)
    i, j = names.index("alpha"), names.index("beta")
    samples = np.empty((0, len(names))) if fit.samples is None else fit.samples
    with np.errstate(invalid="ignore", divide="ignore"):  # alpha + beta = 0: no optimum
        a = float(_a(np.array([fit.coefs["alpha"]]), np.array([fit.coefs["beta"]]))[0])
        drawn = _a(samples[:, i], samples[:, j])
    drawn = drawn[np.isfinite(drawn)]
    # b = 1 - a: a + b is 1 exactly, and b's draws mirror a's, as isoflop's b does
    intervals = percentile_intervals(np.column_stack([drawn, 1.0 - drawn]), ("a", "b"), fit.level)
    found = {k: Estimate(v, *intervals[k]) for k, v in (("a", a), ("b", 1.0 - a))}
    shifted = (
        outside_interval(f"allocation exponent {k}", e.value, (e.lower, e.upper), written=_three)
        for k, e in found.items()
    )
    # ends that are single resamples say nothing of where the estimate lies: the fit warns
    few = few_resamples_warning(len(drawn), fit.level)
    warned = () if few else tuple(w for w in shifted if w)
    return AllocationExponents(a=found["a"], b=found["b"], level=fit.level, warnings=warned)


def _three(value: float, lower: float, upper: float) -> tuple[str, str]:
    """An exponent and its interval as the allocation line writes them
    (:func:`scalinglab._cells.exponent`): three decimals."""
    return f"{value:.3f}", f"[{lower:.3f}, {upper:.3f}]"


def _a(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """``beta/(alpha+beta)``: NaN where the sum is 0 (no interior optimum) or not finite."""
    total = alpha + beta
    return np.where(total > 0, beta / np.where(total > 0, total, math.nan), math.nan)
