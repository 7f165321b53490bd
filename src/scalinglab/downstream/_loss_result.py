"""The chain's loss law as a :class:`~scalinglab.FitResult`: what a report's loss-law sections
draw (the law, its figures, the plan, the card) is then the chain's own first step, not a
second fit of the same law.

::

    result = loss_fit_result(chain, evals)     # the chain's fit, resamples and reach
    write_report(result, evals.runs, "ds.html", notes=loss_notes(chain),
                 stated=loss_card(chain, evals))

The best fit, the resamples (the chain's, shared with every task law), the Huber delta and the
measured extrapolation error are the chain's; the residuals, the objective and the information
criteria are computed from them as :func:`scalinglab.fit` computes its own.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._format import format_grouped, format_level
from scalinglab._no_intervals import none_note
from scalinglab._quantiles import percentile_intervals
from scalinglab.data._noted_runs import plain_notes, reading_warnings
from scalinglab.fit._bounds import at_bound_names, information_criteria
from scalinglab.fit._columns import data_conventions, law_columns, runs_flops
from scalinglab.fit._implausible import unconverged_first
from scalinglab.fit._losses import get_loss
from scalinglab.fit._result import FitResult
from scalinglab.fit._solver import Status

if TYPE_CHECKING:
    from scalinglab.downstream._evals import Evals
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["loss_card", "loss_fit_result", "loss_notes", "loss_warnings"]

#: The prefix of the chain's notes that are its loss law's diagnostics.
_WARNING = "loss law: "


def loss_fit_result(chain: DownstreamFit, evals: Evals) -> FitResult:
    """The chain's first step, fitted to ``evals`` (the evaluations it was fitted to), as a
    :class:`FitResult`."""
    step, table = chain.loss_step, evals.runs
    law = step.law
    columns = law_columns(law, table, None)
    data = {s: table[c] for s, c in columns.items()}
    target = table["loss"]
    with np.errstate(all="ignore"):
        predicted = np.asarray(law.evaluate(step.theta, data), dtype=np.float64)
        residuals = (
            np.log(predicted) - np.log(target) if step.space == "log" else predicted - target
        )
    robust = get_loss("huber", delta=chain.loss_delta)
    names = law.param_names
    good = step.samples[np.all(np.isfinite(step.samples), axis=1)]
    samples = good if chain.n_bootstrap else None
    intervals = dict.fromkeys(names, (math.nan, math.nan))
    if samples is not None and len(samples):
        intervals.update(percentile_intervals(samples, names, chain.level))
    lower, upper = law.fitted_bounds()
    fitted = law.to_fitted(np.array([step.coefs[n] for n in names]))
    at_bound = at_bound_names(names, fitted, lower, upper)
    n, k = len(target), len(names)
    aic, bic = information_criteria(float(np.sum(residuals**2)), n, k)
    failed = len(step.samples) - len(good)
    message = (
        Status.CONVERGED.message
        if step.status == "converged"
        else "no start that reached the best objective converged there"
    )
    # what reading the evaluations decided (a task left out, ...) with the run table's
    # notes; their warnings are the chain's, among the result's warnings
    said = plain_notes(evals.notes)
    notes = list(dict.fromkeys([*plain_notes(table.notes), *said]))
    if chain.n_bootstrap and failed:
        notes.append(
            f"{format_grouped(failed)} of {format_grouped(chain.n_bootstrap)} bootstrap resamples failed and were left out"
        )
    return FitResult(
        law_spec=law.spec,
        form=law,
        coefs=dict(step.coefs),
        intervals=intervals,
        samples=samples,
        level=chain.level,
        objective=float(np.sum(robust.rho(residuals))),
        status=step.status,
        message=message,
        n_starts=step.n_starts,
        n_starts_solved=step.n_starts,
        n_starts_at_best=step.n_starts_at_best,
        n_converged=step.n_converged,
        at_bound=at_bound,
        aic=aic,
        bic=bic,
        residuals=residuals,
        runs=table.runs,
        columns=columns,
        y="loss",  # the column the evaluations' loss was read into
        robust_loss=robust.name,
        delta=robust.delta,
        space=step.space,
        n_bootstrap=chain.n_bootstrap,
        seed=chain.seed,
        source=table.describe_source(),
        where=table.kept_where,  # the runs kept (--where), as a fit records them
        simulated=table.simulated,
        conventions=(conventions := data_conventions(table)),
        # the chain's rule, so the page's frontier counts C as its plans do (a chain saved
        # before it recorded one: read off the same runs, as fit reads its own)
        flops_convention=runs_flops(table, columns, conventions.flops)
        if chain.flops_convention is None
        else chain.flops_convention,
        notes=tuple(notes),
        solver=step.solver or "numpy",
        extrapolation=chain.extrapolation,
        # a loss law that did not converge says so first, as scalinglab.fit's fits do
        # and what reading the runs warned of, as a fit of them warns (once: the chain's too)
        warnings=unconverged_first(step.status, message, _warned(chain, table.notes)),
    )


def _warned(chain: DownstreamFit, notes: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`loss_warnings`, then the reading warnings among the runs' ``notes`` that the
    chain does not say already."""
    return tuple(dict.fromkeys([*loss_warnings(chain), *reading_warnings(notes)]))


def loss_warnings(chain: DownstreamFit) -> tuple[str, ...]:
    """The chain's warnings (models of several training corpora), then its loss law's
    (``loss law: ...``): what the page's "Fitted law" warns of, and the terminal with it."""
    return tuple(w.removeprefix(_WARNING) for w in chain.warnings)  # the chain's come first


def loss_notes(chain: DownstreamFit) -> list[str]:
    """How the chain's loss law came to be fitted, for the page and its card: the law's
    choice (``auto``: the candidates and their backtest errors) and its Huber delta."""
    return [n for n in chain.notes if n.startswith(("law ", "loss law fitted by Huber"))]


def loss_card(chain: DownstreamFit, evals: Evals) -> dict[str, str]:
    """The card's items that the chain's fit does otherwise than :func:`scalinglab.fit`:
    its starts (an evenly spaced subset of the law's start grid, where that is large) and
    its resamples (shared with the task laws, each refitted from the best fit), and where
    none drew intervals, the resamples to fit the chain with (its own default, not fit's)."""
    step, table = chain.loss_step, evals.runs
    columns = law_columns(step.law, table, None)
    grid = len(step.law.start_grid({s: table[c] for s, c in columns.items()}, table["loss"]))
    out = {}
    if step.n_starts:
        subset = "the whole" if step.n_starts >= grid else "an evenly spaced subset of the"
        out["start grid"] = f"{step.n_starts} starts, {subset} law's grid of {grid} points"
    kept = int(np.sum(np.all(np.isfinite(step.samples), axis=1)))
    if not kept:
        out["prediction intervals"] = none_note(
            requested=chain.n_bootstrap, ask=DOWNSTREAM_BOOTSTRAP
        )
    if chain.n_bootstrap:
        out["bootstrap"] = (
            f"{format_grouped(chain.n_bootstrap)} resamples of the models with replacement ({format_grouped(kept)} kept), "
            "shared with every task law of the chain, each refitted from the best fit; "
            f"{format_level(chain.level)} percentile intervals; seed {chain.seed}"
        )
    return out
