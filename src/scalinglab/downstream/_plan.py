"""Compute for a benchmark score: invert the chain, accuracy -> loss -> compute, with the
interval of one model's prediction band.

The point estimate is the best fit's: the task's law gives the loss at which its *expected*
accuracy reaches the target (for an average taken as the mean of its tasks' predictions, the
loss at which the mean of their laws does, by bisection: each law falls with the loss, so their
mean does), and the loss law's compute-optimal path (:mod:`._plan_path`, ``scalinglab plan``'s
optimum, budgets counted as plan counts them) the least compute whose loss reaches it, by
bisection in ``log C`` over ``[1e6, 1e50]`` FLOPs.

A target score is met by one model, not by the laws' mean, so the compute's interval is the
inverse of one model's prediction band (:meth:`DownstreamFit.predict`, the interval ``downstream
predict`` prints: the chain's resamples, both steps' run-to-run noise and the loss law's
measured extrapolation error) along that path, as ``plan --target-loss`` inverts a fit's
(:mod:`scalinglab.plan._invert`, one routine for both): accuracy rises with compute, so the
lower end is where the band's *upper* bound reaches the target (a share ``(1 - level)/2`` of
models would score it there), the upper end where its *lower* bound does. ``params``,
``tokens`` and ``loss`` take the path's values at those ends (``"path-at-compute-ends"``, in
a loss plan's words). The loss for a target accuracy: :mod:`._accuracy_loss`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_g
from scalinglab._keywords import keywords_checked
from scalinglab.downstream._accuracy_loss import accuracy_range, loss_for
from scalinglab.downstream._accuracy_plan import AccuracyPlan
from scalinglab.downstream._average import AVERAGE
from scalinglab.downstream._chain_predict import predict_tasks, unbounded_note
from scalinglab.downstream._interval_kind import interval_kind
from scalinglab.downstream._no_average import no_average
from scalinglab.downstream._plan_path import Path
from scalinglab.downstream._result import DownstreamFit
from scalinglab.downstream._task_names import suite_note, suite_task
from scalinglab.downstream._task_table import not_predictable
from scalinglab.plan._inverse import past_measured_notes
from scalinglab.plan._invert import Crossings, flops_text, invert_band
from scalinglab.plan._search import C_MAX, C_MIN, bisect_compute
from scalinglab.plan._source import planned_flops

__all__ = ["AccuracyPlan", "plan_accuracy", "plan_for_accuracy"]

#: :attr:`AccuracyPlan.loss_interval_kind` and ``allocation_interval_kind`` with intervals:
#: the best fit's compute-optimal path at the compute interval's two ends.
PATH = "path-at-compute-ends"
_NAN3 = (math.nan, math.nan, math.nan)


@keywords_checked("scalinglab.plan_for_accuracy")
def plan_for_accuracy(
    chain: DownstreamFit, task: str, target: float, *, level: float | None = None
) -> AccuracyPlan:
    """The compute-optimal (N, D) at which ``task`` is expected to reach ``target`` accuracy,
    and the interval of the compute one model needs to score it (:class:`AccuracyPlan`).

    Args:
        chain: The fitted chain (:func:`fit_downstream`); the plan follows its loss law's
            compute-optimal path.
        task: One of its predictable tasks, or ``"average"`` for its average
            (:attr:`DownstreamFit.average`).
        target: The accuracy to reach, a fraction (``0.75``, not ``75``), between chance
            and the ceiling of the task's law.
        level: Coverage of the intervals (default: the chain's); none are drawn when the
            chain was fitted without a bootstrap.

    Returns:
        An :class:`~scalinglab.downstream.AccuracyPlan`: the least compute (``.flops``)
        at which the task's expected accuracy reaches ``target``, and the compute-optimal
        ``.params``, ``.tokens`` and ``.loss`` there, each a ``(value, lower, upper)`` tuple.

    Raises:
        ConfigError: A ``chain`` that is no :class:`DownstreamFit` (a path: load it first),
            an unknown task (the nearest is named) or an unpredictable one, ``"average"``
            of a chain without one, a target that is no number or outside what its law
            reaches (between chance and its ceiling; one in percent says so), one the best
            fit reaches with less than 1e6 FLOPs, or a ``level`` outside (0, 1).

    Examples:
        >>> import numpy as np, scalinglab
        >>> frame = scalinglab.simulated_runs().to_pandas()
        >>> frame["acc_task"] = 0.25 + 0.6 / (1 + np.exp(3 * (frame["loss"] - 2.9)))
        >>> evals = scalinglab.read_evals(frame, chance={"task": 0.25})
        >>> chain = scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=0)
        >>> plan = scalinglab.plan_for_accuracy(chain, "task", 0.7)
        >>> f"C = {plan.flops[0]:.1e} FLOPs, N = {plan.params[0]:.1e}"
        'C = 1.7e+20 FLOPs, N = 7.7e+08'
    """
    return plan_accuracy(chain, task, target, level=level)


def plan_accuracy(
    chain: DownstreamFit,
    task: str,
    target: float,
    *,
    level: float | None = None,
    option: bool = False,
) -> AccuracyPlan:
    """:func:`plan_for_accuracy`, its hints in the words of the call that asked: ``target=``
    in Python, ``--target-accuracy TASK=ACC`` with ``option`` (``downstream plan``, ``plan
    --target-accuracy``).

    Raises:
        ConfigError: As :func:`plan_for_accuracy`.
    """
    if not isinstance(chain, DownstreamFit):  # a saved chain's path, a law's fit
        raise ConfigError(
            "scalinglab.plan_for_accuracy plans from a downstream chain "
            f"(scalinglab.fit_downstream), got {type(chain).__name__}"
            + (f" {chain!r}" if isinstance(chain, str) else ""),
            hint="fit one, chain = scalinglab.fit_downstream(evals), or load a saved one: "
            "scalinglab.DownstreamFit.load('ds.json')",
        )
    given: object = target  # target='a' from Python: no number to compare
    if isinstance(given, bool) or not isinstance(given, numbers.Real):
        raise ConfigError(
            f"target accuracy must be a number, got {type(target).__name__} {target!r}",
            hint="an accuracy is a fraction, e.g. 0.6 for 60%",
        )
    level = check_level(chain.level if level is None else level)
    targets = dict(chain.tasks) | ({} if chain.average is None else {AVERAGE: chain.average})
    asked = task  # hellaswag: the one suite name holding it, harness|hellaswag|10, noted
    if task == AVERAGE and task not in targets:  # not a typo: the chain has none
        raise no_average(chain)
    task = task if task in targets else suite_task(task, list(targets), source="the chain")
    said = tuple(suite_note([asked], [task]))
    fitted = targets[task]
    if not fitted.predictable:
        fine = [t for t, f in targets.items() if f.predictable]
        raise ConfigError(
            f"task {task!r} is {not_predictable(fitted.reason)}",
            hint=(f"plan a predictable task ({', '.join(fine)}), or " if fine else "")
            + (
                "fit the chain again with larger models, where this task leaves chance"
                if "chance" in fitted.reason
                else "fit the chain again with more models, or accept a larger backtest miss "
                "(--max-backtest-error, max_backtest_error=)"
                if "backtest" in fitted.reason
                else "fit the chain again with more models"
            ),
        )
    # the laws whose mean is the target: the task's own, or an average's tasks'
    steps = (
        [fitted.step] if fitted.step is not None else [chain.tasks[t].step for t in fitted.members]
    )
    laws = [s for s in steps if s is not None]
    ranges = [accuracy_range(s, s.theta[None, :]) for s in laws]
    floor, ceiling = (float(np.mean([r[k][0] for r in ranges])) for k in (0, 1))
    top = min(ceiling, 1.0)
    if 1 < target <= 100 and floor < target / 100 < top:  # in percent, as tables print them
        meant = f"--target-accuracy {task}=" if option else "target="  # the asker's words
        raise ConfigError(
            f"target accuracy {format_g(target)} for {task!r} is above 1: accuracies are fractions",
            hint=fraction_meant(target, meant),
        )
    if not floor < target < top:  # past 100%: a law past its domain
        # a law past 100% at zero loss (exp-error) reaches 100% at a positive loss: say which
        at = loss_for(laws, [s.theta[None, :] for s in laws], 1.0)[0] if ceiling > 1 else 0.0
        reach = "zero loss" if not at > 0 else f"loss {at:.3f}"
        raise ConfigError(
            f"target accuracy {format_g(target)} for {task!r} is outside what its law reaches "
            f"({max(floor, 0.0):.3f} at high loss to {top:.3f} at {reach})",
            hint="choose a target between them"
            + (" (an accuracy is a fraction: 0.75, not 75)" if target > 1 else ""),
        )
    loss = float(loss_for(laws, [s.theta[None, :] for s in laws], target)[0])
    path = Path(chain.loss_step, flops=planned_flops(chain, chain.loss_step.law))  # as `plan`
    found, _, below = bisect_compute(path.loss, loss, 1, prefetch=path.prefetch)
    log_c = float(found[0])
    if below[0]:
        raise ConfigError(
            f"target accuracy {format_g(target)} for {task!r} is expected already at {format_g(C_MIN, 1)} FLOPs, "
            f"the least compute searched (its loss {loss:.3f} or less is reached there)",
            hint="choose a higher target",
        )
    if not math.isfinite(log_c):
        whose = "the mean of its tasks' laws" if len(laws) > 1 else "its law"
        reach = (
            f"{task}: the loss law does not reach loss {loss:.3f} (where {whose} gives "
            f"{format_g(target)}) below {flops_text(C_MAX)} FLOPs: its loss levels off above it"
        )
        return AccuracyPlan(task, target, level, (loss, math.nan, math.nan), _NAN3, _NAN3,
                            _NAN3, notes=(*said, reach), flops_rule=path.flops.planned())  # fmt: skip
    n, d, _ = path.at(log_c)
    point = (loss, math.exp(log_c), n, d)
    model = {"params": path.model(log_c)[0], "tokens": path.model(log_c)[1]}
    far, down = chain.distance(**model), chain.below(**model)
    kind = interval_kind(chain)
    if kind == "none":
        bounds = [(math.nan, math.nan)] * 4
        notes: tuple[str, ...] = ()
    else:
        bounds, notes = _interval(chain, path, task, target, log_c, level, kind)
    loss_, flops, params, tokens = ((v, *b) for v, b in zip(point, bounds, strict=True))
    if path.alone is not None:
        notes += (
            f"{task}: params and tokens are not determined: the loss law {chain.loss_step.law.name} "
            "is a law of compute alone, L(C), which ties the loss to the compute but not the "
            "compute to parameters and tokens; fit the chain with a law in params and tokens "
            "for an allocation (--law chinchilla)",
        )
    # loss, N and D at the compute ends: the path's there (PATH), in the loss plan's words
    ends = "none" if kind == "none" else PATH
    return AccuracyPlan(task, target, level, loss_, flops, params, tokens, notes=(*said, *notes),
                        distance=far, below=down, flops_interval_kind=kind, loss_interval_kind=ends,
                        allocation_interval_kind="none" if path.alone is not None else ends,
                        flops_rule=path.flops.planned())  # fmt: skip


def _interval(
    chain: DownstreamFit, path: Path, task: str, target: float, log_c: float, level: float,
    kind: str,
) -> tuple[list[tuple[float, float]], tuple[str, ...]]:  # fmt: skip
    """The ``(lower, upper)`` of loss, compute, params and tokens: the chain's prediction band
    for ``task`` inverted along ``path``, with the notes it gives (each naming the task)."""

    def band(x: float) -> tuple[float, float]:
        params, tokens = path.model(x)
        # this task alone: its band is the one chain.predict gives, without the others'
        p = predict_tasks(chain, params=params, tokens=tokens, level=level, only=task)[task]
        return p.lower, p.upper

    ex = chain.extrapolation
    unbounded = unbounded_note(None if ex is None else ex.level_note(level))
    if unbounded is not None:  # the band is [floor, 1] at every compute: nothing to invert
        (lo, hi), notes = (0.0, math.inf), [f"{unbounded}; so the compute interval has no ends"]
        log_ends = (math.nan, math.nan)  # neither is read: 0 and inf have no point on the path
    else:
        ends: Crossings = invert_band(
            band, target=target, log_c=log_c, falling=False, quantity="accuracy",
            prefetch=path.prefetch,
        )  # fmt: skip
        (lo, hi), notes, log_ends = ends.compute, list(ends.notes), (ends.lower, ends.upper)
        if not math.isnan(ends.upper):
            at = path.symbols_at(ends.upper)
            notes += past_measured_notes(
                ex, kind, at, runs="the fitted models", whose="the loss law's"
            )
    n_lo, d_lo, loss_lo = (0.0, 0.0, math.inf) if lo == 0 else path.at(log_ends[0])
    if math.isinf(hi):
        n_hi, d_hi, loss_hi = math.inf, math.inf, path.at(math.log(C_MAX))[2]
    else:
        n_hi, d_hi, loss_hi = path.at(log_ends[1])
    if path.alone is not None:  # no allocation: N and D stay NaN
        n_lo = d_lo = n_hi = d_hi = math.nan
    # loss falls as compute grows: the upper compute end has the lower loss
    bounds = [(loss_hi, loss_lo), (lo, hi), (n_lo, n_hi), (d_lo, d_hi)]
    return bounds, tuple(f"{task}: {n}" for n in notes)


def fraction_meant(percent: float, asked: str) -> str:
    """``"did you mean 0.75? (target=0.75)"``: the hint to an accuracy given in percent, the
    fraction meant written bare as it is typed (a value, not a name) after ``asked``, the
    asker's words (``--target-accuracy hellaswag=`` or ``target=``)."""
    return f"did you mean {format_g(percent / 100)}? ({asked}{format_g(percent / 100)})"
