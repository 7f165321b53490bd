"""Laws of the optimum across cells: ``lr* = A·N^alpha·D^beta``, ``B* = B·D^gamma`` and kin.

The point fit is :func:`scalinglab.fit` itself (robust loss on log residuals, multi-start)
on one row per cell; with per-cell weights (``_pair``'s regret weights) the same solver
refines it with each cell's residual weighted. Intervals carry each cell's own uncertainty: every bootstrap resample
of the runs within cells gives new located optima, and the law is refitted to each of them
with the same objective. A power law with squared loss (the default) is linear in log
space, so all resamples are one batched closed-form solve (``_loglinear``); other laws and
losses advance together through the solver (a block of resamples at a time, each resample
its own weight row); both refits are :mod:`._refit`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray
from typing_extensions import deprecated

from scalinglab._defaults import MAX_ITER
from scalinglab._deprecated import AsDictAlias, old_fields, renamed_max_iter, renamed_robust_loss
from scalinglab._errors import ConfigError, TooFewCellsError
from scalinglab._json import json_ready
from scalinglab.data import RunTable
from scalinglab.fit import fit
from scalinglab.fit._columns import check_spread, law_columns
from scalinglab.hparams import _repr
from scalinglab.hparams._law_saved import law_from_dict
from scalinglab.hparams._loglinear import closed_form
from scalinglab.hparams._refit import CLOSED_FORM, solvers_ran
from scalinglab.hparams._refit import refit as _refit
from scalinglab.hparams._residual_scale import _residual_scale
from scalinglab.laws import get_law

__all__ = ["LAW_FORMS", "OPTIMUM", "HparamLaw", "fit_law", "fit_law_draws"]

Array = NDArray[np.float64]

#: Each target as every table and message names its optimum (``lr*``, ``B*``, ``loss*``).
OPTIMUM: Mapping[str, str] = {"lr": "lr*", "batch": "B*", "loss": "loss*"}

#: Named law forms: (lr* formula, B* formula).
LAW_FORMS: Mapping[str, tuple[str, str]] = {
    # Li et al. 2025 (Step Law, arXiv:2503.04715), eq. for lr*(N, D) and B*(D)
    "steplaw": ("A * N**alpha * D**beta", "B * D**gamma"),
    # DeepSeek-AI 2024 (arXiv:2401.02954): both as power laws of compute
    "compute": ("A * C**alpha", "B * C**gamma"),
}


@old_fields(params="coefs")
@dataclass(frozen=True)
class HparamLaw(AsDictAlias):
    """One fitted law of an optimal hyperparameter across cells.

    Attributes:
        target: ``"lr"``, ``"batch"`` or ``"loss"``.
        formula: The law as written, e.g. ``"A * N**alpha * D**beta"``.
        coefs: Fitted values of the law's coefficients (``params`` is their deprecated
            old name).
        intervals: Bootstrap percentile intervals per parameter.
        samples: Bootstrap draws ``(R, K)`` of the parameters (natural units).
        level: Coverage of the intervals.
        status: The point fit's status (``"converged"`` or ``"failed"``).
        n_cells: Cells it was fitted to.
        residual_scale: Root mean square of the cells' log residuals about the law (over
            cells less coefficients): how far a cell's optimum lies from the law, which the
            bootstrap of the runs within cells does not see (``nan`` in older files).
        solver: Which solver ran its fits, by :attr:`FitResult.solver
            <scalinglab.FitResult.solver>`'s names (``"numpy"``, ``"compiled-avx2"``...),
            or ``"closed-form"`` where none did (a product of powers fitted by least squares
            in log space, point and resamples); ``None`` in older files.
    """

    target: str
    formula: str
    coefs: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    samples: Array | None
    level: float
    status: str
    n_cells: int
    residual_scale: float = math.nan
    solver: str | None = None

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.law(self)

    @property
    @deprecated(
        "HparamLaw.params is deprecated and goes in the next release: use HparamLaw.coefs "
        "(the law's fitted values; 'params' means model size everywhere else)",
        category=DeprecationWarning,
    )
    def params(self) -> Mapping[str, float]:
        """Deprecated alias of :attr:`coefs` (one release)."""
        return self.coefs

    def predict(
        self, *, level: float | None = None, **columns: float
    ) -> tuple[float, tuple[float, float], Array]:
        """Point value, interval and bootstrap draws at one point (``params=``, ``tokens=``...);
        the interval at ``level`` (default: the fit's), percentiles of the same draws.

        Args:
            level: Coverage of the interval.
            **columns: The point, by the law's variables or their columns.

        Returns:
            ``(value, (lower, upper), draws)``: the interval NaN and the draws empty
            without bootstrap samples; draws that are not finite left out.
        """
        level = self.level if level is None else level
        law = get_law(self.formula)
        point = float(law.evaluate(dict(self.coefs), columns)[0])
        if self.samples is None or not len(self.samples):
            return point, (math.nan, math.nan), np.empty(0)
        draws = law.evaluate(self.samples, columns)[:, 0]
        draws = draws[np.isfinite(draws)]
        lo, hi = np.percentile(draws, [50 * (1 - level), 50 * (1 + level)])
        return point, (float(lo), float(hi)), draws

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields, bootstrap draws included.

        Returns:
            The dictionary :meth:`from_dict` reads back.
        """
        return {
            "target": self.target,
            "formula": self.formula,
            "coefs": dict(self.coefs),
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "samples": None if self.samples is None else self.samples.tolist(),
            "level": self.level,
            "status": self.status,
            "n_cells": self.n_cells,
            "residual_scale": self.residual_scale,
            "solver": self.solver,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> HparamLaw:
        """Inverse of :meth:`to_dict` (older files' keys read too).

        Args:
            data: The dictionary :meth:`to_dict` wrote.

        Returns:
            The law, its bootstrap draws ``(R, K)`` (or ``None``) included.
        """
        return law_from_dict(cls, data)


def fit_law(
    formula: str,
    target: str,
    columns: Mapping[str, Array],
    values: Array,
    replicates: Array | None,
    *,
    weights: Array | None = None,
    robust_loss: str | None = None,
    delta: float = 0.1,
    level: float = 0.9,
    source: str = "<cells>",
    max_iter: int = MAX_ITER,
    loss: str | None = None,
    max_steps: int | None = None,
) -> HparamLaw:
    """Fit ``formula`` to one value per cell, and refit it to every bootstrap replicate.

    Args:
        formula: The law, over ``N``, ``D``, ``C`` or column names.
        target: What it predicts (``"lr"``, ``"batch"``, ``"loss"``).
        columns: ``params``, ``tokens``, ``flops`` per cell.
        values: The located optimum per cell, ``(cells,)``.
        replicates: Bootstrap replicates ``(R, cells)`` (NaN where a resample had none).
        weights: Weight of each cell's log residual ``(cells,)`` (default: equal).
        robust_loss: Robust loss on log residuals (``None``: ``"huber"``, the default).
        delta: Its scale (0.1: residuals beyond ~10% count linearly).
        level: Coverage of the intervals.
        source: Named in errors.
        max_iter: Most solver iterations per refit.
        loss: Old name of ``robust_loss`` (one release; warns).
        max_steps: Old name of ``max_iter`` (one release; warns).

    Returns:
        The law: its coefficients, and its intervals from the refits to ``replicates``.

    Raises:
        TooFewCellsError: Fewer cells than the law has parameters plus one (a DataError).
    """
    robust_loss = renamed_robust_loss(
        robust_loss, loss, call="scalinglab.hparams.fit_law", default="huber"
    )
    max_iter = renamed_max_iter(max_iter, max_steps, call="scalinglab.hparams.fit_law")
    return fit_law_draws(
        formula, target, columns, values, replicates, weights=weights, robust_loss=robust_loss,
        delta=delta, level=level, source=source, max_iter=max_iter,
    )[0]  # fmt: skip


def fit_law_draws(
    formula: str,
    target: str,
    columns: Mapping[str, Array],
    values: Array,
    replicates: Array | None,
    *,
    weights: Array | None = None,
    robust_loss: str = "huber",
    delta: float = 0.1,
    level: float = 0.9,
    source: str = "<cells>",
    max_iter: int = MAX_ITER,
) -> tuple[HparamLaw, Array | None]:
    """:func:`fit_law`, and its draws row for row with ``replicates`` (NaN rows where a
    refit failed), for fits that build on another law's draws."""
    law = get_law(formula)
    k = len(law.params)
    if len(values) <= k:
        raise TooFewCellsError(
            f"{len(values)} usable cell{'s' if len(values) != 1 else ''} for the {target} law "
            f"{formula!r}, which has {k} parameters: a fit needs at least {k + 1}",
            source=source,
            hint="add sweeps at more (N, D), or fit a law with fewer parameters",
        )
    if not np.all(np.isfinite(values) & (values > 0)):
        raise ConfigError(f"the located {target} optima must be positive and finite")
    table = RunTable(
        columns={
            **{c: np.asarray(v, dtype=np.float64) for c, v in columns.items()},
            "loss": np.asarray(values, dtype=np.float64),
        },
        runs=tuple(f"cell{i}" for i in range(len(values))),
        rows=tuple(range(1, len(values) + 1)),
        source=source,
    )
    # the message names what this law predicts: fit's own says "the loss"
    check_spread(law, table, law_columns(law, table, None), quantity=OPTIMUM[target])
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    refit = partial(
        _refit, law, table, weights=w, robust_loss=robust_loss, delta=delta, max_iter=max_iter
    )
    closed = closed_form(law, table, values, w, robust_loss)
    ran: list[str | None] = [CLOSED_FORM]  # by fit's names; a solver that runs is added
    if closed is not None:  # the weighted refinement's own optimum: no start needed
        natural, theta, status = closed, law.to_fitted(closed)[0], "converged"
    else:
        # the multi-start point fit is unweighted; with weights it is refined from there
        point = fit(
            law, table, robust_loss=robust_loss, delta=delta, level=level, bootstrap=0,
            extrapolation=False, compare=False,  # the cells' optima: no loss laws to compare
        )  # fmt: skip
        theta, status = law.to_fitted(point.theta), point.status  # point.theta is natural
        natural = point.theta[None, :]
        ran.append(point.solver)
    if w is not None and closed is None:
        best, solver = refit(theta, np.asarray(values, dtype=np.float64)[None, :])
        ran.append(solver)
        if np.all(np.isfinite(best)):
            natural, theta = best, law.to_fitted(best)[0]
        else:
            status = "failed"
    coefs = dict(zip(law.param_names, (float(t) for t in natural[0]), strict=True))
    samples = draws = None
    intervals = dict.fromkeys(law.param_names, (math.nan, math.nan))
    if replicates is not None and len(replicates):
        draws, solver = refit(theta, replicates)
        ran.append(solver)
        samples = draws[np.all(np.isfinite(draws), axis=1)]
        if len(samples):
            q = np.percentile(samples, [50 * (1 - level), 50 * (1 + level)], axis=0)
            intervals = {n: (float(q[0, j]), float(q[1, j])) for j, n in enumerate(law.param_names)}
    return (
        HparamLaw(
            target=target,
            formula=formula,
            coefs=coefs,
            intervals=intervals,
            samples=samples,
            level=level,
            status=status,
            n_cells=len(values),
            residual_scale=_residual_scale(law, coefs, columns, values),
            solver=solvers_ran(*ran),
        ),
        draws,
    )
