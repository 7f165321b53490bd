"""The top-rung prediction's fit, given the iterations a hard valley needs.

A few lower rungs on a law with a floor often pull ``E`` towards 0, a flat valley the solver
crosses slowly: at the default :data:`~scalinglab._defaults.MAX_ITER` every start can stop
short, and the fit's warning asks for ``--max-iter``, an option ``ladder run`` does not have.
The driver does what that warning asks instead, once, at the factor ``fit``'s own hint gives;
where even that refit stops short, its warning says what the user can do instead: fit the
lower rungs with ``scalinglab fit --store STORE ... --max-iter`` (:func:`ladder_warnings`).
"""

from __future__ import annotations

import os
import shlex
from typing import TYPE_CHECKING

from scalinglab._defaults import BOOTSTRAP, MAX_ITER
from scalinglab._format import format_g

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult
    from scalinglab.store import StoredRun

__all__ = ["MORE_ITER", "fit_lower", "ladder_warnings"]

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


def ladder_warnings(
    result: FitResult, law: str, top: StoredRun, *, store: str | os.PathLike[str] | None
) -> tuple[str, ...]:
    """``result``'s warnings, a cap of iterations reached even by :func:`fit_lower`'s refit
    said as what a ``ladder run`` user can do: its fit's own words ask for ``--max-iter``,
    which ``ladder run`` has not; ``scalinglab fit`` on the ladder's ``store`` has it (the
    lower rungs selected by the ladder and the top rung's compute), else, without a store,
    ``fit(..., max_iter=)`` in Python.

    Args:
        result: The fit of the lower rungs (:func:`fit_lower`'s).
        law: The law fitted.
        top: The top rung predicted (its source names its ladder, its FLOPs bound the rest).
        store: The ladder's run store.
    """
    from scalinglab.fit._solver import Status

    asked = "; increase max_iter (--max-iter)"  # the words of Status.MAX_ITER.message
    if result.message != Status.MAX_ITER.message or asked not in result.message:
        return tuple(result.warnings)
    more = 10 * MORE_ITER
    if store is None:
        how = f"fit the lower rungs in Python with more: scalinglab.fit({law!r}, runs, max_iter={more})"
    else:
        words = ["scalinglab", "fit", "--store", os.fspath(store), "--law", law]
        if isinstance(top.source, str) and top.source.startswith("ladder:"):
            words += ["--where", f"source={top.source}"]
        if top.flops is not None:  # the rungs below the top one (they lie 1%+ under it)
            words += ["--where", f"flops<{format_g(top.flops, 3)}"]
        how = f"fit the lower rungs with more: {shlex.join([*words, '--max-iter', str(more)])}"
    said = (
        f", even at {MORE_ITER:,} a start, the refit ladder run makes; ladder run has no "
        f"--max-iter: {how}"
    )
    return tuple(w.replace(asked, said) for w in result.warnings)
