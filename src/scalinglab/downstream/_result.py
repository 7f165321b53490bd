"""DownstreamFit: a fitted chain, (N, D) -> loss -> each task's accuracy, as
:func:`~scalinglab.downstream.fit_downstream` returns it."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab.downstream import _repr
from scalinglab.downstream._chain_predict import TaskPrediction, predict_tasks
from scalinglab.downstream._refit import Step, scale_inputs
from scalinglab.downstream._task import TaskFit
from scalinglab.fit._extrapolation import Extrapolation, distance

__all__ = ["DownstreamFit"]


@dataclass(frozen=True)
class DownstreamFit:
    """A fitted chain: the loss law and each task's accuracy law.

    Attributes:
        loss_step: Step 1, the law of (N, D) fitted to the ``via`` loss.
        tasks: Each task's fit (or verdict), by name.
        via: The loss column the chain goes through.
        level: Coverage of the intervals.
        n_bootstrap: Resamples of the models shared by every step.
        seed: Seed of the resampling and the noise draws.
        runs: The models fitted.
        source: Where they came from.
        extrapolation: The loss law's extrapolation error measured by rolling-origin
            backtests on the fitted runs (``None`` without a bootstrap); where calibrated
            it widens the loss the accuracy laws read, and so every task's interval.
        notes: How the loss law was chosen, its extrapolation error, the backtest on the
            fitted sizes, in words.
        average: The average accuracy over the predictable tasks, fitted as a target of its
            own by Gadre et al.'s law (:mod:`~scalinglab.downstream._average`; its
            ``members`` are the tasks averaged); ``None`` with fewer than two such tasks.
            :meth:`predict` gives it under the name ``"average"``.
        loss_delta: Huber's delta the loss law was fitted with (:func:`chain_delta`).
    """

    loss_step: Step
    tasks: Mapping[str, TaskFit]
    via: str
    level: float
    n_bootstrap: int
    seed: int
    runs: tuple[str, ...]
    source: str
    extrapolation: Extrapolation | None = None
    notes: tuple[str, ...] = field(default=())
    average: TaskFit | None = None
    loss_delta: float = HUBER_DELTA

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.chain(self)

    @property
    def predictable(self) -> tuple[str, ...]:
        """The tasks with a law to predict from."""
        return tuple(name for name, t in self.tasks.items() if t.predictable)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the chain as JSON (``load`` reads it back, resamples included)."""
        from scalinglab.downstream._io import save_chain  # the JSON form lives there

        save_chain(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DownstreamFit:
        """Read a chain written by :meth:`save`."""
        from scalinglab.downstream._io import load_chain

        return load_chain(path)

    def distance(self, *, params: float, tokens: float) -> float:
        """Decades outside the fitted models at ``(params, tokens)``: beyond the largest or
        below the smallest in N, D or N·D (0 inside; NaN without a bootstrap, which does
        not record the models' range)."""
        ex = self.extrapolation
        if ex is None:
            return math.nan
        nd = scale_inputs(self.loss_step.law, np.array([params]), np.array([tokens]))
        return float(distance(ex.reach, nd, ex.floor).reshape(-1)[0])

    def predict(
        self, *, params: float | str, tokens: float | str, level: float | None = None
    ) -> dict[str, TaskPrediction]:
        """Accuracy of every task (and of :attr:`average`, as ``"average"``) for a model of
        ``params`` trained on ``tokens``.

        The interval is for one new model: each resample's chain (loss law, then the task's
        law, both from the same resampled models) plus draws of each step's residual noise,
        of the loss law's measured extrapolation error (:attr:`extrapolation`) and of the
        task's, from the backtest on the fitted sizes (:attr:`TaskFit.extra_noise`).
        """
        return predict_tasks(self, params=params, tokens=tokens, level=level)
