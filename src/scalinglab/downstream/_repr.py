"""Short reprs of the downstream results (:mod:`scalinglab._repr` says why): the loss law,
each task's verdict and error; never the resamples or the held-out arrays."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._format import format_counted, format_g
from scalinglab._repr import clip, coefs, names, num, pct, span

if TYPE_CHECKING:
    from scalinglab.downstream import (
        AccuracyPlan,
        DownstreamBacktest,
        DownstreamFit,
        Step,
        TaskBacktest,
        TaskFit,
        TaskPrediction,
    )

__all__ = ["accuracy_plan", "backtest", "chain", "prediction", "step", "task", "task_backtest"]


def _points(x: float) -> str:
    """An accuracy error in points: ``2.5 pts``."""
    return "nan" if not math.isfinite(x) else f"{100 * x:.3g} pts"


def step(s: Step) -> str:
    return (
        f"Step(law={s.law.name!r}, {coefs(s.coefs)}, status={s.status!r}, "
        f"bootstrap={len(s.samples)}, noise={num(s.noise)})"
    )


def task(t: TaskFit) -> str:
    if t.step is None and t.predictable:  # an average: the mean of its tasks' predictions
        return (
            f"TaskFit(task={t.task!r}, chance={t.chance:g}, mean of {names(t.members)}, "
            f"backtest_error={_points(t.backtest_error)})"
        )
    if t.step is None or t.reason:
        return f"TaskFit(task={t.task!r}, chance={t.chance:g}, refused: {clip(t.reason)})"
    return (
        f"TaskFit(task={t.task!r}, chance={t.chance:g}, {coefs(t.step.coefs)}, "
        f"backtest_error={_points(t.backtest_error)})"
    )


def prediction(p: TaskPrediction) -> str:
    if p.reason:
        return f"TaskPrediction(task={p.task!r}, loss={num(p.loss)}, refused: {clip(p.reason)})"
    return (
        f"TaskPrediction(task={p.task!r}, accuracy={num(p.accuracy)} {span(p.lower, p.upper)} "
        f"at {pct(p.level)}, loss={num(p.loss)}"
        + (f" {span(p.loss_lower, p.loss_upper)}" if not math.isnan(p.loss_lower) else "")
        + (
            f", unbounded past {pct(p.max_level)}"
            # past what the loss law's backtests calibrate (its notes say more: the distance)
            if p.max_level is not None and p.level > p.max_level + 1e-12
            else ""
        )
        + (f", warnings: {clip('; '.join(p.warnings))}" if p.warnings else "")
        + ")"
    )


def chain(c: DownstreamFit) -> str:
    ok = c.predictable
    return (
        f"DownstreamFit(via={c.via!r}, loss law {c.loss_step.law.name!r}: "
        f"{coefs(c.loss_step.coefs)}; {format_counted(len(c.tasks), 'task')}, {len(ok)} predictable"
        + (f" ({names(ok)})" if ok else "")
        + f"; {len(c.runs)} models, bootstrap={c.n_bootstrap}, source={clip(c.source, 40)})"
    )


def task_backtest(t: TaskBacktest) -> str:
    if t.reason:
        return f"TaskBacktest(task={t.task!r}, {len(t.actual)} models, refused: {clip(t.reason)})"
    return (
        f"TaskBacktest(task={t.task!r}, {len(t.actual)} models, "
        f"abs_error={_points(t.abs_error)}, coverage={pct(t.coverage)}"
        + (f" ({t.coverage_scored} of {t.scored} scored)" if t.coverage_unscored else "")
        + ")"
    )


def backtest(b: DownstreamBacktest) -> str:
    """The scored tasks' errors first: the first four tasks read were often ones at chance
    (``{agi_eval_lsat_ar: nan, ...}`` on the over-training models), which say nothing."""
    scored = [(n, t) for n, t in b.tasks.items() if math.isfinite(t.abs_error)]
    errors = ", ".join(f"{n}: {_points(t.abs_error)}" for n, t in scored[:4])
    more = ", ..." if len(scored) > 4 else ""
    count = f" ({len(scored)} of {len(b.tasks)} tasks scored)" if len(scored) < len(b.tasks) else ""
    average = "" if b.chained is None else f", average {_points(b.chained.abs_error)}"
    return (
        f"DownstreamBacktest(holdout={b.holdout!r}, {len(b.held_out_runs)} held out, "
        f"abs error {{{errors}{more}}}{count}{average})"
    )


def accuracy_plan(p: AccuracyPlan) -> str:
    """The task and target, then compute, size, tokens and loss as a loss plan's
    :class:`~scalinglab.plan.Allocation` shows them: each value, its interval where it has
    one; how many notes there are to read."""

    def at(triple: tuple[float, float, float]) -> str:
        value, lower, upper = triple
        return (
            num(value)
            if math.isnan(lower) and math.isnan(upper)
            else f"{num(value)} {span(lower, upper)}"
        )

    notes = f", notes={len(p.notes)}" if p.notes else ""
    return (
        f"AccuracyPlan(task={p.task!r}, target={format_g(p.target)}: flops={at(p.flops)}, "
        f"params={at(p.params)}, tokens={at(p.tokens)}, loss={at(p.loss)}, "
        f"level={p.level:g}{notes})"
    )
