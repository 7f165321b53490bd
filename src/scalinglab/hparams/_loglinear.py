"""Refits of a power law by weighted least squares in log space, all resamples at once; and
the backtest's naive fit (:func:`naive_fit`).

The named hyperparameter laws are products of powers, ``A · N^alpha · D^beta`` (Step Law),
``B · C^gamma`` (DeepSeek), and their log is linear in ``(ln A, alpha, beta)``. Fitted with
squared loss on log residuals (the regret weighting's default), each bootstrap refit is then
a weighted linear least-squares problem with a closed form: every resample's normal
equations are one batched solve (``einsum`` then ``solve`` over ``(R, K, K)``), where the
general solver needs a Newton iteration per block of resamples on one thread. A formula of
another shape, a robust loss, or a solution outside a parameter's bounds goes to the solver.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab.data import RunTable
from scalinglab.laws import Law

__all__ = ["closed_form", "loglinear_design", "loglinear_refit", "naive_fit"]

Array = NDArray[np.float64]

_FACTOR = re.compile(r"^([A-Za-z_]\w*)(?:\*\*([A-Za-z_]\w*))?$")


def loglinear_design(law: Law, columns: Mapping[str, Array]) -> Array | None:
    """Columns of ``ln f`` in the law's fitted order (``1`` for the prefactor, ``ln x`` for
    ``x**p``), or ``None`` when the law is not one positive prefactor times powers."""
    body = law.formula.split("=", 1)[-1].replace(" ", "")
    factors = re.split(r"(?<!\*)\*(?!\*)", body)
    design: dict[str, Array] = {}
    params = {p.name: p for p in law.params}
    for factor in factors:
        m = _FACTOR.match(factor)
        if m is None:
            return None
        base, power = m.groups()
        if power is None:
            if base not in params or not params[base].positive or base in design:
                return None
            design[base] = np.ones(len(next(iter(columns.values()))))
        else:
            column = law.variables.get(base)
            if column is None or power not in params or power in design:
                return None
            x = np.asarray(columns[column], dtype=np.float64)
            if not np.all(x > 0):
                return None
            design[power] = np.log(x)
    if set(design) != set(params):
        return None
    return np.column_stack([design[n] for n in law.param_names])


def loglinear_refit(law: Law, design: Array, replicates: Array, weights: Array) -> Array:
    """Natural parameters ``(R, K)`` fitted to each row of ``replicates`` (R, cells) with
    per-cell ``weights``; NaN rows where a row has too few usable cells, is singular, or
    lands outside the law's bounds (the caller refits those with the solver)."""
    usable = np.isfinite(replicates) & (replicates > 0)
    y = np.log(np.where(usable, replicates, 1.0))
    w = usable * weights[None, :]
    k = design.shape[1]
    a = np.einsum("rn,ni,nj->rij", w, design, design)
    rhs = np.einsum("rn,ni,rn->ri", w, design, y)
    out = np.full((len(replicates), k), np.nan)
    ok = (usable.sum(axis=1) > k) & (np.linalg.matrix_rank(a) == k)
    if ok.any():
        out[ok] = np.linalg.solve(a[ok], rhs[ok][..., None])[..., 0]
    for j, p in enumerate(law.params):
        if p.positive:
            # a log-coefficient past ~709 overflows to inf: a NaN row for the solver (as
            # the docstring says), not a warning to the user
            with np.errstate(over="ignore"):
                out[:, j] = np.exp(out[:, j])
        # an infinite coefficient (an unbounded range) is no fit either
        inside = np.isfinite(out[:, j]) & (out[:, j] >= p.lower) & (out[:, j] <= p.upper)
        out[~inside] = np.nan
    return out


def naive_fit(
    law: Law, columns: Mapping[str, Array], values: Array
) -> Callable[[Mapping[str, float]], float]:
    """The backtest's naive method: unweighted least squares of ``ln value`` on the logs of
    the law's variables (a prefactor and one exponent per variable, whatever the formula's
    shape), returned as a predictor of one point (column -> value)."""
    names = list(law.variables.values())
    x = np.column_stack([np.ones(len(values))] + [np.log(columns[n]) for n in names])
    coef, *_ = np.linalg.lstsq(x, np.log(values), rcond=None)

    def predict(where: Mapping[str, float]) -> float:
        return float(
            np.exp(coef[0] + sum(coef[k + 1] * math.log(where[n]) for k, n in enumerate(names)))
        )

    return predict


def closed_form(
    law: Law, table: RunTable, values: Array, weights: Array | None, robust_loss: str
) -> Array | None:
    """With weights and squared loss, a product of powers fitted to ``values`` in closed
    form (the solver's weighted refinement gives exactly this, whatever its start):
    ``(1, K)`` natural parameters, or ``None`` for another law or loss, or a solution
    outside the bounds."""
    if weights is None or robust_loss != "squared":
        return None
    design = loglinear_design(law, {c: table[c] for c in law.variables.values()})
    if design is None:
        return None
    out = loglinear_refit(law, design, np.asarray(values, dtype=np.float64)[None, :], weights)
    return out if np.all(np.isfinite(out)) else None
