"""What Chinchilla approach 2 returns: per-budget optima and the power laws through them.

The analysis is :func:`scalinglab.validate.isoflop`; this module holds only its result, so that
the JSON shape and the FLOPs convention can be read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scalinglab.validate import _repr
from scalinglab.validate._isoflop_budget import BudgetFit
from scalinglab.validate._powerlaw import AllocationLaws, PowerLawFit, est_dict

__all__ = ["FLOPS_RULE", "IsoFLOPResult"]

FLOPS_RULE = "C = 6·N·D, so D_opt = C/(6·N_opt)"


@dataclass(frozen=True)
class IsoFLOPResult(AllocationLaws):
    """Chinchilla approach 2: per-budget optima and the power laws through them.

    Attributes:
        budgets: Every budget with 3 or more runs, by increasing compute.
        params_law: ``N_opt(C) ∝ C^a`` over the budgets in use.
        tokens_law: ``D_opt(C) ∝ C^b``, with ``b = 1 - a`` under :data:`FLOPS_RULE`.
        level: Coverage of the intervals.
        n_bootstrap: Bootstrap resamples per budget (0: no intervals).
        space: ``"linear"`` (parabola in the loss) or ``"log"`` (in ``ln loss``).
        source: Where the runs came from.
        simulated: True for made-up runs.
        notes: Runs and budgets left out, and why; flagged budgets.
        warnings: Every reason not to trust the result, one line each (as
            :attr:`FitResult.warnings <scalinglab.FitResult.warnings>`): runs of several
            corpora pooled, intervals from too few resamples.
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

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.isoflop(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: the source, the exponents ``a`` and ``b`` with their
        intervals, the fitted laws of ``N*`` and ``D*`` in ``C``, and each budget's optimum."""
        return {
            "format": "scalinglab.isoflop/1",
            "method": "isoflop (Chinchilla approach 2)",
            "source": self.source,
            "simulated": self.simulated,
            "space": self.space,
            "flops_rule": self.flops_rule,
            "level": self.level,
            "n_bootstrap": self.n_bootstrap,
            "a": est_dict(self.a),
            "b": est_dict(self.b),
            "params_law": self.params_law.to_dict(),
            "tokens_law": self.tokens_law.to_dict(),
            "budgets": [b.to_dict() for b in self.budgets],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }
