"""IsoFLOP building blocks: grouping runs into compute budgets, and batched parabolas.

Both work on whole bootstrap batches at once: a resample is a row of integer weights on the
runs (how often each was drawn), so every resample's parabola is one 3×3 solve in a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_flops

__all__ = [
    "ONE_BUDGET",
    "TOLERANCE",
    "budgets_hint",
    "group_budgets",
    "no_run_at",
    "parabolas",
    "raw_coefficients",
    "runs_budgets",
    "tolerance_advice",
    "vertex",
]

Array = NDArray[np.float64]

#: Half-width of a budget in decades of FLOPs by default (within ×1.12).
TOLERANCE = 0.05
#: The hint for runs that all lie at one compute budget: neither a tolerance nor budgets
#: given find a second one.
ONE_BUDGET = (
    "runs at one compute budget only: train runs at a second budget (at least 3 budgets for "
    "an exponent)"
)


def group_budgets(
    flops: Array, *, budgets: Sequence[float] | None, tolerance: float
) -> tuple[NDArray[np.intp], Array]:
    """Label each run with its budget (-1: none) and return the budgets' FLOPs.

    With ``budgets`` given, a run joins the nearest one in log10 FLOPs when it is within
    ``tolerance`` decades. Without, budgets are found densest first: the run with the most
    neighbours within ``tolerance`` starts a group, which takes every ungrouped run within
    ``tolerance`` of the group's median, and so on until every run is grouped.
    """
    logc = np.log10(flops)
    labels = np.full(len(logc), -1, dtype=np.intp)
    if budgets is not None:
        centres = np.log10(np.asarray(budgets, dtype=np.float64))
        dist = np.abs(logc[:, None] - centres[None, :])
        near = np.argmin(dist, axis=1)
        inside = dist[np.arange(len(logc)), near] <= tolerance
        labels[inside] = near[inside]
        return labels, np.asarray(budgets, dtype=np.float64)  # as given, not 10**log10
    found: list[float] = []
    order = np.argsort(logc, kind="stable")  # ties go to the smaller compute
    while (labels[order] < 0).any():
        free = order[labels[order] < 0]
        x = logc[free]
        counts = (np.abs(x[:, None] - x[None, :]) <= tolerance).sum(axis=1)
        seed = x[int(np.argmax(counts))]
        centre = float(np.median(x[np.abs(x - seed) <= tolerance]))
        members = free[np.abs(x - centre) <= tolerance]
        if members.size == 0:  # the median fell between clusters: keep the seed's own group
            members = free[np.abs(x - seed) <= tolerance]
        labels[members] = len(found)
        found.append(float(np.mean(logc[members])))
    rank = np.argsort(found)
    relabel = np.empty_like(rank)
    relabel[rank] = np.arange(len(rank))
    return relabel[labels], 10.0 ** np.asarray(found)[rank]


def tolerance_advice(
    flops: Array, *, budgets: Sequence[float] | None, tolerance: float, min_runs: int, have: int
) -> str:
    """What to do with ``--tolerance`` when only ``have`` budgets of ``min_runs`` runs were
    found: narrow it when :data:`TOLERANCE` finds more (a wide one merges budgets into one),
    widen it when it is no wider than that, else nothing (neither way is known to help)."""
    if tolerance <= TOLERANCE:
        return "widen --tolerance (tolerance=)"
    labels, _ = group_budgets(flops, budgets=budgets, tolerance=TOLERANCE)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, int)
    found = int(np.sum(sizes >= min_runs))
    if found > have:
        return (
            f"narrow --tolerance (tolerance=; at {tolerance:g}, runs {2 * tolerance:g} decades "
            f"of FLOPs apart are one budget, at {TOLERANCE:g} {found} budgets have "
            f"{min_runs}+ runs)"
        )
    return ""


def no_run_at(budget: float, flops: Array, tolerance: float) -> str:
    """Why a budget given matched no run: beyond (or below) every run's flops, or between
    them."""
    top, low = float(np.max(flops)), float(np.min(flops))
    if budget > top:
        return f"beyond every run's flops, the largest {format_flops(top)}"
    if budget < low:
        return f"below every run's flops, the smallest {format_flops(low)}"
    return f"no run's flops within {tolerance:g} decades"


def runs_budgets(flops: Array, tolerance: float, min_runs: int) -> str:
    """The budgets the runs have (found as without ``--compute``) with ``min_runs`` runs, as
    ``--compute`` takes them (``"1e18,1e19"``); empty when none has as many."""
    labels, centres = group_budgets(flops, budgets=None, tolerance=tolerance)
    sizes = np.bincount(labels[labels >= 0], minlength=len(centres))
    return ",".join(format_flops(c) for c in sorted(centres[sizes >= min_runs]))


def budgets_hint(
    flops: Array,
    given: Sequence[float] | None,
    tolerance: float,
    min_runs: int,
    have: int,
    last: str,
) -> str:
    """Budgets, tolerance (which way, if either, may help), runs: what to try. Budgets given
    that match no run are named instead, with the budgets the runs have; runs that are all at
    one budget are told to train at another (no tolerance or budget given finds a second).

    The words serve Python and the command line alike: a budget is named by its value, and
    the ways to give budgets as ``budgets=`` and ``--compute``.
    """
    if len(group_budgets(flops, budgets=None, tolerance=TOLERANCE)[1]) == 1:
        return ONE_BUDGET
    tol = tolerance_advice(flops, budgets=given, tolerance=tolerance, min_runs=min_runs, have=have)
    them = "give budgets that match the runs' flops (budgets=, --compute)"
    labels, _ = group_budgets(flops, budgets=given, tolerance=tolerance)
    none = [b for j, b in enumerate(given or ()) if not (labels == j).any()]
    if none:
        ours = runs_budgets(flops, tolerance, min_runs).split(",")
        said = "; ".join(f"{format_flops(b)} ({no_run_at(b, flops, tolerance)})" for b in none)
        them = f"budget {said} {'matches' if len(none) == 1 else 'match'} no run: " + (
            f"the runs' budgets are {', '.join(ours)}; give those (budgets=[{', '.join(ours)}], "
            f"--compute {','.join(ours)}), or leave budgets= (--compute) out"
            if ours != [""]
            else "leave budgets= (--compute) out to find the runs' budgets"
        )
        if all(b > np.max(flops) or b < np.min(flops) for b in none):
            return them  # neither tolerance nor more sizes reach a budget past every run
    return f"{them}, {tol + ', ' if tol else ''}or {last}"


def parabolas(x: Array, y: Array, weights: Array) -> tuple[Array, float, float]:
    """Weighted least-squares parabolas, one per row of ``weights`` (integer resample counts).

    Returns coefficients ``(c0, c1, c2)`` per row in the scaled variable ``u = (x - m)/s``
    (NaN rows where fewer than 3 distinct ``x`` carry weight), and ``m``, ``s``.
    """
    m = float(x.mean())
    s = float(x.std()) or 1.0
    u = (x - m) / s
    powers = u[None, :] ** np.arange(5)[:, None]  # (5, n): u^0 .. u^4
    sums = weights @ powers.T  # (B, 5)
    rhs = weights @ (powers[:3] * y).T  # (B, 3)
    normal = sums[:, [[0, 1, 2], [1, 2, 3], [2, 3, 4]]]  # (B, 3, 3)
    _, inverse = np.unique(x, return_inverse=True)
    onehot = np.zeros((len(x), int(inverse.max()) + 1))
    onehot[np.arange(len(x)), inverse] = 1.0
    solvable = ((weights @ onehot) > 0).sum(axis=1) >= 3
    coef = np.full((len(weights), 3), np.nan)
    if solvable.any():
        coef[solvable] = np.linalg.solve(normal[solvable], rhs[solvable][..., None])[..., 0]
    return coef, m, s


def vertex(coef: Array, m: float, s: float) -> tuple[Array, Array]:
    """Vertex ``x`` (log10 N) and the value there; NaN where the parabola has no minimum."""
    c0, c1, c2 = coef[:, 0], coef[:, 1], coef[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(c2 > 0, -c1 / (2 * c2), np.nan)
    return m + s * u, c0 + c1 * u + c2 * u**2


def raw_coefficients(c: Array, m: float, s: float) -> tuple[float, float, float]:
    """Coefficients in ``x`` from those in ``u = (x - m)/s``."""
    c0, c1, c2 = (float(v) for v in c)
    return (c0 - c1 * m / s + c2 * m * m / s**2, c1 / s - 2 * c2 * m / s**2, c2 / s**2)
