"""Short reprs of the curve results (:mod:`scalinglab._repr` says why): the law, its
coefficients, the curves' names and sizes; never the steps, losses or residuals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab._format import (
    format_count,
    format_g,
    format_grouped,
    format_level,
    format_loss,
    join_more,
)
from scalinglab._repr import coefs, names, num, pct

if TYPE_CHECKING:
    from scalinglab.curves import Curve, CurveBacktest, CurveFit, CurvePrediction, RidgeChoice
    from scalinglab.curves._prediction import FinalLoss

__all__ = ["backtest", "curve", "curve_list", "final_loss", "fit", "prediction", "ridge"]


def curve(c: Curve) -> str:
    # steps grouped, as the CLI writes them (2,160-23,999); a loss to 4 decimals (format_loss)
    steps = f"steps {_steps(c.step[0], c.step[-1])}" if len(c.step) else "no steps"
    loss = f", final loss {format_loss(float(c.loss[-1]))}" if len(c.loss) else ""
    return f"Curve(run={c.run!r}, {len(c.step)} points, {steps}{loss}, schedule={c.schedule!r})"


def _steps(first: float, last: float) -> str:
    return f"{format_grouped(first)}-{format_grouped(last)}"


def _loss_span(lo: float, hi: float) -> str:
    return f"[{format_loss(lo)}, {format_loss(hi)}]"


def curve_list(curves: Sequence[Curve]) -> str:
    """``CurveList(9 curves: '25M/a', '25M/b', '25M/c' and 6 more; 2,880 points, N 25M-400M)``."""
    shown = join_more([repr(c.run) for c in curves], 3)
    sizes = sorted({c.params for c in curves if math.isfinite(c.params)})
    size = "-".join(dict.fromkeys(format_count(n) for n in sizes[:1] + sizes[-1:]))
    points = sum(len(c.step) for c in curves)
    return (
        f"CurveList({len(curves)} curve{'' if len(curves) == 1 else 's'}"
        f"{': ' + shown if curves else ''}; {format_grouped(points)} points{f', N {size}' if size else ''})"
    )


def fit(f: CurveFit) -> str:
    n = 0 if f.samples is None else len(f.samples)
    bound = f", at_bound={list(f.at_bound)}" if f.at_bound else ""
    return (
        f"CurveFit(law={f.law!r}, {coefs(f.coefs)}, status={f.status!r}{bound}, "
        f"curves={len(f.runs)}, bootstrap={n})"
    )


def final_loss(f: FinalLoss) -> str:
    band = ""
    if math.isfinite(f.lower) and math.isfinite(f.upper):
        band = f" {_loss_span(f.lower, f.upper)} at {format_level(f.level)}"
    # counted, as LossToLossPrediction's: their text (one to a few hundred characters each)
    # made a one-number result 400+ characters; .notes and .warnings hold it
    notes = f", notes={len(f.notes)}" if f.notes else ""
    notes += f", warnings={len(f.warnings)}" if f.warnings else ""
    sched = f", schedule={f.schedule!r}" if f.schedule else ""
    return f"FinalLoss(loss={format_loss(f.loss)}{band}{sched}{notes})"


def prediction(p: CurvePrediction) -> str:
    if not len(p.step):
        return f"CurvePrediction(schedule={p.schedule!r}, no steps)"
    final = f"final loss {format_loss(float(p.loss[-1]))}"
    if len(p.lower) and len(p.upper):
        final += f" {_loss_span(float(p.lower[-1]), float(p.upper[-1]))} at {format_level(p.level)}"
    return (
        f"CurvePrediction(schedule={p.schedule!r}, {format_grouped(len(p.step))} steps "
        f"{_steps(p.step[0], p.step[-1])}, {final})"
    )


def backtest(b: CurveBacktest) -> str:
    errors = ", ".join(
        f"{r}: {pct(e)}" for r, e in zip(b.held_out_runs[:4], b.mean_are, strict=False)
    )
    more = ", ..." if len(b.held_out_runs) > 4 else ""
    n = len(b.warnings)
    warned = f", {n} warning{'s' if n > 1 else ''}" if n else ""
    return (
        f"CurveBacktest(law={b.fit.law!r}, trained on {names(b.fit.runs)}, "
        f"mean error {{{errors}{more}}}{warned})"
    )


def ridge(r: RidgeChoice) -> str:
    scores = ", ".join(f"{format_g(g)}: {num(s)}" for g, s in zip(r.grid, r.scores, strict=True))
    return f"RidgeChoice(ridge={format_g(r.ridge)}, scores {{{scores}}}, cuts={r.cuts})"
