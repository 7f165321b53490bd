"""What :func:`~scalinglab.downstream.fit_downstream` is asked to do, checked before any work:
its options, the column the chain goes through, and enough models for its laws.

The command's page (``report --downstream``, ``downstream report``) runs the same checks before
it says it is fitting the chain, so a refused input is the only line it prints.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._errors import ConfigError, DataError, check_level, did_you_mean
from scalinglab._format import format_counted, format_g
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._average import AVERAGE_LAWS
from scalinglab.downstream._evals import Evals
from scalinglab.downstream._frames import named_tasks
from scalinglab.downstream._l2l_columns import not_a_loss
from scalinglab.downstream._laws import Sigmoid
from scalinglab.downstream._screen import DEFAULT_MAX_ERROR
from scalinglab.downstream._task import CHANCE_MARGIN
from scalinglab.downstream._task_law import accuracy_law as task_accuracy_law
from scalinglab.downstream._task_law import fewer_parameters
from scalinglab.fit._options import check_whole
from scalinglab.laws import Law, get_law

__all__ = ["auto_largest", "check_chain", "check_evals", "named_tasks", "not_a_loss"]


def check_chain(
    evals: Evals,
    *,
    law: str | Law = link.AUTO,
    task_law: str = "sigmoid",
    bootstrap: int = DOWNSTREAM_BOOTSTRAP,
    level: float = 0.9,
    max_backtest_error: float | None = DEFAULT_MAX_ERROR,
    average_law: str = "mean",
    tasks: Sequence[str] | str | None = None,
    seed: int = 0,
    margin: float = CHANCE_MARGIN,
) -> Law:
    """Refuse a chain :func:`~scalinglab.downstream.fit_downstream` cannot fit, as it would
    (same arguments), before any fit; return the task law of accuracy against loss, with
    the parameters the chain fits (the sigmoid's floor tied to chance where every task in
    ``tasks``, default all, has a known chance level).

    Raises:
        ConfigError: A bad option, an unknown law or task, or a chain through no loss.
        DataError: Too few models for the loss law and the task law together.
    """
    check_evals(evals, call="scalinglab.fit_downstream")
    check_whole("bootstrap", bootstrap, least=0, example=1000)
    check_whole("seed", seed, least=0, example=0)
    for name, value in (("margin", margin), ("max_backtest_error", max_backtest_error)):
        if name == "margin" or value is not None:
            check_fraction(name, value)
    if max_backtest_error is not None and 1 <= max_backtest_error < math.inf:
        raise ConfigError(
            f"max_backtest_error={format_g(max_backtest_error)} is in accuracy units: "
            f"{format_g(max_backtest_error)} would be {format_g(100 * max_backtest_error)} points",
            hint=f"for {format_g(max_backtest_error)} points write {format_g(max_backtest_error / 100)} "
            "(--max-backtest-error); inf turns the backtest off",
        )
    if evals.via.startswith("acc_") or evals.via in evals.columns.values():
        raise ConfigError(
            f"the chain goes through {evals.via!r}, a task's accuracy, not a loss",
            hint="choose a loss column: --via loss_... (loss= in read_evals)",
        )
    not_loss = not_a_loss(evals.via)
    if not_loss is not None:
        raise ConfigError(
            f"the chain goes through {evals.via!r}, {not_loss}, not a loss",
            hint="choose a loss column: --via loss_... (loss= in read_evals)",
        )
    check_level(level)
    if average_law not in AVERAGE_LAWS:  # before the fits: a typo costs no time
        raise ConfigError(
            f"unknown average law {average_law!r}{did_you_mean(average_law, AVERAGE_LAWS)}",
            hint="choose " + " or ".join(AVERAGE_LAWS),
        )
    accuracy_law = task_accuracy_law(  # loss-to-loss refused
        task_law, column="loss", chance=_known_chance(evals, tasks)
    )
    auto = isinstance(law, str) and law == link.AUTO
    loss = auto_largest() if auto else get_law(law)  # the law that may be fitted
    need = len(loss.params) + len(accuracy_law.params) + 1
    tied = isinstance(accuracy_law, Sigmoid) and accuracy_law.tied
    if len(evals.runs) < need:
        raise DataError(
            f"{format_counted(len(evals.runs), 'model')} {'is' if len(evals.runs) == 1 else 'are'}"
            f" too few for the chain: law {loss.name!r} "
            f"({len(loss.params)} parameters{_AUTO * auto}) and {task_law!r} (up to "
            f"{len(accuracy_law.params)}{_TIED * tied}) need at least {need} models",
            source=evals.source,
            hint=fewer_parameters(loss, accuracy_law, len(evals.runs), chance_known=tied),
        )
    return accuracy_law


def auto_largest() -> Law:
    """The loss law of most parameters that ``"auto"`` may fit: the chain's minimum number
    of models is sized on it. It is Chinchilla's, the candidate the comparison starts from,
    which ``"auto"`` fits without comparing where the runs have too few scales for a
    backtest cut (:func:`~scalinglab.validate._law_choice.fallback_choice`), as they have
    at a chain's fewest models."""
    from scalinglab.validate._choose_inputs import CANDIDATES

    laws = [get_law(name) for name in CANDIDATES[("params", "tokens")]]
    return max(laws, key=lambda form: len(form.params))  # the first of the largest


def check_evals(evals: object, *, call: str) -> None:
    """Refuse ``evals`` unless :class:`Evals` (a path, a DataFrame or a run table has no
    task scores read yet), saying how to read them."""
    if not isinstance(evals, Evals):
        raise ConfigError(
            f"{call} takes evaluations read by scalinglab.read_evals, got "
            f"{type(evals).__name__}" + (f" {evals!r}" if isinstance(evals, str) else ""),
            hint="read them first: evals = scalinglab.read_evals('evals.csv', "
            f"loss='loss_c4_val'); then {call}(evals)",
        )


def check_fraction(name: str, value: object) -> None:
    """Refuse ``value`` of ``name`` unless a number of accuracy from 0 to 1 (``margin``,
    ``max_backtest_error``; infinity turns the backtest off, refused later if not)."""
    if not isinstance(value, bool) and isinstance(value, numbers.Real) and float(value) >= 0:
        return
    raise ConfigError(
        f"{name} must be a number of accuracy, 0 or more, got {type(value).__name__} {value!r}",
        hint=f"an accuracy is a fraction: e.g. {name}=0.02 for 2 points",
    )


#: How the message says why the sigmoid counts one parameter fewer.
_TIED = ", its floor the tasks' chance level"
#: How the message says why ``"auto"`` is counted as Chinchilla's law.
_AUTO = (
    ", the most law 'auto' may fit: it fits this law where too few scales leave no laws to compare"
)


def _known_chance(evals: Evals, tasks: Sequence[str] | str | None) -> float:
    """A chance level of the tasks named (default: all) when every one of them has one
    known, else NaN: the sigmoid is then fitted with its floor ``b`` tied to chance (one
    parameter fewer), as the chain fits each task (only the count matters here)."""
    named = named_tasks(tasks)
    names = [evals.task(t) for t in (named or evals.tasks)]  # an unknown task: refused
    levels = [float(evals.chance.get(n, math.nan)) for n in names]
    return levels[0] if levels and all(math.isfinite(c) for c in levels) else math.nan
