"""What Chinchilla approach 2 returns: per-budget optima and the power laws through them.

The analysis is :func:`scalinglab.validate.isoflop`; this module holds only its result, so that
the JSON shape and the FLOPs convention can be read in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g
from scalinglab._json import json_ready
from scalinglab.data import RunTable
from scalinglab.validate import _repr
from scalinglab.validate._isoflop_budget import BudgetFit
from scalinglab.validate._powerlaw import (
    AllocationLaws,
    PowerLawFit,
    fit_power_law,
    flat,
    tokens_law,
)
from scalinglab.validate._savable import Savable

__all__ = ["FLOPS_RULE", "IsoFLOPResult", "allocation_tokens", "per_flop"]

Array = NDArray[np.float64]

FLOPS_RULE = "C = 6·N·D, so D_opt = C/(6·N_opt)"
#: A budget whose runs' C/(N·D) is within this of 6 counts C = 6·N·D (as read_runs says it).
_SAME = 0.02


def per_flop(table: RunTable, idx: NDArray[np.intp]) -> float:
    """``k = C/(N·D)`` of a budget's runs (their median): 6 under :data:`FLOPS_RULE`, and
    without a tokens column (then ``D = C/(6N)`` was derived); another ``k`` when the flops
    column counts otherwise (exact counts, PF-days, a factor), so that ``D_opt = C/(k·N_opt)``
    stays in the runs' own tokens."""
    if not (table.has("tokens") and table.has("flops")):
        return 6.0
    columns = table.columns
    k = float(np.median(columns["flops"][idx] / (columns["params"][idx] * columns["tokens"][idx])))
    return 6.0 if abs(k / 6.0 - 1.0) <= _SAME else k


def allocation_tokens(
    params_law: PowerLawFit,
    logc: Array,
    logn: Array,
    samples: Array | None,
    ks: Sequence[float],
    *,
    level: float,
) -> tuple[PowerLawFit, str]:
    """``D_opt(C)`` across the budgets used, and the rule that gives it.

    Under :data:`FLOPS_RULE` (every ``k`` 6) it follows from the params law (``b = 1 - a``);
    otherwise ``log D_opt = log C - log k - log N_opt`` at each budget (and each resample) is
    fitted as its own line, so ``D_opt`` is in the runs' tokens whatever the flops count.

    Args:
        params_law: ``N_opt(C)``.
        logc: log10 ``C`` of the budgets used.
        logn: log10 ``N_opt`` there.
        samples: Resampled log10 ``N_opt``, a row per resample (``None``: no intervals).
        ks: ``k = C/(N·D)`` of each budget used (:func:`per_flop`).
        level: Coverage of the intervals.
    """
    if all(k == 6.0 for k in ks):
        return tokens_law(params_law), FLOPS_RULE
    logk = np.log10(np.asarray(ks, dtype=np.float64))
    boot = None if samples is None else logc - logk - samples
    law = fit_power_law(logc, logc - logk - logn, boot, quantity="tokens", level=level)
    factor = np.asarray(ks) / 6.0
    lo, hi = float(factor.min()), float(factor.max())
    times = f"{format_g(lo, 3)}×" if hi <= lo * 1.01 else f"{format_g(lo, 3)}-{format_g(hi, 3)}×"
    rule = (
        f"C as the flops column counts it ({times} 6·N·D on the runs), so D_opt = C/(k·N_opt) "
        "with k = C/(N·D) of each budget's runs: D_opt in the runs' own tokens"
    )
    return law, rule


@dataclass(frozen=True)
class IsoFLOPResult(AllocationLaws, Savable):
    """Chinchilla approach 2: per-budget optima and the power laws through them.

    ``iso.save(path)`` keeps it and ``IsoFLOPResult.load(path)`` reads it back whole: its
    budgets' runs and the bootstrap lines, so :meth:`at` gives the same intervals.

    Attributes:
        budgets: Every budget with 3 or more runs, by increasing compute.
        params_law: ``N_opt(C) ∝ C^a`` over the budgets in use.
        tokens_law: ``D_opt(C) ∝ C^b``, with ``b = 1 - a`` under :data:`FLOPS_RULE`;
            fitted through the budgets' ``D_opt`` when the flops are not 6·N·D.
        level: Coverage of the intervals.
        n_bootstrap: Bootstrap resamples per budget (0: no intervals).
        space: ``"linear"`` (parabola in the loss) or ``"log"`` (in ``ln loss``).
        source: Where the runs came from, with their count (``RunTable.describe_source``,
            as a fit of the same runs says it: ``"runs.csv (238 runs, 7 excluded)"``).
        simulated: True for made-up runs.
        notes: Runs and budgets left out, and why; flagged budgets.
        flops_rule: How ``D_opt`` follows from ``C`` and ``N_opt`` (:func:`allocation_tokens`).
        warnings: Every reason not to trust the result, one line each (as
            :attr:`FitResult.warnings <scalinglab.FitResult.warnings>`): runs of several
            corpora pooled, intervals from too few resamples.
        seed: Seed of the resampling (``None``: not recorded).
        window: Decades of ``N`` around each budget's lowest-loss run its parabola was
            fitted within (``None``: all its runs).
    """

    budgets: tuple[BudgetFit, ...]
    params_law: PowerLawFit
    tokens_law: PowerLawFit
    level: float
    n_bootstrap: int
    space: str
    source: str
    simulated: bool = False
    notes: tuple[str, ...] = ()
    flops_rule: str = FLOPS_RULE
    warnings: tuple[str, ...] = ()
    seed: int | None = None
    window: float | None = None

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.isoflop(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: the source, the exponents ``a`` and ``b`` with their
        intervals, the fitted laws of ``N*`` and ``D*`` in ``C``, and each budget's optimum.

        Returns:
            The dictionary, its format named under ``"format"``.
        """
        return {
            "format": "scalinglab.isoflop/2",
            "method": "isoflop (Chinchilla approach 2)",
            "source": self.source,
            "simulated": self.simulated,
            "space": self.space,
            "window": self.window,
            "flops_rule": self.flops_rule,
            "level": self.level,
            "n_bootstrap": self.n_bootstrap,
            "seed": self.seed,  # with n_bootstrap, what reproduces the intervals
            **flat("a", self.a),
            **flat("b", self.b),
            "params_law": self.params_law.to_dict(),
            "tokens_law": self.tokens_law.to_dict(),
            "budgets": [b.to_dict() for b in self.budgets],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }
