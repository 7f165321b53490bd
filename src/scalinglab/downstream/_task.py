"""One task's law of accuracy against loss, or why the task cannot be predicted.

A task at chance in every fitted run, scored by too few models, whose fitted law is flat
(it moves less than twice the runs' noise), or whose accuracy falls as loss falls (which no
task law fits), is "not predictable from these runs", with the reason; never a number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from typing_extensions import deprecated

from scalinglab._errors import DataError
from scalinglab._format import format_g, format_grouped
from scalinglab.downstream import _repr
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._few_scores import few_scores
from scalinglab.downstream._held_out import held_out_models
from scalinglab.downstream._noise import eval_noise
from scalinglab.downstream._refit import PointFit, Step, fit_point
from scalinglab.downstream._task_law import accuracy_law
from scalinglab.downstream._task_verdict import as_accuracy, unfitted_why
from scalinglab.downstream._task_verdict import verdict as _verdict
from scalinglab.fit._bounds import at_bound_names
from scalinglab.fit._objective import Array

__all__ = ["CHANCE_MARGIN", "Pending", "TaskFit", "as_accuracy", "bootstrap_task", "fit_scores",
    "fit_task", "largest_size_noise"]  # fmt: skip

#: A task whose best fitted run beats chance by less than this is "at chance".
CHANCE_MARGIN = 0.02


@dataclass(frozen=True)
class TaskFit:
    """One task's accuracy law, or why the task cannot be predicted.

    Attributes:
        task: The task's name.
        chance: Its random-chance accuracy (NaN when unknown).
        step: The fitted law of accuracy (or error) against loss; ``None`` when not fitted,
            and for an average over tasks predicted as the mean of its members' predictions.
        reason: Empty for a predictable task; otherwise why it is "not predictable from
            these runs".
        backtest_error: Mean absolute error (accuracy units) of the backtest on the fitted
            sizes (:mod:`~scalinglab.downstream._screen`); NaN where none was made.
        examples: The task's number of examples (NaN when unknown).
        eval_noise: Binomial standard deviation of one model's accuracy at the largest
            fitted size, from ``examples`` (:mod:`~scalinglab.downstream._noise`; NaN when
            unknown).
        notes: What the backtest on the fitted sizes could and could not show, in words
            (a task whose evaluation noise exceeds the tolerance); ``()`` otherwise. A
            tuple, as every result's ``notes`` (it was the string ``note``: deprecated).
        members: For the average over tasks, the tasks averaged; ``()`` for one task.
    """

    task: str
    chance: float
    step: Step | None
    reason: str = ""
    backtest_error: float = math.nan
    examples: float = math.nan
    eval_noise: float = math.nan
    notes: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.task(self)

    @property
    @deprecated(
        "TaskFit.note is deprecated and goes in the next release: use TaskFit.notes (a "
        "tuple, as every result's notes)",
        category=DeprecationWarning,
    )
    def note(self) -> str:
        """Deprecated: :attr:`notes` joined by ``"; "`` (one release)."""
        return "; ".join(self.notes)

    def to_dict(self) -> dict[str, Any]:
        """The task as a chain's JSON (``downstream fit --json``, ``--out``) holds it.

        Returns:
            A JSON-ready dictionary of its law's fit and resamples, under ``"tasks"``.
        """
        from scalinglab.downstream._io import task_to_dict  # it imports this module

        return task_to_dict(self)

    @property
    def predictable(self) -> bool:
        # an average with no law of its own is the mean of its (predictable) members
        return (self.step is not None or bool(self.members)) and not self.reason

    @property
    def bound_note(self) -> str:
        """Which of the law's parameters sit at a bound in the best fit, and in how many
        resamples, as ``fit`` reports ``at bound``; ``""`` when none does. A sigmoid's ``a``
        at ``1 − chance`` (``1 − b``) puts its ceiling at 100%, which the predictions assume."""
        if self.step is None:
            return ""
        law, names = self.step.law, self.step.law.param_names
        lower, upper = law.fitted_bounds()
        fitted = law.to_fitted(np.array([self.step.coefs[n] for n in names]))
        said = at_bound_names(names, fitted, lower, upper)
        if not said:
            return ""
        rows = self.step.samples[np.all(np.isfinite(self.step.samples), axis=1)]
        shares = [
            sum(bool(n in at_bound_names(names, law.to_fitted(r), lower, upper)) for r in rows)
            for n in said
        ]
        of = f" of {format_grouped(len(rows))} resamples" if len(rows) else ""
        each = ", ".join(
            n + (f" (in {format_grouped(k)}{of})" if of else "")
            for n, k in zip(said, shares, strict=True)
        )
        i = names.index("a") if "a" in said and "L0" in names else None  # a sigmoid's a
        ceiling = i is not None and bool(
            at_bound_names(["a"], fitted[i : i + 1], [-math.inf], upper[i : i + 1])
        )
        return f"{self.task}: at bound: {each}" + (_ceiling(self.step.coefs) if ceiling else "")

    @property
    def noise_text(self) -> str:
        """``±4.8 pts evaluation noise per model (100 examples)`` where that noise exceeds
        the backtest's tolerance (:attr:`notes` said), as the backtest tables say it; else
        ``""``."""
        if not self.notes:
            return ""
        size = f" ({self.examples:.0f} examples)" if math.isfinite(self.examples) else ""
        return f"±{100 * self.eval_noise:.1f} pts evaluation noise per model{size}"

    @property
    def extra_noise(self) -> float:
        """Error of the task's extrapolation beyond its runs' noise, from the backtest on
        the fitted sizes: ``sqrt(max(0, (sqrt(π/2)·MAE)² − noise²))`` (a mean absolute
        error is ``sqrt(2/π)`` standard deviations); 0 without a backtest."""
        if self.step is None or not math.isfinite(self.backtest_error):
            return 0.0
        sd = math.sqrt(math.pi / 2) * self.backtest_error
        return math.sqrt(max(0.0, sd**2 - self.step.noise**2))


def fit_task(
    evals: Evals,
    task: str,
    task_law: str,
    weights: Array | None,
    margin: float,
    *,
    need: int,
    strict: bool = True,
) -> TaskFit:
    """Fit ``task``'s accuracy against the runs' loss, or say why it cannot be predicted.

    Args:
        evals: The runs (their ``loss`` is the chain's loss) and accuracies.
        task: The task.
        task_law: ``"sigmoid"`` or ``"exp-error"``.
        weights: The chain's bootstrap weights ``(R, P)``, or ``None``.
        margin: A task whose best run beats chance by less than this is at chance.
        need: The models the chain is fitted on below the held-out ones: where its
            evaluation noise at the largest size is read (:func:`largest_size_noise`).
        strict: Raise when the chance level is above every accuracy (the user named this
            task); otherwise return it as not predictable (one task of ``--tasks all``).

    Raises:
        DataError: With ``strict``, a chance level above every accuracy.
    """
    point = fit_task_point(evals, task, task_law, margin, need=need, strict=strict)
    return bootstrap_task(*point, weights)


#: A task's best fit, and what its bootstrap needs (``None`` when nothing was fitted).
Pending = tuple[TaskFit, PointFit | None]


def fit_task_point(
    evals: Evals, task: str, task_law: str, margin: float, *, need: int, strict: bool = True
) -> Pending:
    """:func:`fit_task` without the bootstrap, which :func:`bootstrap_task` runs later: a
    chain first decides which tasks it predicts (the backtest on the fitted sizes), then
    spends resamples on those only. ``need``: the models the chain is fitted on below the
    held-out ones (:func:`largest_size_noise`)."""
    acc = evals.accuracy(task)
    chance = float(evals.chance.get(task, math.nan))
    seen = acc[np.isfinite(acc)]
    if not len(seen):
        what = f"no model has a score ({len(acc)} missing)"
        if not strict:
            return TaskFit(task, chance, None, what), None
        raise DataError(
            f"task {task!r}: {what}",
            source=evals.source,
            column=evals.columns[task],
            hint="check the task's column, or leave the task out",
        )
    if math.isfinite(chance) and np.all(seen < chance - margin):
        what = f"chance level {format_g(chance)} is above every accuracy (best {np.max(seen):.3f})"
        if not strict:
            return TaskFit(
                task, chance, None, f"{what}: check the chance level or the metric"
            ), None
        raise DataError(
            f"task {task!r}: {what}",
            source=evals.source,
            column=evals.columns[task],
            hint="check the chance level (a fraction, not percent) or the task's metric",
        )
    if few := few_scores(evals, task, task_law):  # one model's score: no law, no chance verdict
        return TaskFit(task, chance, None, few), None
    fitted, point = score_point(task, acc, chance, evals.runs["loss"], task_law, margin)
    examples = float(evals.examples.get(task, math.nan))
    noise = largest_size_noise(evals, task, need=need)
    return replace(fitted, examples=examples, eval_noise=noise), point


def largest_size_noise(evals: Evals, task: str, *, need: int) -> float:
    """Binomial standard deviation of one model's accuracy on ``task`` at the largest size:
    the models the backtest on the fitted sizes holds out there, leaving ``need`` models
    below (:func:`held_out_models`, as :func:`~scalinglab.downstream._screen.backtest_sizes`
    holds them out)."""
    top = held_out_models(np.asarray(evals.runs["params"], dtype=np.float64), need=need)
    return eval_noise(evals.accuracy(task)[top], float(evals.examples.get(task, math.nan)))


def bootstrap_task(fitted: TaskFit, point: PointFit | None, weights: Array | None) -> TaskFit:
    """``fitted`` with its bootstrap on ``weights`` ``(R, P)`` when it is predictable (a
    task that is not needs no interval); as it is otherwise."""
    if weights is None or point is None or not fitted.predictable:
        return fitted
    return replace(fitted, step=point.bootstrap(weights))


def fit_scores(
    task: str,
    acc: Array,
    chance: float,
    loss: Array,
    task_law: str,
    weights: Array | None,
    margin: float,
) -> TaskFit:
    """Fit accuracies ``acc`` (NaN: not evaluated) against ``loss``, or say why not.

    Args:
        task: The name of what is fitted (a task, or the average over tasks).
        acc: Accuracy of every run.
        chance: Its chance level (NaN when unknown).
        loss: Every run's loss.
        task_law, weights, margin: As :func:`fit_task`.
    """
    return bootstrap_task(*score_point(task, acc, chance, loss, task_law, margin), weights)


def score_point(
    task: str, acc: Array, chance: float, loss: Array, task_law: str, margin: float
) -> Pending:
    """:func:`fit_scores` without the bootstrap (see :func:`fit_task_point`)."""
    use = np.isfinite(acc)
    seen = acc[use]
    floor = chance if math.isfinite(chance) else float(np.min(seen))
    if float(np.max(seen)) - floor < margin:
        return TaskFit(task, chance, None, unfitted_why(seen, chance, margin)), None
    law = accuracy_law(
        task_law, column="loss", chance=chance if task_law == "sigmoid" else math.nan
    )
    target = 1.0 - acc if getattr(law, "target", "") == "error" else acc
    point = fit_point(
        law, {"L": loss}, np.where(use, target, 0.0), space="linear", delta=0.02, mask=use
    )
    why = _verdict(point.step, loss[use], margin, scores=seen)
    return TaskFit(task, chance, point.step, why), point


def _ceiling(coefs: Mapping[str, float]) -> str:
    """What a sigmoid's ``a`` at its upper bound means: its ceiling is at 100%, with ``b``
    tied to the chance level (``a = 1 − chance``) or fitted where no chance level is known
    (``a = 1 − b``: the ceiling ``a + b`` is held at or below 100%)."""
    a = format_g(coefs["a"], 3)
    if "b" not in coefs:
        return (
            f"; a = 1 − chance = {a} is the sigmoid's ceiling, so the predictions assume "
            "accuracy reaches 100% at low loss"
        )
    return (
        f"; a = 1 − b = {a} puts the sigmoid's ceiling a + b at 100%, its upper bound (no "
        f"chance level is known for the task, so its floor b = {format_g(coefs['b'], 3)} was "
        "fitted), so the predictions assume accuracy reaches 100% at low loss (give its "
        "chance level with --chance, chance= in Python, to tie b to it)"
    )
