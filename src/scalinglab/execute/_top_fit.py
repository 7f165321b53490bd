"""The top-rung prediction's fit, given the iterations a hard valley needs.

A few lower rungs on a law with a floor often pull ``E`` towards 0, a flat valley the solver
crosses slowly: at the default :data:`~scalinglab._defaults.MAX_ITER` every start can stop
short, and the fit's warning asks for ``--max-iter``, an option ``ladder run`` does not have.
The driver does what that warning asks instead, once, at the factor ``fit``'s own hint gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._defaults import BOOTSTRAP, MAX_ITER

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["MORE_ITER", "fit_lower"]

#: The iteration cap of the refit, as ``fit``'s hint suggests (10 times the default).
MORE_ITER = 10 * MAX_ITER


def fit_lower(law: str, table: RunTable, *, level: float, seed: int) -> FitResult:
    """Fit ``law`` to the lower rungs, again with :data:`MORE_ITER` iterations a start
    where every start of the first fit stopped at the default cap.

    Args:
        law: The catalog name :func:`~scalinglab.execute.choose_law` picked.
        table: The lower rungs' runs.
        level: Level of the bootstrap prediction interval.
        seed: Seed of the bootstrap.

    Returns:
        The fit; one that still did not converge says so in its status and warnings.
    """
    from scalinglab import fit
    from scalinglab.fit._solver import Status

    # the law is the rule's, for the rungs as they come: not compared with the others
    result = fit(law, table, bootstrap=BOOTSTRAP, level=level, seed=seed, compare=False)
    if result.status == "converged" or result.message != Status.MAX_ITER.message:
        return result
    return fit(
        law, table, bootstrap=BOOTSTRAP, level=level, seed=seed, compare=False, max_iter=MORE_ITER
    )
