"""Backtest a chain per task: fit on the smaller models, predict the held-out larger ones.

It says which tasks extrapolate, and within what error: for each task the absolute error of
the chain's prediction on every held-out model (in accuracy points), and how often the
held-out accuracy fell inside the prediction interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._deprecated import old_fields
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.downstream import _repr
from scalinglab.downstream._average import AVERAGE, average_accuracy
from scalinglab.downstream._chain import DownstreamFit, fit_downstream
from scalinglab.downstream._chain_checks import check_evals
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._loss_link import AUTO
from scalinglab.downstream._old_names import DownstreamBacktestAliases
from scalinglab.downstream._screen import DEFAULT_MAX_ERROR
from scalinglab.downstream._task_backtest import TaskBacktest
from scalinglab.downstream._task_table import REFIT_SAID  # its verdicts' first words
from scalinglab.laws import Law
from scalinglab.validate._few_runs import few_scored_note
from scalinglab.validate._guards import check_backtest_bootstrap
from scalinglab.validate._split import split_runs

__all__ = ["FORMAT", "DownstreamBacktest", "TaskBacktest", "backtest_downstream"]

#: The "format" of :meth:`DownstreamBacktest.to_dict`, which ``downstream backtest --json``
#: prints and ``--out`` saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.downstream_backtest/1"


@old_fields(held_out="held_out_runs", description="holdout_description")
@dataclass(frozen=True)
class DownstreamBacktest(DownstreamBacktestAliases):
    """The backtest of every task.

    Attributes:
        chain: The chain fitted on the kept models.
        tasks: Each task's result.
        holdout: The hold-out rule.
        holdout_description: The hold-out in words, as :attr:`HparamBacktest.holdout_description`
            and ``backtest --json``'s ``"holdout_description"`` name it (``description``, its
            old name, reads it for one release with a DeprecationWarning).
        held_out_runs: The held-out models' run names, in the order of each task's rows
            (``held_out``, their old name, reads them for one release with a
            DeprecationWarning).
        chained: The chain's average (:attr:`DownstreamFit.average`: the mean of its
            tasks' predictions, or their mean accuracy by its own law; with intervals) on
            the held-out models; ``None`` when the chain has none.
        source: Where all the models came from, with their count, as a backtest of a loss
            law says it (``RunTable.describe_source``).
    """

    chain: DownstreamFit
    tasks: Mapping[str, TaskBacktest]
    holdout: str
    holdout_description: str
    held_out_runs: tuple[str, ...]
    chained: TaskBacktest | None = None
    source: str = ""

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """What ``downstream backtest --json`` prints (and ``--out`` saves): the hold-out and
        its words (``holdout_description``, as ``backtest --json`` names them),
        the held-out models' run names (``held_out_runs``; ``held_out``, their old key, kept
        one release beside it), each task (:meth:`TaskBacktest.to_dict`), then the average
        beside them (a task may be called "average"), with the tasks it averages where the
        chain has one, and ``mean_of_tasks`` where that average has a law of its own.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        rows = self.rows()
        payload: dict[str, Any] = {
            "format": FORMAT,
            "source": self.source,
            "holdout": self.holdout,
            "holdout_description": self.holdout_description,  # as backtest --json names it
            "held_out_runs": list(self.held_out_runs),
            "held_out": list(self.held_out_runs),  # the old key of "held_out_runs", one release
            "level": self.chain.level,
            "tasks": {key: r.to_dict() for key, r in self.tasks.items()},
        }
        if AVERAGE in rows:  # none of one task predicted: it would repeat it, no interval
            payload[AVERAGE] = rows[AVERAGE].to_dict()
        if self.chain.average is not None:
            payload["average"]["members"] = list(self.chain.average.members)
        if "mean_of_tasks" in rows:
            payload["mean_of_tasks"] = rows["mean_of_tasks"].to_dict()
        # its warnings apart (DownstreamFit.warnings)
        payload["notes"] = [*self.chain.notes, *filter(None, [self.coverage_note])]
        payload["warnings"] = list(self.chain.warnings)
        return payload

    @property
    def coverage_note(self) -> str | None:
        """That coverage over fewer than 10 held-out models cannot judge calibration, as a
        loss backtest says it of its runs (:func:`few_scored_note`); ``None`` over more,
        or where no coverage was scored (no bootstrap)."""
        counts = [r.coverage_scored for r in self.rows().values() if not math.isnan(r.coverage)]
        return few_scored_note(max(counts), self.chain.level, noun="model") if counts else None

    def rows(self) -> dict[str, TaskBacktest]:
        """Each task, then ``"average"`` (:meth:`average`) and, where the chain's average
        has a law of its own, ``"mean_of_tasks"`` (:meth:`mean_of_tasks`) beside it: the
        rows ``downstream backtest`` prints. A backtest that predicted fewer than two tasks
        has no average, as ``downstream fit`` shows none: it would be that one task again
        (or no task), without its interval.

        Returns:
            Row name -> its backtest, in that order.
        """
        predicted = [t for t in self.tasks.values() if not t.reason]
        if self.chained is None and len(predicted) < 2:
            return dict(self.tasks)
        rows = {**self.tasks, AVERAGE: self.average()}
        average = self.chain.average
        if average is not None and average.step is not None:  # else the average is that mean
            rows["mean_of_tasks"] = self.mean_of_tasks()
        return rows

    def average(self) -> TaskBacktest:
        """The average accuracy over the predicted tasks: the chain's average
        (:attr:`chained`, ``"average (3 tasks)"``) where it has one, else
        :meth:`mean_of_tasks` named ``"average"``, as every door (the table, the report,
        the JSON) names that row.

        Returns:
            That row.
        """
        if self.chained is not None:
            return self.chained
        return replace(self.mean_of_tasks(), task=AVERAGE)

    def mean_of_tasks(self) -> TaskBacktest:
        """The average accuracy over the predicted tasks as the mean of their predictions
        (no interval), as one task ("mean of the tasks").

        Returns:
            That row: per held-out model, the mean prediction and the mean accuracy of the
            tasks predicted, no interval (a reason instead where none was predictable).
        """
        name = "mean of the tasks"
        done = [t for t in self.tasks.values() if not t.reason]
        nan = np.full(len(self.held_out_runs), math.nan)
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
        tasks: Tasks to fit and score, as :func:`fit_downstream` takes them (default, or
            ``"all"``: all of them).
        law: The law of (N, D) for the loss, as :func:`fit_downstream` takes it.
        task_law: Each task's law of the loss, as :func:`fit_downstream` takes it.
        bootstrap: Resamples of the kept models, as :func:`fit_downstream` takes it (0:
            no intervals, and no coverage; 1 to 19 refused, as :func:`scalinglab.backtest`
            refuses them: too few to place the scored intervals' ends).
        level: Coverage of the intervals, as :func:`fit_downstream` takes it.
        seed: Seed, as :func:`fit_downstream` takes it.
        max_backtest_error: As :func:`fit_downstream` takes it: the chain's own backtest,
            on the largest size among the kept models only, refuses a task that misses it
            by more.
        average_of: Tasks averaged, as :func:`fit_downstream` takes them.
        average_law: How the average is predicted, as :func:`fit_downstream` takes it.
        progress: Called as ``progress(stage, done, total)``: the stages of
            :func:`fit_downstream`, then ``"predict"`` (held-out models predicted); ``True``
            prints a line per stage on stderr.

    Returns:
        A :class:`~scalinglab.downstream.DownstreamBacktest`: each task's error and
        coverage on the held-out models (``.tasks``, ``.average()``, ``.mean_of_tasks()``), their
        run names (``.held_out_runs``) and a row per model and task (``.rows``).
    """
    check_evals(evals, call="scalinglab.backtest_downstream")
    check_backtest_bootstrap(
        bootstrap, default=DOWNSTREAM_BOOTSTRAP, level=level
    )  # it scores coverage: 1..19 place no interval's ends
    report = resolve_progress(progress)  # True: a text line on stderr
    split = split_runs(evals.runs, holdout)
    train = np.isin(np.array(evals.runs.runs), np.array(split.fitted.runs))
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
        # its own fit's verdict: the full fit's says the same words with its own numbers
        reason = f"{REFIT_SAID}, {fitted.reason}" if fitted.reason else ""
        out[name] = TaskBacktest(
            label, arr[:, 0], arr[:, 1], arr[:, 2], actual, reason, fitted.members
        )
    chained = out.pop(AVERAGE) if chain.average is not None else None
    return DownstreamBacktest(
        chain, out, holdout, split.description, test.runs.runs, chained=chained,
        source=split.source,
    )  # fmt: skip
