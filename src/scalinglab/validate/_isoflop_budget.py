"""One compute budget of an IsoFLOP analysis: the parabola through its runs, its vertex
(that budget's ``N_opt``), the vertex's status, and the resampled vertices behind its interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import old_fields
from scalinglab._json import json_ready
from scalinglab.data import RunTable
from scalinglab.plan import Estimate
from scalinglab.validate import _repr
from scalinglab.validate._old_names import BudgetFitAliases
from scalinglab.validate._parabola import parabolas, raw_coefficients, vertex
from scalinglab.validate._powerlaw import estimate, flat

__all__ = [
    "CONCAVE",
    "OK",
    "OUTSIDE",
    "SAME_SIZE",
    "BudgetFit",
    "budget_fit",
    "resampled_vertices",
]

Array = NDArray[np.float64]

_CHUNK = 250  # resamples per progress step
OK = "ok"
OUTSIDE = "vertex outside the sampled N range"
CONCAVE = "parabola opens downwards: no minimum"
SAME_SIZE = "fewer than 3 distinct model sizes: no parabola"


@old_fields(coefficients="coefs")
@dataclass(frozen=True)
class BudgetFit(BudgetFitAliases):
    """One compute budget: its runs, its parabola, and the vertex.

    Attributes:
        flops: The budget ``C``.
        runs: Ids of its runs; ``params`` and ``loss`` are theirs, in the same order.
        params: Parameters ``N`` of each run.
        loss: Loss of each run.
        coefs: ``(c0, c1, c2)`` of ``y = c0 + c1·x + c2·x²`` with ``x = log10 N`` and
            ``y`` the loss (or ``ln loss`` with ``space="log"``); NaN with fewer than 3 runs
            (``coefficients`` before: deprecated, as the JSON's old key).
        params_opt: ``N_opt``, the vertex; NaN when the parabola has no minimum.
        tokens_opt: ``D_opt = C/(k·N_opt)``, ``k = 6`` when ``C = 6·N·D`` (else the
            budget's runs' ``C/(N·D)``).
        tokens_per_param: ``D_opt / N_opt``.
        loss_opt: The parabola's loss at its vertex.
        status: :data:`OK`, :data:`OUTSIDE`, :data:`CONCAVE` or :data:`SAME_SIZE`.
        used: Whether the budget enters the power-law fit.
    """

    flops: float
    runs: tuple[str, ...]
    params: tuple[float, ...]
    loss: tuple[float, ...]
    coefs: tuple[float, float, float]
    params_opt: Estimate
    tokens_opt: Estimate
    tokens_per_param: Estimate
    loss_opt: Estimate
    status: str
    used: bool

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.budget_fit(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The budget's fit as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "flops": self.flops,
            "n_runs": len(self.runs),
            "runs": list(self.runs),
            "params_range": [min(self.params), max(self.params)],
            "coefs": list(self.coefs),
            **flat("params_opt", self.params_opt),
            **flat("tokens_opt", self.tokens_opt),
            **flat("tokens_per_param", self.tokens_per_param),
            **flat("loss_opt", self.loss_opt),
            "status": self.status,
            "used": self.used,
            "coefficients": list(self.coefs),  # the old key, kept one release
        }


def resampled_vertices(
    x: Array, y: Array, n: int, rng: np.random.Generator, step: Callable[[int], None]
) -> tuple[Array, Array]:
    """Vertices ``(log10 N, y)`` of ``n`` parabolas fitted to resamples of one budget's runs.

    The rule of the point estimate holds per resample: a vertex outside the sizes that
    resample drew is no optimum (it would be an extrapolation) and becomes NaN.
    """
    xs, ys = [], []
    done = 0
    while done < n:
        k = min(_CHUNK, n - done)
        counts = rng.multinomial(len(x), np.full(len(x), 1 / len(x)), size=k)
        bx, by = vertex(*parabolas(x, y, counts.astype(np.float64)))
        lo = np.where(counts > 0, x, np.inf).min(axis=1)
        hi = np.where(counts > 0, x, -np.inf).max(axis=1)
        inside = (bx >= lo) & (bx <= hi)
        xs.append(np.where(inside, bx, np.nan))
        ys.append(np.where(inside, by, np.nan))
        done += k
        step(done)
    return np.concatenate(xs), np.concatenate(ys)


def budget_fit(
    table: RunTable,
    idx: NDArray[np.intp],
    budget: float,
    x: Array,
    y: Array,
    boot: tuple[Array, Array] | None,
    *,
    space: str,
    level: float,
    per_flop: float = 6.0,
) -> BudgetFit:
    """The parabola through one budget's runs, its vertex, the status, and the intervals;
    ``D_opt = C/(k·N_opt)`` with ``k = per_flop`` (6: ``C = 6·N·D``)."""
    coef, m, s = parabolas(x, y, np.ones((1, len(x))))
    xv, yv = (float(v[0]) for v in vertex(coef, m, s))
    if len(np.unique(x)) < 3:
        status = SAME_SIZE
    elif not math.isfinite(xv):
        status = CONCAVE
    elif not x.min() <= xv <= x.max():
        status = OUTSIDE
    else:
        status = OK
    if status != OK:  # a flagged budget is no estimate: no interval to suggest otherwise
        boot = None

    def loss_of(v: Any) -> Any:
        return v if space == "linear" else np.exp(v)

    def d_of(n: Any) -> Any:  # D_opt = C / (k N_opt), k = 6 when C = 6·N·D
        return budget / (per_flop * n)

    nv = 10.0**xv
    n_boot = None if boot is None else 10.0 ** boot[0]
    with np.errstate(invalid="ignore", over="ignore"):
        return BudgetFit(
            flops=budget,
            runs=tuple(table.runs[i] for i in idx),
            params=tuple(float(v) for v in table["params"][idx]),
            loss=tuple(float(v) for v in table["loss"][idx]),
            coefs=raw_coefficients(coef[0], m, s),
            params_opt=estimate(nv, n_boot, level),
            tokens_opt=estimate(d_of(nv), None if n_boot is None else d_of(n_boot), level),
            tokens_per_param=estimate(
                d_of(nv) / nv, None if n_boot is None else d_of(n_boot) / n_boot, level
            ),
            loss_opt=estimate(
                float(loss_of(yv)), None if boot is None else loss_of(boot[1]), level
            ),
            status=status,
            used=status == OK,
        )
