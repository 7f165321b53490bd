"""Chains from (N, D) to task accuracy: a loss law, then one accuracy law per task.

::

    chain = fit_downstream(evals, tasks=["hellaswag"], bootstrap=1000)
    chain.predict(params=7e9, tokens=2e12)["hellaswag"]     # accuracy, 90% interval

Step 1 fits a catalog law of (N, D) (Chinchilla by default, or the over-training law) to the
loss the chain goes through; step 2 fits each task's accuracy against that loss. One set of
bootstrap weights over models serves both steps, so the interval of a prediction carries
the uncertainty of both fits, plus the run-to-run noise of each step.
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError, DataError
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._laws import downstream_law
from scalinglab.downstream._refit import Step, fit_step, resample_weights, scale_inputs
from scalinglab.fit._objective import Array
from scalinglab.laws import Law, get_law

__all__ = ["DownstreamFit", "TaskFit", "TaskPrediction", "fit_downstream"]

#: A task whose best fitted run beats chance by less than this is "at chance".
CHANCE_MARGIN = 0.02
#: Fewest (resample, noise) draws behind an interval.
_DRAWS = 4000


@dataclass(frozen=True)
class TaskFit:
    """One task's accuracy law, or why the task cannot be predicted.

    Attributes:
        task: The task's name.
        chance: Its random-chance accuracy (NaN when unknown).
        step: The fitted law of accuracy (or error) against loss; ``None`` when not fitted.
        reason: Empty for a predictable task; otherwise why it is "not predictable from
            these runs".
    """

    task: str
    chance: float
    step: Step | None
    reason: str = ""

    @property
    def predictable(self) -> bool:
        return self.step is not None and not self.reason


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
    """

    task: str
    accuracy: float
    lower: float
    upper: float
    level: float
    loss: float
    reason: str = ""


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
    """

    loss_step: Step
    tasks: Mapping[str, TaskFit]
    via: str
    level: float
    n_bootstrap: int
    seed: int
    runs: tuple[str, ...]
    source: str

    @property
    def predictable(self) -> tuple[str, ...]:
        """The tasks with a law to predict from."""
        return tuple(name for name, t in self.tasks.items() if t.predictable)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the chain as JSON (``load`` reads it back, resamples included)."""
        from scalinglab.downstream._io import save_chain

        save_chain(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DownstreamFit:
        """Read a chain written by :meth:`save`."""
        from scalinglab.downstream._io import load_chain

        return load_chain(path)

    def predict(
        self, *, params: float, tokens: float, level: float | None = None
    ) -> dict[str, TaskPrediction]:
        """Accuracy of every task for a model of ``params`` trained on ``tokens``.

        The interval is for one new model: each resample's chain (loss law, then the task's
        law, both from the same resampled models) plus draws of each step's residual noise.
        """
        level = self.level if level is None else level
        if not 0 < level < 1:
            raise ConfigError(f"level must be between 0 and 1, got {level}")
        if not (params > 0 and tokens > 0 and math.isfinite(params * tokens)):
            raise ConfigError(f"params and tokens must be positive, got {params}, {tokens}")
        nd = scale_inputs(self.loss_step.law, np.array([params]), np.array([tokens]))
        loss = float(self.loss_step.evaluate(self.loss_step.theta, nd)[0])
        rng = np.random.default_rng(self.seed)
        samples = self.loss_step.samples
        per = max(1, math.ceil(_DRAWS / max(len(samples), 1)))
        loss_draws = None
        if len(samples):
            raw = self.loss_step.evaluate(samples, nd)[:, 0]
            z = rng.standard_normal((len(raw), per))
            loss_draws = self.loss_step.with_noise(raw[:, None], z)
        q = [50 * (1 - level), 50 * (1 + level)]
        out = {}
        for name, task in self.tasks.items():
            if not task.predictable or task.step is None:
                out[name] = TaskPrediction(
                    name, math.nan, math.nan, math.nan, level, loss, task.reason
                )
                continue
            step = task.step
            point = _accuracy(step, step.evaluate(step.theta, {"L": np.array([loss])})[0])
            lo = hi = math.nan
            if loss_draws is not None and len(step.samples) == len(loss_draws):
                draws = step.law.rows(step.samples, loss_draws)  # type: ignore[attr-defined]
                # each task's own stream: its interval does not depend on which other
                # tasks were fitted or in what order
                z = np.random.default_rng([self.seed, zlib.crc32(name.encode())]).standard_normal(
                    draws.shape
                )
                acc = _accuracy(step, step.with_noise(draws, z)).ravel()
                acc = acc[np.isfinite(acc)]
                if len(acc):
                    lo, hi = (float(v) for v in np.percentile(acc, q))
            out[name] = TaskPrediction(name, float(point), lo, hi, level, loss)
        return out


def fit_downstream(
    evals: Evals,
    *,
    tasks: Sequence[str] | None = None,
    law: str | Law = "chinchilla",
    task_law: str = "sigmoid",
    bootstrap: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    margin: float = CHANCE_MARGIN,
) -> DownstreamFit:
    """Fit the chain (N, D) → loss → accuracy for each task.

    Args:
        evals: The runs and their accuracies (:func:`read_evals`); their ``loss`` column is
            the loss the chain goes through.
        tasks: Tasks to fit (default: all of them).
        law: The law of (N, D) for the loss: any catalog law (``"chinchilla"``,
            ``"overtraining"``) or formula.
        task_law: ``"sigmoid"`` (Bhagia et al. 2024) or ``"exp-error"`` (Gadre et al. 2024).
        bootstrap: Resamples of the models, shared by both steps (0 for none).
        level: Coverage of the intervals.
        seed: Seed; same seed, same result.
        margin: A task whose best run beats chance by less than this is at chance.

    Raises:
        ConfigError: An unknown task or law, a bad option.
        DataError: Too few models for the chain, a chance level above every accuracy.
    """
    if bootstrap < 0:
        raise ConfigError(f"bootstrap must be >= 0, got {bootstrap}")
    if not 0 < level < 1:
        raise ConfigError(f"level must be between 0 and 1, got {level}")
    names = [evals.task(t) for t in (tasks or evals.tasks)]
    table = evals.runs
    loss_law = get_law(law)
    accuracy_law = downstream_law(task_law, column="loss")
    need = len(loss_law.params) + len(accuracy_law.params) + 1
    if len(table) < need:
        raise DataError(
            f"{len(table)} models are too few for the chain: law {loss_law.name!r} "
            f"({len(loss_law.params)} parameters) and {task_law!r} (up to "
            f"{len(accuracy_law.params)}) need at least {need} models",
            source=evals.source,
            hint="add models, or use laws with fewer parameters",
        )
    data = scale_inputs(loss_law, table["params"], table["tokens"])
    weights = resample_weights(len(table), bootstrap, seed) if bootstrap else None
    loss_step = fit_step(loss_law, data, table["loss"], space="log", delta=1e-3, weights=weights)
    fits = {}
    for name in names:
        fits[name] = _fit_task(evals, name, task_law, weights, margin)
    return DownstreamFit(
        loss_step, fits, evals.via, level, bootstrap, seed, table.runs, evals.source
    )


def _fit_task(
    evals: Evals, task: str, task_law: str, weights: Array | None, margin: float
) -> TaskFit:
    acc = evals.accuracy(task)
    chance = float(evals.chance.get(task, math.nan))
    use = np.isfinite(acc)
    seen = acc[use]
    floor = chance if math.isfinite(chance) else float(np.min(seen))
    if math.isfinite(chance) and np.all(seen < chance - margin):
        raise DataError(
            f"task {task!r}: chance level {chance:g} is above every accuracy "
            f"(best {np.max(seen):.3f})",
            source=evals.source,
            column=evals.columns[task],
            hint="check the chance level (a fraction, not percent) or the task's metric",
        )
    if float(np.max(seen)) - floor < margin:
        what = f"chance {chance:.3f}" if math.isfinite(chance) else "the worst run"
        return TaskFit(
            task, chance, None, f"at chance in every fitted run: best {np.max(seen):.3f} vs {what}"
        )
    law = downstream_law(
        task_law, column="loss", chance=chance if task_law == "sigmoid" else math.nan
    )
    target = 1.0 - acc if getattr(law, "target", "") == "error" else acc
    loss = evals.runs["loss"]
    verdicts: dict[str, str] = {}

    def judge(step: Step) -> bool:
        verdicts["reason"] = _verdict(step, loss[use], margin)
        return not verdicts["reason"]

    step = fit_step(
        law,
        {"L": loss},
        np.where(use, target, 0.0),
        space="linear",
        delta=0.02,
        weights=weights,
        mask=use,
        bootstrap_if=judge,
    )
    return TaskFit(task, chance, step, verdicts.get("reason", _verdict(step, loss[use], margin)))


def _verdict(step: Step, loss: Array, margin: float) -> str:
    """Why a fitted task cannot be predicted, or ``""``."""
    if step.status != "converged":
        return "the fit did not converge"
    ends = step.evaluate(step.theta, {"L": np.array([loss.min(), loss.max()])})
    span = _accuracy(step, ends)
    rise = float(span[0] - span[1])
    if rise < 2 * step.noise or rise < margin:
        return (
            f"flat: the fit moves {100 * rise:.1f} points across the fitted runs, within "
            f"their noise ({100 * step.noise:.1f} points)"
        )
    return ""


def _accuracy(step: Step, values: Array) -> Array:
    out = np.asarray(values, dtype=np.float64)
    return 1.0 - out if getattr(step.law, "target", "") == "error" else out
