"""One task's backtest on the held-out models: its errors and its coverage.

Apart from :mod:`~scalinglab.downstream._backtest`, which fits the chain and builds one of
these per task.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from typing_extensions import deprecated

from scalinglab._json import json_ready
from scalinglab.downstream import _repr
from scalinglab.validate._few_runs import coverage_said
from scalinglab.validate._score import coverage_of, covered

__all__ = ["TaskBacktest"]


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
        coverage), as ``downstream backtest --json`` gives each task.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        keys = ("abs_error", "mean_are", "coverage", "coverage_scored", "reason", "scored",
                "scoring")  # fmt: skip
        # accuracy_lower/_upper as predict writes them; lower/upper, the old keys, kept one release
        models = {"predicted": self.predicted, "accuracy_lower": self.lower,
                  "accuracy_upper": self.upper, "lower": self.lower, "upper": self.upper,
                  "actual": self.actual}  # fmt: skip
        inside = [None if math.isnan(m) else bool(m) for m in self.inside]
        old = {"rel_error": self.mean_are}  # the old key of mean_are, kept one release
        return {k: getattr(self, k) for k in keys} | old | models | {"inside": inside}

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
    def mean_are(self) -> float:
        """Mean absolute relative error over the scored held-out models whose accuracy is not
        0 (a generative task scores 0 for a small model: no relative error there); NaN when
        none: a loss backtest's :attr:`~scalinglab.validate.BacktestSummary.mean_are` (it
        was ``rel_error``: deprecated)."""
        nonzero = np.isfinite(self.actual) & (self.actual != 0)
        if self.reason or not nonzero.any():
            return math.nan
        miss = np.abs(self.predicted - self.actual)[nonzero] / np.abs(self.actual[nonzero])
        return float(np.mean(miss))

    @property
    @deprecated(
        "TaskBacktest.rel_error is deprecated and goes in the next release: use "
        "TaskBacktest.mean_are (the mean absolute relative error, as a loss backtest names it)",
        category=DeprecationWarning,
    )
    def rel_error(self) -> float:
        """Deprecated alias of :attr:`mean_are` (one release)."""
        return self.mean_are

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

    @property
    def coverage_text(self) -> str:
        """The coverage as the tables show it, by the loss backtest's rule
        (:func:`~scalinglab.validate._few_runs.coverage_said`): ``3 of 4`` over fewer than
        10 models scored, else ``80%``; ``—`` where none is; with ``(3 of 4 scored)``
        beside it where a model with a score was not scored (:attr:`coverage_unscored`)."""
        text = coverage_said(self.coverage, self.coverage_scored)
        return (
            f"{text} ({self.coverage_scored} of {self.scored} scored)"
            if self.coverage_unscored
            else text
        )
