"""DownstreamFit: a fitted chain, (N, D) -> loss -> each task's accuracy, as
:func:`~scalinglab.downstream.fit_downstream` returns it."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import ConfigError, check_keywords
from scalinglab._keyed import Keyed
from scalinglab._keywords import methods_checked
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.downstream import _repr
from scalinglab.downstream._chain_far import far_notes
from scalinglab.downstream._chain_predict import TaskPrediction, predict_tasks
from scalinglab.downstream._one_model import one_model, one_size
from scalinglab.downstream._predictions import TaskPredictions
from scalinglab.downstream._refit import Step, scale_inputs
from scalinglab.downstream._task import TaskFit
from scalinglab.fit._extrapolation import Extrapolation
from scalinglab.fit._far import below as below_runs
from scalinglab.fit._reach import reported_distance

__all__ = ["DownstreamFit", "ModelPrediction", "far_notes", "predict_model"]


@methods_checked()
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
        source: Where they came from; of a selection (``where``, ``--where``), how many
            of the source's runs it holds, as a fit's :attr:`~scalinglab.FitResult.source`
            says it (``"evals.csv (31 of its 95 runs selected, 10.6M-412M params)"``).
        extrapolation: The loss law's extrapolation error measured by rolling-origin
            backtests on the fitted runs, and the models' range (:meth:`distance`); without
            a bootstrap the range only (nothing measured; ``None`` in files written before
            it was recorded). Where calibrated it widens the loss the accuracy laws read,
            and so every task's interval.
        notes: How the loss law was chosen, its extrapolation error, the backtest on the
            fitted sizes, in words; never a warning (:attr:`warnings` holds those).
        average: The average accuracy over the predictable tasks, or over the tasks named
            (``average_of``, ``--average-of``), as the mean of their predictions or fitted
            as a target of its own (:mod:`~scalinglab.downstream._average`; its
            ``members`` are the tasks averaged); ``None`` with fewer than two such tasks.
            :meth:`predict` gives it under the name ``"average"``.
        average_chosen: How :attr:`average`'s members were chosen: ``"named"`` (the user
            listed them) or ``"predictable"`` (the chain's predictable tasks).
        loss_delta: Huber's delta the loss law was fitted with (:func:`chain_delta`).
        flops_convention: How the fitted models counted FLOPs, read off their numbers as a
            loss-law fit reads its runs' (:attr:`FitResult.flops_convention
            <scalinglab.FitResult.flops_convention>`): a plan's compute is counted by it.
            ``None`` in files written before it was recorded (6·N·D, as they planned).
        where: The text values the models were selected by (``{"dataset": "c4"}``:
            ``read_evals(..., where=...)``, :meth:`Evals.where`, ``--where``), as
            :attr:`FitResult.where <scalinglab.FitResult.where>`; ``{}`` for every model.
        warnings: Reasons not to trust the chain, one line each (as :attr:`FitResult.warnings
            <scalinglab.FitResult.warnings>`): models of several training corpora; with
            ``law="auto"``, a law the backtests could not tell from the chosen one that
            plans another N*; its loss law's diagnostics (``loss law: ...``); a backtest
            on the fitted sizes that rests on one or two held-out models.
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
    flops_convention: FlopsConvention | None = None
    where: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = field(default=())
    average_chosen: Literal["named", "predictable"] = "predictable"

    def __post_init__(self) -> None:  # tasks["nope"]: the tasks there are, not a KeyError
        if not isinstance(self.tasks, Keyed):
            object.__setattr__(self, "tasks", Keyed(self.tasks.items(), what="task"))

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.chain(self)

    def _repr_html_(self) -> str:  # a notebook: the table `downstream fit` prints
        from scalinglab.downstream._html_view import chain_html

        return chain_html(self)

    @property
    def predictable(self) -> tuple[str, ...]:
        """The tasks with a law to predict from."""
        return tuple(name for name, t in self.tasks.items() if t.predictable)

    def to_dict(self) -> dict[str, Any]:
        """The chain as :meth:`save` writes it.

        Returns:
            A JSON-ready dictionary, resamples included.
        """
        from scalinglab.downstream._io import chain_to_dict

        return chain_to_dict(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the chain as JSON (``load`` reads it back, resamples included).

        Args:
            path: The file to write.

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        from scalinglab.downstream._io import save_chain  # the JSON form lives there

        save_chain(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DownstreamFit:
        """Read a chain written by :meth:`save`.

        Args:
            path: The file :meth:`save` wrote.

        Returns:
            The chain, as it was saved.
        """
        from scalinglab.downstream._io import load_chain

        return load_chain(path)

    def distance(self, *, params: float, tokens: float) -> float:
        """Decades outside the fitted models at ``(params, tokens)``: beyond the largest or
        below the smallest in N, D, N·D or tokens per parameter D/N, as
        :meth:`FitResult.distance` (0 inside; NaN for a chain read from a file that did not
        record the models' range).

        Args:
            params: The model's parameters N.
            tokens: Its training tokens D.

        Returns:
            The distance in decades: 0 inside the fitted models, NaN without their range.
        """
        ex = self.extrapolation
        if ex is None:
            return math.nan
        return float(reported_distance(ex, self._symbols(params, tokens)).reshape(-1)[0])

    def below(self, *, params: float, tokens: float) -> bool:
        """Whether :meth:`distance` at ``(params, tokens)`` is down, below the smallest
        fitted models rather than beyond the largest (as :attr:`Allocation.below
        <scalinglab.plan.Allocation.below>`); ``False`` without the models' range.

        Args:
            params: The model's parameters N.
            tokens: Its training tokens D.

        Returns:
            True if the model lies below the smallest fitted ones.
        """
        ex = self.extrapolation
        if ex is None:
            return False
        return bool(np.ravel(below_runs(ex, self._symbols(params, tokens)))[0])

    def _symbols(self, params: float, tokens: float) -> dict[str, np.ndarray]:
        """One model by the loss law's symbols (N and D, as it reads them)."""
        n, d = one_size(params, tokens)  # "7B" read; a list or a negative size refused
        return scale_inputs(self.loss_step.law, np.array([n]), np.array([d]))

    def predict(
        self,
        *,
        params: float | str | None = None,
        tokens: float | str | None = None,
        level: float | None = None,
        **unknown: object,
    ) -> TaskPredictions:
        """Accuracy of every task (and of :attr:`average`, as ``"average"``) for a model of
        ``params`` trained on ``tokens``.

        The interval is for one new model: each resample's chain (loss law, then the task's
        law, both from the same resampled models) plus draws of each step's residual noise,
        of the loss law's measured extrapolation error (:attr:`extrapolation`) and of the
        task's, from the backtest on the fitted sizes (:attr:`TaskFit.extra_noise`).

        A model outside the fitted ones (:meth:`distance`) is said in each predicted task's
        ``notes``, or past 1 decade in its ``warning``, as ``downstream predict`` says it
        (:func:`far_notes`). The mapping's ``to_dict()`` is what ``downstream predict --json``
        prints for the model.

        Args:
            params: The model's parameters N (``7e9`` or ``"7B"``); required.
            tokens: Its training tokens D (``2e12`` or ``"2T"``); required.
            level: Coverage of the intervals; defaults to :attr:`level`.
            **unknown: Any other keyword is refused, with the nearest one it takes.

        Returns:
            Task name -> its prediction (accuracy and interval, notes), ``"average"`` too.

        Raises:
            ConfigError: A keyword it does not take (with the nearest one it does), a size
                or token count that is not one positive number, a bad ``level``.
        """
        check_keywords(unknown, ("params", "tokens", "level"), call="DownstreamFit.predict")
        if params is None or tokens is None:  # N=, D= would have been refused above
            raise ConfigError(
                "DownstreamFit.predict needs params= and tokens=",
                hint="e.g. chain.predict(params='7B', tokens='2T')",
            )
        model = predict_model(self, params=params, tokens=tokens, level=level)
        n, d = (one_model(v, k) for k, v in (("params", params), ("tokens", tokens)))
        return TaskPredictions(self, model, params=n, tokens=d)


@dataclass(frozen=True)
class ModelPrediction:
    """One model's prediction as ``downstream predict`` and the report's prediction section
    give it.

    Attributes:
        tasks: Each task's prediction, and the average's as ``"average"``.
        distance: Decades outside the fitted models (:meth:`DownstreamFit.distance`).
        below: Whether that distance is down, below the smallest fitted models, rather than
            beyond the largest (:meth:`DownstreamFit.below`, as a prediction's ``below``).
        notes: Why the intervals are unbounded at this level (past what the loss law's
            backtests calibrate), how far the model is and what the intervals hold of it
            (:func:`far_notes`).
        warnings: The same past the far threshold, and the average's own warning.
    """

    tasks: dict[str, TaskPrediction]
    distance: float
    notes: list[str]
    warnings: list[str]
    below: bool = False


def predict_model(
    chain: DownstreamFit,
    *,
    params: float | str,
    tokens: float | str,
    level: float | None = None,
) -> ModelPrediction:
    """Every task's accuracy for one model, how far it lies outside the fitted models, and
    the notes and warnings on it: one reading for :meth:`DownstreamFit.predict`,
    ``downstream predict`` and the report.

    Each predicted task carries the distance's note or warning too (a refused task has no
    number to qualify); the model's own lists say each once, for a caller that prints them.
    """
    tasks = predict_tasks(chain, params=params, tokens=tokens, level=level)
    n, d = (one_model(v, k) for k, v in (("params", params), ("tokens", tokens)))
    far = chain.distance(params=n, tokens=d)
    said, warned = far_notes(chain, far, at=chain._symbols(n, d))
    # the loss law's unbounded interval, said once (each task's prediction holds it too)
    notes = list(dict.fromkeys(t for p in tasks.values() for t in p.notes)) + said
    average = tasks.get("average") if chain.average is not None else None
    warnings = warned + (list(average.warnings) if average is not None else [])
    tasks = {k: p if p.reason else _with_far(p, said, warned) for k, p in tasks.items()}
    down = chain.below(params=n, tokens=d)
    return ModelPrediction(tasks, far, notes, warnings, below=down)


def _with_far(p: TaskPrediction, notes: list[str], warnings: list[str]) -> TaskPrediction:
    """``p`` with the distance's notes after its own, and its warnings after its own (the
    average's: :attr:`TaskPrediction.warnings`)."""
    return replace(p, notes=(*p.notes, *notes), warnings=(*p.warnings, *warnings))
