"""A fitted chain's prediction for one model: each task's accuracy with its interval.

The interval is for one new model: each resample's chain (loss law, then the task's law, both
from the same resampled models) plus draws of each step's residual noise, of the loss law's
measured extrapolation error and of the task's, from the backtest on the fitted sizes.

It is bounded above by 1 and below by the task's chance level less ``z`` times its evaluation
noise per model (:func:`accuracy_floor`): the task laws' floor is chance, and a model scores
below it only through the noise of its evaluation, so residual noise drawn further down is
not an accuracy a model shows. Past the level the loss law's backtests calibrate, the loss
interval is unbounded, so each task's interval is that whole range.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtri  # norm.ppf's own kernel; scipy.stats loads in 0.8 s
from typing_extensions import deprecated

from scalinglab._errors import check_level
from scalinglab._format import format_level
from scalinglab._json import json_ready
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream import _repr
from scalinglab.downstream._average import AVERAGE
from scalinglab.downstream._one_model import one_size
from scalinglab.downstream._past_full import capped_notes, outside_reason
from scalinglab.downstream._refit import scale_inputs
from scalinglab.downstream._task import TaskFit, as_accuracy
from scalinglab.fit._objective import Array

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = [
    "TaskPrediction",
    "accuracy_floor",
    "predict_tasks",
    "unbounded_note",
]

#: Fewest (resample, noise) draws behind an interval.
_DRAWS = 4000


@dataclass(frozen=True)
class TaskPrediction:
    """Predicted accuracy of one task at one scale.

    Attributes:
        task: The task.
        accuracy: The chain's point prediction (NaN when the task is not predictable).
        lower: Lower end of the prediction interval.
        upper: Upper end.
        level: Coverage of the interval.
        loss: The predicted loss the chain went through.
        reason: Why there is no number, for a task that is not predictable.
        warnings: What makes the number less trustworthy than its interval says (an average
            by its own law outside the interval of the mean of its tasks' predictions); past 1
            decade outside the fitted models, that distance too. A tuple, as every result's
            ``warnings`` (it was the string ``warning``: deprecated).
        max_level: Highest level the loss law's backtest residuals calibrate, where they
            calibrate its interval (beyond it the loss interval is unbounded, as
            :meth:`FitResult.predict`'s, and so the accuracy's: ``lower``
            :func:`accuracy_floor`, ``upper`` 1); ``None`` otherwise.
        notes: What to know about the interval: why it is unbounded, how far the model
            lies outside the fitted models (:func:`~scalinglab.downstream._result.far_notes`).
        loss_lower: Lower end of the loss's prediction interval at ``level``: the chain's
            loss draws (each resample's law, its noise and the loss law's extrapolation
            error) that every task's draws go through; 0 where that interval is unbounded
            (past ``max_level``, as :meth:`FitResult.predict`'s), NaN without a bootstrap.
        loss_upper: Upper end (inf where unbounded).
    """

    task: str
    accuracy: float
    lower: float
    upper: float
    level: float
    loss: float
    reason: str = ""
    warnings: tuple[str, ...] = ()
    max_level: float | None = None
    notes: tuple[str, ...] = ()
    loss_lower: float = math.nan
    loss_upper: float = math.nan

    def __repr__(self) -> str:  # as the other results: 5 significant digits
        return _repr.prediction(self)

    @property
    @deprecated(
        "TaskPrediction.warning is deprecated and goes in the next release: use "
        "TaskPrediction.warnings (a tuple, as every result's warnings)",
        category=DeprecationWarning,
    )
    def warning(self) -> str:
        """Deprecated: :attr:`warnings` joined by ``"; "`` (one release)."""
        return "; ".join(self.warnings)

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """``downstream predict --json``'s entry of the task (NaN as ``"nan"``): the
        accuracy as ``plan --json`` writes an estimate, ``accuracy``, ``accuracy_lower``,
        ``accuracy_upper``; the old ``lower`` and ``upper`` beside them for one release; the
        loss as ``loss``, ``loss_lower``, ``loss_upper``; ``warnings`` and ``notes`` lists (the
        old ``warning``, one string, beside them for one release).

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out: dict[str, object] = {"task": self.task, "accuracy": self.accuracy}
        out |= {"accuracy_lower": self.lower, "accuracy_upper": self.upper}
        out |= {"lower": self.lower, "upper": self.upper}  # the old keys, one release
        return out | {"level": self.level, "loss": self.loss, "loss_lower": self.loss_lower,
                      "loss_upper": self.loss_upper, "reason": self.reason,
                      "warnings": list(self.warnings), "warning": "; ".join(self.warnings),
                      "max_level": self.max_level,
                      "notes": list(self.notes)}  # fmt: skip


#: One target's prediction: its point accuracy and its draws ``(R, per)``, or the reason.
_Drawn = tuple[float, Array | None, str]


def predict_tasks(
    chain: DownstreamFit,
    *,
    params: float | str,
    tokens: float | str,
    level: float | None,
    only: str | None = None,
) -> dict[str, TaskPrediction]:
    """:meth:`DownstreamFit.predict`: every task's (and the average's) accuracy.

    ``only`` names the one task (or ``"average"``) wanted, as ``downstream plan``'s search
    asks for one task at a time: only it (and the tasks an average is the mean of) is drawn.
    Its numbers are the same as among all: each task draws from its own stream."""
    level = chain.level if level is None else level
    check_level(level)
    params, tokens = one_size(params, tokens)
    nd = scale_inputs(chain.loss_step.law, np.array([params]), np.array([tokens]))
    loss = float(chain.loss_step.evaluate(chain.loss_step.theta, nd)[0])
    rng = np.random.default_rng(chain.seed)
    samples = chain.loss_step.samples
    per = max(1, math.ceil(_DRAWS / max(len(samples), 1)))
    drawn, top, unbounded = None, None, None
    ex = chain.extrapolation
    if len(samples) and ex is not None and ex.calibrated:
        top, unbounded = ex.max_level, unbounded_note(ex.level_note(level))
    if len(samples) and unbounded is None:
        drawn = link.loss_draws(
            chain.loss_step, chain.extrapolation, nd, level=level, rng=rng, per=per
        )
    average = chain.average
    wanted = {*chain.tasks, AVERAGE} if only is None else {only}
    if only == AVERAGE and average is not None and average.step is None:
        wanted |= set(average.members)  # the mean of its tasks' predictions
    got = {
        name: _drawn(chain, name, task, loss, drawn, accuracy_floor(task, level))
        for name, task in chain.tasks.items()
        if name in wanted
    }
    if average is not None and AVERAGE in wanted:
        if average.step is None and average.predictable:  # the mean of its tasks' predictions
            got[AVERAGE] = _mean(chain, [got[t] for t in average.members])
        else:
            floor = accuracy_floor(average, level)
            got[AVERAGE] = _drawn(chain, AVERAGE, average, loss, drawn, floor)
    fitted = {**chain.tasks, **({AVERAGE: average} if average is not None else {})}
    # the loss every task's draws go through, with its interval ([0, inf) past the levels
    # its backtests calibrate, as FitResult.predict's; none without a bootstrap)
    loss_band = (0.0, math.inf) if unbounded else _interval(drawn, level)
    out = {}
    for name, (point, draws, why) in got.items():
        # past the levels the loss law's backtests calibrate its loss interval is [0, inf),
        # as FitResult.predict's: an accuracy's is then all it can be, said in a note
        whole = (accuracy_floor(fitted[name], level), 1.0)
        band = whole if unbounded and not why else _interval(draws, level)
        noted = (
            (unbounded,) if unbounded and not why else capped_notes(fitted[name], band[1], draws)
        )
        out[name] = TaskPrediction(
            name, point, *band, level, loss, why, max_level=None if why else top, notes=noted,
            loss_lower=loss_band[0], loss_upper=loss_band[1],
        )  # fmt: skip
    own = average is not None and average.step is not None and average.predictable
    if own and average is not None and all(t in got for t in average.members):
        # its own law, checked against the mean of its (predicted) tasks' predictions
        mean = _mean(chain, [got[t] for t in average.members])
        tasks = [out[t] for t in average.members]
        said = _outside(out[AVERAGE], mean[0], _interval(mean[1], level), tasks)
        out[AVERAGE] = replace(out[AVERAGE], warnings=(said,) if said else ())
    return out


def unbounded_note(note: str | None) -> str | None:
    """The loss law's note on a level past what its backtests calibrate
    (:meth:`~scalinglab.fit._calibrated.Extrapolation.level_note`), as the chain says it."""
    if note is None:
        return None
    return (
        f"loss law: {note}; so every task's interval runs from its chance level less its "
        "evaluation noise to 1"
    )


def accuracy_floor(task: TaskFit, level: float) -> float:
    """The lowest accuracy a ``level`` interval of ``task`` reaches: its chance level less
    ``z`` standard deviations of its evaluation noise per model (``z`` of a central ``level``
    interval: 1.64 at 0.9); 0 where either is unknown."""
    low = task.chance - float(ndtri(0.5 + level / 2)) * task.eval_noise
    return min(max(low, 0.0), 1.0) if math.isfinite(low) else 0.0


def _interval(draws: Array | None, level: float) -> tuple[float, float]:
    """The central ``level`` interval of the finite ``draws`` (NaN without any)."""
    finite = np.array([]) if draws is None else draws[np.isfinite(draws)]
    if not len(finite):
        return math.nan, math.nan
    lo, hi = np.percentile(finite, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def _drawn(
    chain: DownstreamFit,
    name: str,
    task: TaskFit,
    loss: float,
    drawn: Array | None,
    floor: float,
) -> _Drawn:
    """``task``'s point accuracy at ``loss`` and its draws through the loss draws ``drawn``:
    each resample's law plus its residual noise and its extrapolation error, clipped to
    [``floor``, 1] (:func:`accuracy_floor`; NaN where a resample failed)."""
    if not task.predictable or task.step is None:
        return math.nan, None, task.reason
    step = task.step
    point = float(as_accuracy(step, step.evaluate(step.theta, {"L": np.array([loss])})[0]))
    if not 0.0 <= point <= 1.0:  # past 1: a ceiling above 100%; below 0: exp-error's
        return math.nan, None, outside_reason(task, point, loss)
    if drawn is None or len(step.samples) != len(drawn):
        return point, None, ""
    draws = step.law.rows(step.samples, drawn)  # type: ignore[attr-defined]
    # each task's own stream: its interval does not depend on which other tasks were
    # fitted or in what order
    stream = np.random.default_rng([chain.seed, zlib.crc32(name.encode())])
    z = stream.standard_normal(draws.shape)
    noisy = step.with_noise(draws, z) + task.extra_noise * stream.standard_normal(draws.shape)
    # an accuracy is a fraction of questions, and below chance only by evaluation noise:
    # noise drawn past either end is not one a model shows
    return point, np.clip(as_accuracy(step, noisy), floor, 1.0), ""


def _mean(chain: DownstreamFit, members: list[_Drawn]) -> _Drawn:
    """The mean of the members' predictions, draw by draw: draw (r, j) of every member went
    through the same resample r and loss draw j, so their mean carries the shared loss
    law once and each task law's own error."""
    for _, _, why in members:
        if why:  # a member the loss puts outside its law's domain
            return math.nan, None, f"a task it averages has no prediction: {why}"
    point = float(np.mean([m[0] for m in members]))
    draws = [m[1] for m in members if m[1] is not None]
    if len(draws) < len(members):
        return point, None, ""
    return point, np.mean(draws, axis=0), ""


def _outside(
    own: TaskPrediction, mean: float, band: tuple[float, float], tasks: list[TaskPrediction]
) -> str:
    """A warning when the average by its own law leaves the interval of the mean of its
    tasks' predictions (``mean``, ``band``), saying so too where it leaves their range."""
    values = [t.accuracy for t in tasks]
    if not all(math.isfinite(v) for v in [*values, own.accuracy, mean]):
        return ""
    if band[0] <= own.accuracy <= band[1] or not all(math.isfinite(b) for b in band):
        return ""
    lo, hi = min(values), max(values)
    past = "" if lo <= own.accuracy <= hi else f", and outside every one [{lo:.3f}, {hi:.3f}]"
    return (
        f"the average's own exp-error law gives {own.accuracy:.3f}, outside the "
        f"{format_level(own.level)} interval of the mean of its tasks' predictions, "
        f"{mean:.3f} [{band[0]:.3f}, {band[1]:.3f}]{past}: its law is read past the losses it "
        "was fitted on; --average-law mean (average_law='mean') predicts that mean"
    )
