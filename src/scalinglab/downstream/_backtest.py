"""Backtest a chain per task: fit on the smaller models, predict the held-out larger ones.

It says which tasks extrapolate, and within what error: for each task the absolute error of
the chain's prediction on every held-out model (in accuracy points), and how often the
held-out accuracy fell inside the prediction interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._errors import keywords_checked
from scalinglab._json import json_ready
from scalinglab._progress import Progress, resolve_progress
from scalinglab.downstream import _repr
from scalinglab.downstream._average import AVERAGE, average_accuracy
from scalinglab.downstream._chain import DownstreamFit, fit_downstream
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._loss_link import AUTO
from scalinglab.downstream._screen import DEFAULT_MAX_ERROR
from scalinglab.laws import Law
from scalinglab.validate._score import coverage_of, covered
from scalinglab.validate._split import split_runs

__all__ = ["FORMAT", "DownstreamBacktest", "TaskBacktest", "backtest_downstream"]

#: The "format" of :meth:`DownstreamBacktest.to_dict`, which ``downstream backtest --json``
#: prints and ``--out`` saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.downstream_backtest/1"


@dataclass(frozen=True)
class TaskBacktest:
    """One task on the held-out models.

    Attributes:
        task: The task.
        predicted: The chain's accuracy for each held-out model (NaN if not predictable).
        lower: Lower ends of the intervals.
        upper: Upper ends.
        actual: The held-out models' accuracy (NaN where a model has no score: the errors
            and the coverage are over the others, :attr:`scored`).
        reason: Why the task was not predicted, or ``""``.
        members: For an average, the tasks it averages (a model is scored on it only with a
            score on every one); ``()`` for a task.
    """

    task: str
    predicted: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    actual: np.ndarray
    reason: str = ""
    members: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.task_backtest(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """Its errors, then model by model (in the order of the held-out models) the
        prediction, its interval and the accuracy measured (NaN where a model has no
        score), and whether it fell inside (``inside``: null where not scored for
        coverage), as ``downstream backtest --json`` gives each task."""
        keys = ("abs_error", "rel_error", "coverage", "coverage_scored", "reason", "scored",
                "scoring")  # fmt: skip
        # accuracy_lower/_upper as predict writes them; lower/upper, the old keys, kept one release
        models = {"predicted": self.predicted, "accuracy_lower": self.lower,
                  "accuracy_upper": self.upper, "lower": self.lower, "upper": self.upper,
                  "actual": self.actual}  # fmt: skip
        inside = [None if math.isnan(m) else bool(m) for m in self.inside]
        return {k: getattr(self, k) for k in keys} | models | {"inside": inside}

    @property
    def scored(self) -> int:
        """How many held-out models have a score for it (a model not evaluated on the task,
        or for the average on one of its tasks, has none: it is not scored)."""
        return int(np.isfinite(self.actual).sum())

    @property
    def scoring(self) -> str:
        """Which held-out models the errors are over, in words: ``""`` when every one."""
        n = len(self.actual)
        if self.scored == n:
            return ""
        every = f" (those with all {len(self.members)} tasks scored)" if self.members else ""
        if self.scored == 0:
            return "no held-out scores" + every.replace("those", "none")
        return f"scored on {self.scored} of {n} held-out models" + every

    @property
    def abs_error(self) -> float:
        """Mean absolute error over the scored held-out models, accuracy units (0.01 = one
        point); NaN when none is scored."""
        has = np.isfinite(self.actual)
        if self.reason or not has.any():
            return math.nan
        return float(np.mean(np.abs(self.predicted - self.actual)[has]))

    @property
    def rel_error(self) -> float:
        """Mean absolute relative error over the scored held-out models whose accuracy is not
        0 (a generative task scores 0 for a small model: no relative error there); NaN when
        none."""
        nonzero = np.isfinite(self.actual) & (self.actual != 0)
        if self.reason or not nonzero.any():
            return math.nan
        miss = np.abs(self.predicted - self.actual)[nonzero] / np.abs(self.actual[nonzero])
        return float(np.mean(miss))

    @property
    def inside(self) -> np.ndarray:
        """Per held-out model, 1.0 inside the interval, 0.0 outside, NaN not scored: no
        score, or no interval with two finite ends (none drawn, or unbounded, which cannot
        miss), the rule every backtest scores coverage by (:func:`covered`)."""
        if self.reason:
            return np.full(len(self.actual), math.nan)
        return covered(self.lower, self.upper, self.actual)

    @property
    def coverage(self) -> float:
        """Fraction of the held-out models scored (:attr:`inside`) whose accuracy fell
        inside the interval; NaN where none is (no intervals, as for the mean of the
        tasks, no scores, or only unbounded intervals)."""
        return coverage_of(self.inside)[0]

    @property
    def coverage_scored(self) -> int:
        """How many held-out models :attr:`coverage` is over: those with a score and an
        interval with two finite ends (at most :attr:`scored`)."""
        return coverage_of(self.inside)[1]

    @property
    def coverage_unscored(self) -> bool:
        """Whether intervals were drawn and yet some model with a score was not scored for
        coverage (its interval not bounded): the count then goes beside the coverage ("3 of
        4 scored")."""
        drawn = bool(np.isfinite(self.lower).any() or np.isfinite(self.upper).any())
        return not self.reason and drawn and self.coverage_scored < self.scored


@dataclass(frozen=True)
class DownstreamBacktest:
    """The backtest of every task.

    Attributes:
        chain: The chain fitted on the kept models.
        tasks: Each task's result.
        holdout: The hold-out rule.
        description: It in words.
        held_out: The held-out models.
        chained: The chain's average (:attr:`DownstreamFit.average`: the mean of its
            tasks' predictions, or their mean accuracy by its own law; with intervals) on
            the held-out models; ``None`` when the chain has none.
        source: Where all the models came from, with their count, as a backtest of a loss
            law says it (``RunTable.describe_source``).
    """

    chain: DownstreamFit
    tasks: Mapping[str, TaskBacktest]
    holdout: str
    description: str
    held_out: tuple[str, ...]
    chained: TaskBacktest | None = None
    source: str = ""

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """What ``downstream backtest --json`` prints (and ``--out`` saves): the hold-out,
        the held-out models, each task (:meth:`TaskBacktest.to_dict`), then the average
        beside them (a task may be called "average"), with the tasks it averages where the
        chain has one, and ``mean_of_tasks`` where that average has a law of its own."""
        rows = self.rows()
        payload: dict[str, Any] = {
            "format": FORMAT,
            "source": self.source,
            "holdout": self.holdout,
            "held_out": list(self.held_out),
            "level": self.chain.level,
            "tasks": {key: r.to_dict() for key, r in self.tasks.items()},
            "average": rows["average"].to_dict(),
        }
        if self.chain.average is not None:
            payload["average"]["members"] = list(self.chain.average.members)
        if "mean_of_tasks" in rows:
            payload["mean_of_tasks"] = rows["mean_of_tasks"].to_dict()
        payload["notes"] = list(self.chain.notes)  # its warnings apart (DownstreamFit.warnings)
        payload["warnings"] = list(self.chain.warnings)
        return payload

    def rows(self) -> dict[str, TaskBacktest]:
        """Each task, then ``"average"`` (:meth:`average`) and, where the chain's average
        has a law of its own, ``"mean_of_tasks"`` (:meth:`mean_of_tasks`) beside it: the
        rows ``downstream backtest`` prints."""
        rows = {**self.tasks, "average": self.average()}
        average = self.chain.average
        if average is not None and average.step is not None:  # else the average is that mean
            rows["mean_of_tasks"] = self.mean_of_tasks()
        return rows

    def average(self) -> TaskBacktest:
        """The average accuracy over the predicted tasks ("average"): the chain's average
        (:attr:`chained`) where it has one, else :meth:`mean_of_tasks`."""
        return self.chained if self.chained is not None else self.mean_of_tasks()

    def mean_of_tasks(self) -> TaskBacktest:
        """The average accuracy over the predicted tasks as the mean of their predictions
        (no interval), as one task ("mean of the tasks")."""
        name = "mean of the tasks"
        done = [t for t in self.tasks.values() if not t.reason]
        nan = np.full(len(self.held_out), math.nan)
        if not done:
            return TaskBacktest(name, nan, nan, nan, nan, "no task was predictable")
        mean = [np.mean([getattr(t, f) for t in done], axis=0) for f in ("predicted", "actual")]
        members = tuple(t.task for t in done)
        return TaskBacktest(name, mean[0], nan, nan.copy(), mean[1], members=members)


@keywords_checked("scalinglab.backtest_downstream")
def backtest_downstream(
    evals: Evals,
    *,
    holdout: str = "top-decile",
    tasks: Sequence[str] | str | None = None,
    law: str | Law = AUTO,
    task_law: str = "sigmoid",
    bootstrap: int = DOWNSTREAM_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    max_backtest_error: float | None = DEFAULT_MAX_ERROR,
    average_of: Sequence[str] | None = None,
    average_law: str = "mean",
    progress: Progress | bool | None = None,
) -> DownstreamBacktest:
    """Fit the chain on the models ``holdout`` keeps, and predict the ones it holds out.

    Args:
        evals: The runs and their accuracies.
        holdout: Which models to hold out: ``"top-decile"`` (the default, by compute, as
            :func:`scalinglab.backtest`), ``"params>=400M"``, ``"largest:5"``.
        tasks, law, task_law, bootstrap, level, seed, max_backtest_error, average_of,
            average_law: As :func:`fit_downstream` (tasks default, or ``"all"``: all of
            them; its backtest on the fitted sizes sees only the kept models).
        progress: Called as ``progress(stage, done, total)``: the stages of
            :func:`fit_downstream`, then ``"predict"`` (held-out models predicted); ``True``
            prints a line per stage on stderr.
    """
    report = resolve_progress(progress)  # True: a text line on stderr
    split = split_runs(evals.runs, holdout)
    train = np.isin(np.array(evals.runs.runs), np.array(split.train.runs))
    chain = fit_downstream(
        evals.select(train),
        tasks=tasks,
        law=law,
        task_law=task_law,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
        max_backtest_error=max_backtest_error,
        average_of=average_of,
        average_law=average_law,
        progress=report,
    )
    test = evals.select(~train)
    targets = dict(chain.tasks)
    if chain.average is not None:
        targets[AVERAGE] = chain.average
    rows = {name: [] for name in targets}  # type: dict[str, list[tuple[float, float, float]]]
    for i in range(len(test.runs)):
        preds = chain.predict(
            params=float(test.runs["params"][i]), tokens=float(test.runs["tokens"][i])
        )
        for name, p in preds.items():
            rows[name].append((p.accuracy, p.lower, p.upper))
        if report is not None:
            report("predict", i + 1, len(test.runs))
    out = {}
    for name, values in rows.items():
        arr = np.array(values, dtype=np.float64).reshape(-1, 3)
        fitted = targets[name]
        actual = average_accuracy(test, fitted.members) if fitted.members else test.accuracy(name)
        label = f"average ({len(fitted.members)} tasks)" if fitted.members else name
        out[name] = TaskBacktest(
            label, arr[:, 0], arr[:, 1], arr[:, 2], actual, fitted.reason, fitted.members
        )
    chained = out.pop(AVERAGE) if chain.average is not None else None
    return DownstreamBacktest(
        chain, out, holdout, split.description, test.runs.runs, chained=chained,
        source=split.source,
    )  # fmt: skip
