"""Which curves a backtest fits on and which it predicts: the curves ``--train`` names (a
full name or its last path part), each name checked against the curves read before any
fitting, so a command can refuse a misspelt name before it says it is fitting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._format import join_and
from scalinglab.curves._data import Curve
from scalinglab.curves._run_names import close_runs
from scalinglab.curves._table import KEEP
from scalinglab.data._compare import condition_words

__all__ = ["not_read", "split_train"]


def _matches(run: str, names: Sequence[str]) -> bool:
    return any(run == n or run.split("/")[-1] == n for n in names)


def not_read(
    train: Sequence[str], curves: Sequence[Curve], where: Sequence[tuple[str, str]]
) -> ConfigError | None:
    """The error for the names of ``train`` that are none of ``curves``, read with
    ``where`` (``--where`` pairs), which may be what left them out: it says so; else
    ``None``."""
    missing = [n for n in train if not any(_matches(c.run, [n]) for c in curves)]
    if not missing:
        return None
    kept = " and ".join(condition_words(column, value, quoted=True) for column, value in where)
    named = join_and([repr(n) for n in missing])
    return ConfigError(
        f"training curve{'s' if len(missing) > 1 else ''} {named} "
        f"{'are' if len(missing) > 1 else 'is'} not among the curves read"
        + (f": --where kept the runs with {kept} alone" if where else "")
        + close_runs(missing, [c.run for c in curves]),
        hint=f"the curves are: {', '.join(c.run for c in curves)}",
    )


def split_train(
    curves: Sequence[Curve],
    train: Sequence[str],
    *,
    left_out: Mapping[str, str] | None = None,
    where: Sequence[tuple[str, str]] = (),
) -> tuple[list[Curve], list[Curve]]:
    """The curves ``train`` names (full name or last path part) and the others, to predict.

    Args:
        curves: The curves read.
        train: The names of the curves to fit on.
        left_out: Runs the reader left out, with why: a name among them is said so.
        where: The ``--where`` pairs the curves were read with, which may have left a
            name out: the error says so.

    Raises:
        ConfigError: For no name, a name left out or not read, or no curve left to predict.
    """
    train = [t.strip() for t in train if t.strip()]
    if not train:
        raise ConfigError(
            "train names no run to fit on (--train on the command line)",
            hint=f"name some of the curves, comma-separated: {', '.join(c.run for c in curves)}",
        )
    fit_on = [c for c in curves if _matches(c.run, train)]
    held = [c for c in curves if not _matches(c.run, train)]
    missing = [n for n in train if not any(_matches(c.run, [n]) for c in curves)]
    gone = {run: why for run, why in (left_out or {}).items() if _matches(run, missing)}
    if gone:  # a name the reader left out: not a typo
        run, why = next(iter(gone.items()))
        raise ConfigError(
            f"training curve {run!r} was left out when the curves were read: {why}",
            hint=f"pass {KEEP} to keep a run that looks diverged",
        )
    if (error := not_read(missing, curves, where)) is not None:
        raise error
    if not held:
        raise ConfigError("every curve is in --train: nothing is left to predict")
    return fit_on, held
