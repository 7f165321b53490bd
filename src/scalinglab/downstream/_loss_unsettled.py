"""The chain's ``--law auto``: whether the laws its backtests could not tell apart agree on the
allocation, as ``scalinglab fit --law auto`` checks (:mod:`scalinglab.validate._unsettled`).

::

    chain = fit_downstream(evals, tasks=["hellaswag"])   # overtraining chosen, chinchilla tied
    chain.warnings     # ("law auto: chinchilla backtests 3% better than overtraining ...",)

A chain plans with its loss law (``downstream plan``: the compute-optimal (N, D) at which a
task reaches a target), so a choice between laws that split a budget differently leaves the
plan unsettled as a fit's does: on the 31 over-trained models of C4 the chain chooses the
over-training law, tied with Chinchilla's, whose N* at 1e24 FLOPs lies 3.3x from it. The
check is the fit's, on the chain's own loss law (its fit, resamples and level as
:func:`~scalinglab.downstream._loss_result.loss_fit_result` gives them) and each rival fitted
at its own chain delta, as the choice scored it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.downstream._evals import Evals
    from scalinglab.downstream._result import DownstreamFit
    from scalinglab.validate._law_choice import LawChoice

__all__ = ["PYTHON", "settled"]

#: How the warning says to fit a rival law in Python (``{law}``: its name, quoted).
PYTHON = "fit_downstream(evals, law={law})"


def settled(
    chain: DownstreamFit, evals: Evals, choice: LawChoice, deltas: Mapping[str, float]
) -> DownstreamFit:
    """``chain``, whose loss law ``choice`` chose (each candidate's chain delta in
    ``deltas``), with a warning first among its warnings for each rival law that puts the
    compute-optimal N* elsewhere (:func:`~scalinglab.validate._unsettled.check_allocation`);
    ``chain`` itself where none does."""
    from scalinglab.downstream._loss_result import loss_fit_result
    from scalinglab.validate._unsettled import check_allocation

    result = loss_fit_result(chain, evals)
    checked = check_allocation(result, choice, evals.runs, deltas=deltas, python=PYTHON)
    added = [w for w in checked.warnings if w not in result.warnings]
    # first: they question the choice, which the notes say before the rest
    return replace(chain, warnings=(*added, *chain.warnings)) if added else chain
