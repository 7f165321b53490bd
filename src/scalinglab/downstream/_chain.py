"""Chains from (N, D) to task accuracy: a loss law, then one accuracy law per task.

::

    chain = fit_downstream(evals, tasks=["hellaswag"], bootstrap=1000)
    chain.predict(params=7e9, tokens=2e12)["hellaswag"]     # accuracy, 90% interval

Step 1 fits a law of (N, D) to the loss the chain goes through: by default the catalog law that
backtests best on these runs (``--law auto``: Chinchilla, the over-training law, ...), with its
extrapolation error measured as ``scalinglab fit`` measures it; step 2 fits each task's accuracy
against that loss. One set of bootstrap weights over models serves both steps, so the interval of a
prediction carries the uncertainty of both fits, the run-to-run noise of each step and the loss
law's measured extrapolation error. A backtest on the fitted sizes (hold out the largest, fit below
it) refuses the tasks that do not extrapolate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data._training_data import mixed_training_data
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._average import backtest_average, fit_average
from scalinglab.downstream._chain_checks import check_chain
from scalinglab.downstream._chain_predict import TaskPrediction
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._frames import named_tasks
from scalinglab.downstream._loss_unsettled import settled
from scalinglab.downstream._refit import resample_weights, scale_inputs
from scalinglab.downstream._result import DownstreamFit
from scalinglab.downstream._screen import DEFAULT_MAX_ERROR, backtest_sizes
from scalinglab.downstream._task import (
    CHANCE_MARGIN,
    TaskFit,
    bootstrap_task,
    fit_task_point,
)
from scalinglab.downstream._task_names import suite_note
from scalinglab.fit._columns import data_conventions, runs_flops
from scalinglab.fit._extrapolation import unmeasured
from scalinglab.laws import Law

__all__ = ["DownstreamFit", "TaskFit", "TaskPrediction", "fit_downstream"]

#: The mark of a warning among the evaluations' notes (``Evals.notes``).
_WARNING = "warning: "


@keywords_checked("scalinglab.fit_downstream")
def fit_downstream(
    evals: Evals,
    *,
    tasks: Sequence[str] | str | None = None,
    law: str | Law = link.AUTO,
    task_law: str = "sigmoid",
    bootstrap: int = DOWNSTREAM_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    margin: float = CHANCE_MARGIN,
    max_backtest_error: float | None = DEFAULT_MAX_ERROR,
    average_of: Sequence[str] | None = None,
    average_law: str = "mean",
    progress: Progress | bool | None = None,
) -> DownstreamFit:
    """Fit the chain (N, D) → loss → accuracy for each task.

    Args:
        evals: The runs and their accuracies (:func:`read_evals`); their ``loss`` column is
            the loss the chain goes through.
        tasks: Tasks to fit: names, or one string as ``--tasks`` takes it (``"hellaswag"``,
            ``"hellaswag,piqa"``); default (or ``"all"``): all of them, and a task whose
            chance level is above all its accuracies is then refused with the reason
            instead of raising.
        law: The law of (N, D) for the loss: ``"auto"`` (the catalog law that backtests
            best on these runs, as ``scalinglab fit --law auto``), any catalog law
            (``"chinchilla"``, ``"overtraining"``) or formula.
        task_law: ``"sigmoid"`` (Bhagia et al. 2024) or ``"exp-error"`` (Gadre et al. 2024).
        bootstrap: Resamples of the models, shared by both steps (0 for none), refitted
            for the loss law and the predictable tasks (a refused task keeps its best fit
            only). With a bootstrap the loss law's extrapolation error is measured too and
            carried into the intervals.
        level: Coverage of the intervals.
        seed: Seed; same seed, same result.
        margin: A task whose best run beats chance by less than this is at chance.
        max_backtest_error: Hold out the largest fitted size, fit below it, and refuse
            every task that misses it by more than this on average (accuracy units;
            ``0.03`` = 3 points) or cannot be fitted below it; ``None`` or infinity: no
            such backtest.
        average_of: Tasks averaged as :attr:`DownstreamFit.average` (default: the
            predictable tasks).
        average_law: How the average is predicted: ``"mean"``, the mean of its tasks'
            predictions (each must be predictable; it stays between them), or
            ``"exp-error"``, their mean accuracy fitted as one target by Gadre et al.'s law
            (less noisy, and its tasks need not be predictable each, but it can leave its
            tasks' range far from the data; see :mod:`~scalinglab.downstream._average`).
        progress: Called as ``progress(stage, done, total)`` as the chain is fitted: stage
            ``"loss law"`` (its steps: the choice with ``"auto"``, the fit, the measurement
            of its extrapolation error), ``"loss bootstrap"`` (its resamples solved),
            ``"tasks"`` (point fits), the same stages prefixed ``"backtest "`` for the chain
            below the largest size, and ``"task bootstraps"`` (the tasks whose resamples
            are fitted, counted in tasks); ``True`` prints a line per stage on stderr.

    Returns:
        A :class:`DownstreamFit`: the loss law (``.loss_step``) and each task's accuracy
        law (``.tasks``), the tasks declared unpredictable with their reasons;
        ``.predict(params=..., tokens=...)`` gives each task's accuracy with an interval.

    Raises:
        ConfigError: ``evals`` not read by :func:`read_evals` (a DataFrame), an unknown
            task or ``task_law`` (the nearest is named), a bad option (``level=90``,
            ``bootstrap=-1``).
        FormulaError: An unknown ``law`` name or a formula that cannot be parsed.
        DataError: Too few models for the chain, a chance level above every accuracy of a
            task named in ``tasks``.

    Examples:
        >>> import numpy as np, scalinglab
        >>> frame = scalinglab.simulated_runs().to_pandas()
        >>> frame["acc_task"] = 0.25 + 0.6 / (1 + np.exp(3 * (frame["loss"] - 2.9)))
        >>> evals = scalinglab.read_evals(frame, chance={"task": 0.25})
        >>> chain = scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=0)
        >>> round(chain.predict(params=1e10, tokens=2e11)["task"].accuracy, 2)
        0.79
    """
    # the options, the loss column and the models' count: refused before any fit
    accuracy_law = check_chain(
        evals, law=law, task_law=task_law, bootstrap=bootstrap, level=level,
        max_backtest_error=max_backtest_error, average_law=average_law, tasks=tasks,
        seed=seed, margin=margin,
    )  # fmt: skip
    report = resolve_progress(progress)  # True: a text line on stderr
    tasks = named_tasks(tasks)  # "hellaswag,piqa" and "all" as --tasks reads them
    names = [evals.task(t) for t in (tasks or evals.tasks)]
    average_of = named_tasks(
        average_of, what="average_of"
    )  # a string as tasks= reads one, never its letters
    averaged = None if average_of is None else [evals.task(t) for t in average_of]
    table = evals.runs
    # the loss law's steps: the choice (auto), the fit with its resamples, the measurement
    # of its extrapolation error (with a bootstrap)
    done, steps = 0, (law == link.AUTO) + 1 + (bootstrap > 0)

    def stepped() -> None:
        nonlocal done
        done += 1
        if report is not None:
            report("loss law", done, steps)

    choice = None  # with "auto": what was compared, and each candidate's delta
    if law == link.AUTO:
        choice = link.choose_loss(table, seed=seed)
        loss_law, delta, why = link.auto_law(*choice)
        stepped()
    else:
        loss_law, delta, why = link.loss_law(table, law, seed=seed)
    data = scale_inputs(loss_law, table["params"], table["tokens"])
    weights = resample_weights(len(table), bootstrap, seed) if bootstrap else None
    resampled = None if report is None else partial(report, "loss bootstrap")
    loss_step, delta = link.fit_loss(
        loss_law, data, table["loss"], weights, delta=delta, progress=resampled
    )
    stepped()
    # without a bootstrap nothing is measured, but the models' range still says how far a
    # prediction reaches beyond them (as a point fit's, `fit(..., bootstrap=0)`)
    error = unmeasured(data, "no bootstrap")
    if bootstrap:
        error = link.loss_error(loss_law, table, loss_step, delta=delta)
        stepped()
    # point fits first: resamples are spent on the tasks the chain goes on to predict only
    pending = {}
    # the models the chain is fitted on below the held-out ones: the backtest's band, and so
    # the models each task's evaluation noise at the largest size is read at
    need = len(loss_law.params) + len(accuracy_law.params) + 1
    for i, n in enumerate(names):
        pending[n] = fit_task_point(evals, n, task_law, margin, need=need, strict=tasks is not None)
        if report is not None:
            report("tasks", i + 1, len(names))
    fits = {name: p[0] for name, p in pending.items()}
    # what reading the evaluations decided, first; its warnings (sizes that look like
    # millions) are the chain's warnings, unmarked, so a saved chain keeps them as such
    read = [n for n in evals.notes if not n.startswith(_WARNING)]
    held = suite_note(tasks or evals.tasks, names)  # hellaswag: harness|hellaswag|10
    held += [] if averaged is None else suite_note(average_of or (), averaged)  # the same
    held = list(dict.fromkeys(held))  # a task asked for in both, noted once
    notes = [*read, *[n for n in held if n not in read], why, link.delta_note(delta, loss_step)]
    said = [n.removeprefix(_WARNING) for n in evals.notes if n.startswith(_WARNING)]
    warnings = list(dict.fromkeys([*said, *_mixed(evals)]))
    for name in names:
        missing = int(np.sum(~np.isfinite(evals.accuracy(name))))
        if 0 < missing < len(table):  # none at all is the task's verdict
            notes.append(
                f"{name}: {missing} of {len(table)} models have no score, left out of its fit "
                "and its backtest"
            )
    warnings += link.loss_warnings(loss_step, data, table["loss"], level=level)
    notes += link.loss_edges(loss_step, level=level)  # a span the seed would decide: no warning
    screen = None
    if bootstrap:
        notes.append(f"loss extrapolation error: {error.kind} ({error.reason})")
    if max_backtest_error is not None and math.isfinite(max_backtest_error):
        kept = tuple(n for n in names if fits[n].predictable)  # the others stay refused

        def below(part: Evals) -> DownstreamFit:  # the same chain (law choice too), no bootstrap
            # the tasks as the evaluations' own: a task at chance there is a verdict, not an error
            return fit_downstream(
                replace(part, tasks=kept), law=link.law_below(law, loss_law, part.runs, seed=seed),
                task_law=task_law,
                bootstrap=0, seed=seed, margin=margin, max_backtest_error=None,
                progress=None if report is None else partial(_below, report),
            )  # fmt: skip

        screen = backtest_sizes(
            evals,
            names,
            fit=below,
            need=need,
            max_error=max_backtest_error,
            noise={name: f.eval_noise for name, f in fits.items()},
            examples={name: f.examples for name, f in fits.items()},
        )
        notes.append(screen.note)
        warnings += [screen.warning] if screen.warning else []  # 1-2 models held out
        fits = {
            name: replace(
                f,
                reason=f.reason or screen.reasons[name],
                backtest_error=screen.errors[name],
                notes=tuple(n for n in (screen.task_notes.get(name, ""),) if n),
            )
            for name, f in fits.items()
        }
    for i, (name, f) in enumerate(list(fits.items())):
        fits[name] = bootstrap_task(f, pending[name][1], weights)
        if report is not None and weights is not None:
            report("task bootstraps", i + 1, len(fits))  # counts tasks, not resamples
    average = fit_average(
        evals, fits, weights, margin, need=need, members=averaged, law=average_law
    )
    if average is not None and screen is not None and max_backtest_error is not None:
        average = backtest_average(
            evals, average, screen, margin=margin, max_error=max_backtest_error
        )
    # of a selection, how many of the source's models it holds, as a fit's source says it
    source = table.describe_source() if table.selected_from else evals.source
    chain = DownstreamFit(
        loss_step, fits, evals.via, level, bootstrap, seed, table.runs, source,
        extrapolation=error, notes=tuple(notes), warnings=tuple(warnings), average=average,
        loss_delta=delta,
        # as `fit` reads its runs' FLOPs, in the N and D the loss law reads
        flops_convention=runs_flops(table, loss_law.variables, data_conventions(table).flops),
        where=dict(table.kept_where),  # --where, Evals.where: as FitResult.where records it
        average_chosen="predictable" if averaged is None else "named",
    )  # fmt: skip
    # "auto": a law the backtests could not tell from the chosen one may plan another N*
    return chain if choice is None else settled(chain, evals, *choice)


def _below(report: Progress, stage: str, done: int, total: int) -> None:
    """The backtest's chain's progress, its stages named as the backtest's."""
    report(f"backtest {stage}", done, total)


def _mixed(evals: Evals) -> list[str]:
    """A warning per training-data column whose models take several values."""
    return list(
        mixed_training_data(evals.runs.labels, runs="models", holds="a chain", python="Evals.where")
    )
