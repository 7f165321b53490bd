"""Runs enough on the fit side of a backtest's split: the refusal where there are too few for
a law, and, where a ``--fit-on`` rule chose them, the bound that keeps the fewest runs the
law fits without a warning of too few (not half the runs, nor only "keep 6 or more"); for
``--law auto``, the bound its candidate of most parameters needs (:func:`most_params`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab.data import RunTable
from scalinglab.laws import Law
from scalinglab.validate._rule_bounds import bounds_keeping
from scalinglab.validate._rules import rule_said

if TYPE_CHECKING:
    from scalinglab.validate._split import Split

__all__ = ["check_fit_side", "fewest_kept", "fewest_runs", "most_params"]


def most_params(
    laws: Sequence[Law | str], runs: RunTable, x: Mapping[str, str] | None = None
) -> tuple[Law | None, str]:
    """The law of ``laws`` with the most parameters, the one that needs the most runs, and
    how a hint names it: ``"auto"`` stands for its candidates for ``runs`` (the catalog's,
    :func:`~scalinglab.validate._choose_inputs.candidates`), said to be auto's where it is
    one of them (``", of most parameters among law auto's candidates chinchilla, ..."``);
    ``(None, "")`` without laws, or where auto has no candidates for ``runs`` (its own error
    comes later, from the comparison).

    Args:
        laws: The laws to fit, by name or formula, or as laws.
        runs: The runs ``"auto"`` chooses candidates for.
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it.
    """
    from scalinglab._errors import ScalingLabError
    from scalinglab.fit._options import is_auto
    from scalinglab.laws import get_law
    from scalinglab.validate._choose_inputs import candidates, read_as

    forms = [
        get_law(law, columns=x) if isinstance(law, str) else law for law in laws if not is_auto(law)
    ]
    auto: list[Law] = []
    if any(is_auto(law) for law in laws):
        try:
            auto = [get_law(name, columns=x) for name in candidates(read_as(runs, x)).laws]
        except ScalingLabError:
            auto = []
    most = max([*auto, *forms], key=lambda law: len(law.params), default=None)
    if most is None or not any(law is most for law in auto):
        return most, ""
    *first, last = [law.spec for law in auto]
    names = f"{', '.join(first)} and {last}" if first else last
    return most, f", of most parameters among law auto's candidates {names}"


def fewest_runs(form: Law, available: int, *, among: str = "") -> tuple[int, str]:
    """The fewest runs to fit ``form`` on, of ``available``, and why that many: as many as
    its fit takes without warning of too few runs (:data:`~scalinglab.fit._diagnostics
    .MIN_RUNS_PER_PARAM` per parameter) where ``available`` holds them; else the fewest it
    fits at all, one more than its parameters, with that warning.

    Args:
        form: The law to fit.
        available: The runs a rule may keep (those not held out).
        among: What ``form`` is among the laws fitted, said after its name
            (:func:`most_params`).

    Returns:
        The number of runs, and the reason in words for a hint.
    """
    from scalinglab.fit._diagnostics import MIN_RUNS_PER_PARAM

    k = len(form.params)
    unwarned = MIN_RUNS_PER_PARAM * k
    if available >= unwarned:
        return unwarned, (
            f"{MIN_RUNS_PER_PARAM} per parameter of law {form.spec!r}{among}: the fewest its fit takes "
            "without warning of too few runs"
        )
    return k + 1, (
        f"one more than the {k} parameters of law {form.spec!r}{among}, the fewest it fits: its fit "
        f"warns of too few runs under {unwarned}, {MIN_RUNS_PER_PARAM} per parameter, more "
        f"than the {format_counted(available, 'run')} not held out"
    )


def fewest_kept(
    laws: Sequence[Law | str], runs: RunTable, x: Mapping[str, str] | None = None
) -> tuple[int | None, str]:
    """How many of ``runs`` (those not held out) a ``--fit-on`` rule that keeps none should
    keep, and why: :func:`fewest_runs` of the law of ``laws`` with the most parameters
    (:func:`most_params`: auto's candidates for ``runs``); ``(None, "")`` without laws, or
    where ``runs`` are too few for it (the hint's bound then keeps half of them)."""
    most, among = most_params(laws, runs, x)
    if most is None:
        return None, ""
    keep, why = fewest_runs(most, len(runs), among=among)
    return (keep, why) if keep <= len(runs) else (None, "")


def check_fit_side(
    form: Law,
    split: Split,
    *,
    table: RunTable | None = None,
    pool: NDArray[np.bool_] | None = None,
    scale: str | None = None,
    among: str = "",
) -> None:
    """Refuse a backtest whose fit side has too few runs for ``form``, saying it is the runs
    not held out, and which laws they can fit.

    Args:
        form: The law to fit.
        split: The split, whose :attr:`~Split.fitted` runs are checked.
        table: The runs split: with it and ``pool`` (the runs not held out), a ``--fit-on``
            rule that keeps too few is told a bound that keeps :func:`fewest_runs`.
        pool: Which runs of ``table`` are not held out.
        scale: The axis the rule was read on, for its other clauses (``top-scales:2``).
        among: What ``form`` is among the laws fitted (:func:`most_params`), said in the
            bound's reason.

    Raises:
        DataError: Too few runs to fit ``form``, with how to have more.
    """
    from scalinglab.fit._enough import check_runs_for

    try:
        check_runs_for(form, split.fitted)
    except DataError as err:
        n, need = len(split.fitted), len(form.params) + 1
        spare = n + len(split.held_out) - need  # most runs these runs can hold out for the law
        hint = err.hint
        if split.fit_on:  # the --fit-on rule chose these runs: loosening it is the fix
            hint = (
                f"{rule_said('--fit-on', split.fit_on)} keeps {n} of the "
                f"{format_counted(split.not_held_out, 'run')} not held out: loosen it so that "
                f"it keeps {need} or more{_bound(form, split.fit_on, table, pool, scale, among)}, or "
                "drop it to fit on every run not held out"
            ) + (f"; or, {err.hint}" if err.hint.startswith("with ") else "")
        elif spare > 0:  # enough runs in all: the hold-out took too many, not the data too few
            hint = (
                f"hold out fewer runs: of {n + len(split.held_out)}, {form.spec!r} needs {need} to "
                f"fit, so at most {spare} can be held out, e.g. --holdout largest:{spare} "
                f"(holdout='largest:{spare}' in Python)"
            )
            if err.hint.startswith("with "):  # a law of fewer parameters that these fit
                hint += f"; or, {err.hint}"
        raise DataError(
            f"{n} run{'s' if n != 1 else ''} to fit and {len(split.held_out)} held out "
            f"({split.description}), and law {form.spec!r} has {len(form.params)} "
            f"parameters: a fit needs at least {need} runs",
            source=split.fitted.source,
            hint=hint,
        ) from None


def _bound(
    form: Law,
    rule: str,
    table: RunTable | None,
    pool: NDArray[np.bool_] | None,
    scale: str | None,
    among: str,
) -> str:
    """``: flops<=2.12e19 keeps the smallest 25 (why)``, the bound in ``rule`` that keeps
    the fewest runs ``form`` fits without a warning; ``""`` without the runs split, where
    the runs not held out are too few, or where no clause of ``rule`` is one bound."""
    if table is None or pool is None:
        return ""
    keep, why = fewest_runs(form, int(pool.sum()), among=among)
    if keep > int(pool.sum()):
        return ""
    said = [bound for _, bound in bounds_keeping(table, rule, pool, keep, scale=scale)]
    return f": {' or '.join(said)} ({why})" if said else ""
