"""Which tasks extrapolate, judged on the fitted runs alone: a backtest on the fitted sizes.

The models of the largest fitted size are held out (those within a tenth of a decade of
the largest, at least three where the sizes allow:
:func:`~scalinglab.downstream._held_out.held_out_models`), the chain (the same loss law,
each task's law) is fitted without a bootstrap on the smaller ones, and every task's
accuracy at the held-out models is predicted. A task whose prediction there misses by more
than ``max_error`` on average, or that cannot be fitted below the held-out size (it leaves
chance only there), is "not predictable from these runs", with the figure. The decision
uses the runs being fitted, never the models a user goes on to predict.

Where a task's evaluation noise per model is known (its number of examples), the miss is
compared with what a law off by ``max_error`` would show through that noise
(:func:`~scalinglab.downstream._noise.noisy_threshold`): a task of 100 questions (±4.8 points
per model) cannot be backtested to 3 points, and its note says so.

On the over-trained models of Gadre et al. 2024 (fit on <= 154M, predict 411.6M; see
``benchmarks/downstream_accuracy.py``, second round) the tasks this refuses are the ones that
miss the held-out size by 3.3-8.4 points, while those it keeps miss by 1.9-3.4; it is no
guarantee (fourth round: one corpus's chain kept bigbench_qa_wikidata, 9.4 points off there).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from scalinglab._format import format_counted
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._held_out import (
    few_held_out_warning,
    held_out_models,
    narrowed_why,
    size_said,
    sizes_said,
)
from scalinglab.downstream._noise import noisy_threshold

__all__ = ["DEFAULT_MAX_ERROR", "SizeBacktest", "backtest_sizes"]

#: Tasks whose backtest on the fitted sizes misses by more than this (accuracy, 3 points)
#: are not predictable from these runs.
DEFAULT_MAX_ERROR = 0.03


@dataclass(frozen=True)
class SizeBacktest:
    """The backtest on the fitted sizes.

    Attributes:
        held_out_params: Parameters of the largest held-out model (NaN when no backtest
            could be made).
        n_held_out: Models held out.
        errors: Task -> mean absolute error at the held-out models (NaN: not fitted below it).
        reasons: Task -> why the task is not predictable from these runs, or ``""``.
        note: What was done, or why no backtest could be made.
        task_notes: Task -> what its evaluation noise let the backtest show, or ``""``.
        held: Mask of the held-out models among the runs.
        loss: The loss the chain fitted below predicts for each held-out model.
        misses: Task -> its prediction minus its accuracy for each held-out model (NaN
            where either is missing).
        warning: That the verdicts rest on fewer than three held-out models, or ``""``.
    """

    held_out_params: float
    n_held_out: int
    errors: Mapping[str, float]
    reasons: Mapping[str, str]
    note: str
    task_notes: Mapping[str, str] = field(default_factory=dict)
    held: np.ndarray | None = None
    loss: np.ndarray | None = None
    misses: Mapping[str, np.ndarray] = field(default_factory=dict)
    warning: str = ""


def backtest_sizes(
    evals: Evals,
    tasks: Sequence[str],
    *,
    fit: Callable[[Evals], object],
    need: int,
    max_error: float,
    noise: Mapping[str, float] | None = None,
    examples: Mapping[str, float] | None = None,
) -> SizeBacktest:
    """Hold out the largest fitted size, fit the chain below it, score every task there.

    The held-out models are :func:`~scalinglab.downstream._held_out.held_out_models`'s
    band; fewer than three, the result's :attr:`~SizeBacktest.warning` says the verdicts
    rest on them.

    Args:
        evals: The runs being fitted.
        tasks: The tasks to judge.
        fit: Fits the chain without a bootstrap on a subset of ``evals`` (a
            :class:`~scalinglab.downstream.DownstreamFit`); a task it leaves out (one the
            full fit already refuses) is not judged: NaN error, no reason.
        need: Fewest models the chain needs.
        max_error: Largest mean absolute error (accuracy units) of a predictable task.
        noise: Task -> binomial standard deviation of one held-out model's accuracy (NaN or
            absent: unknown, the threshold is ``max_error``).
        examples: Task -> its number of examples (for the notes).
    """
    params = np.asarray(evals.runs["params"], dtype=np.float64)
    largest = float(np.max(params))
    held = held_out_models(params, need=need)
    below = ~held
    if len(np.unique(params[below])) < 2 or int(below.sum()) < need:
        return SizeBacktest(
            math.nan,
            0,
            dict.fromkeys(tasks, math.nan),
            dict.fromkeys(tasks, ""),
            f"no backtest on the fitted sizes: below the largest ({size_said(largest)} "
            f"parameters) there are {int(below.sum())} models at "
            f"{format_counted(len(np.unique(params[below])), 'size')}; {need} models at 2+ sizes are needed",
        )
    chain = fit(evals.select(below))
    size = sizes_said(params[held])  # "411.6M", or "2.5B-3.15B" where they differ
    cut = size_said(float(np.min(params[held])))
    errors: dict[str, float] = {}
    reasons: dict[str, str] = {}
    got: dict[str, list[float]] = {t: [] for t in tasks}
    losses = []
    for i in np.flatnonzero(held):
        preds = chain.predict(  # type: ignore[attr-defined]
            params=float(params[i]), tokens=float(evals.runs["tokens"][i])
        )
        losses.append(next(iter(preds.values())).loss if preds else math.nan)
        for t in tasks:
            # NaN where not predicted: each task's misses line up with the held-out models
            got[t].append(
                preds[t].accuracy - float(evals.accuracy(t)[i]) if t in preds else math.nan
            )
    notes: dict[str, str] = {}
    for t in tasks:
        sd = (noise or {}).get(t, math.nan)
        limit = noisy_threshold(max_error, sd)
        notes[t] = _noise_note(sd, (examples or {}).get(t, math.nan), max_error, limit)
        inner = chain.tasks.get(t)  # type: ignore[attr-defined]
        miss = np.abs(np.array(got[t], dtype=np.float64))
        if inner is None:  # not fitted below: already refused by the full fit
            errors[t], reasons[t] = math.nan, ""
            continue
        if not inner.predictable:
            errors[t] = math.nan
            reasons[t] = f"no backtest on the fitted sizes: below {cut} parameters, {inner.reason}"
            continue
        errors[t] = float(np.nanmean(miss)) if np.isfinite(miss).any() else math.nan
        if math.isnan(errors[t]):  # a NaN is no miss "by nan points": nothing was scored
            reasons[t] = (
                f"no backtest: none of the {size} models has a score of this task, so how "
                "it extrapolates could not be checked"
            )
        elif not errors[t] <= limit:
            beyond = f"{100 * max_error:g}"
            if limit > 1.01 * max_error:
                beyond = (
                    f"{100 * limit:.1f}: {beyond} points through ±{100 * sd:.1f} points of "
                    "evaluation noise per model"
                )
            reasons[t] = (
                f"the backtest on the fitted sizes misses the {size} models by "
                f"{100 * errors[t]:.1f} points on average (> {beyond})"
            )
        else:
            reasons[t] = ""
    n = int(held.sum())
    return SizeBacktest(
        largest,
        n,
        errors,
        reasons,
        f"backtest on the fitted sizes: {int(below.sum())} models below {cut} parameters "
        f"fitted, the {n} at {size} predicted",
        notes,
        held,
        np.array(losses, dtype=np.float64),
        {t: np.array(got[t], dtype=np.float64) for t in tasks},
        few_held_out_warning(n, size, narrowed=narrowed_why(params, held, need=need)),
    )


def _noise_note(sd: float, examples: float, tolerance: float, limit: float) -> str:
    """Says that a task's evaluation noise exceeds the tolerance, or ``""``."""
    if not (math.isfinite(sd) and sd > tolerance):
        return ""
    n = f" ({examples:.0f} examples)" if math.isfinite(examples) else ""
    return (
        f"±{100 * sd:.1f} points of evaluation noise per model{n}: no backtest can show "
        f"{100 * tolerance:g} points; judged against {100 * limit:.1f}, the mean miss of a law "
        f"{100 * tolerance:g} points off seen through that noise"
    )
