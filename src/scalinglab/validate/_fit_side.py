"""Runs enough on the fit side of a backtest's split: the refusal where there are too few for
a law, and, where a ``--fit-on`` rule chose them, the bound that keeps the fewest runs the
law fits without a warning of too few (not half the runs, nor only "keep 6 or more"); for
``--law auto``, the bound its candidate of most parameters needs (:func:`most_params`).
Where replicate runs (seeds at one ``(N, D)``) share a point, the bound counts distinct
points, as that warning does (:func:`law_points`), and says so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab.data import RunTable
from scalinglab.fit._points import n_distinct, points_from_runs, said_runs
from scalinglab.laws import Law
from scalinglab.validate._rule_bounds import Points, bounds_keeping
from scalinglab.validate._rules import rule_said

if TYPE_CHECKING:
    from scalinglab.validate._split import Split

__all__ = ["check_fit_side", "fewest_kept", "fewest_runs", "law_points", "most_params"]


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


def law_points(law: Law, table: RunTable, x: Mapping[str, str] | None = None) -> Points | None:
    """Each run's point of ``law``'s variables, read from the columns its fit reads
    (:func:`~scalinglab.fit._columns.law_columns`), for a bound that counts what the fit's
    warning of too few runs counts; ``None`` where ``table`` lacks one of them (the fit's
    own refusal says so)."""
    from scalinglab._errors import ScalingLabError
    from scalinglab.fit._columns import law_columns
    from scalinglab.fit._points import distinct_points, points_label

    own = {s: c for s, c in (x or {}).items() if s in law.variables}  # auto's: not every x
    try:
        columns = law_columns(law, table, own)
    except ScalingLabError:
        return None
    data = {s: table[table.column_for(c) or c] for s, c in columns.items()}
    return Points(distinct_points(data), points_label(data))


def fewest_runs(
    form: Law, available: int, *, among: str = "", counted: str = ""
) -> tuple[int, str]:
    """The fewest runs to fit ``form`` on, of ``available``, and why that many: as many as
    its fit takes without warning of too few runs (:data:`~scalinglab.fit._diagnostics
    .MIN_RUNS_PER_PARAM` per parameter) where ``available`` holds them; else the fewest it
    fits at all, one more than its parameters, with that warning. Where replicate runs
    share a point, ``available`` and the number returned count distinct points.

    Args:
        form: The law to fit.
        available: The runs (or distinct points) a rule may keep (those not held out).
        among: What ``form`` is among the laws fitted, said after its name
            (:func:`most_params`).
        counted: ``available`` in words, where it counts points (``"10 distinct (N, D)
            from 20 runs"``); default ``"20 runs"``.

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
        f"than the {counted or format_counted(available, 'run')} not held out"
    )


def fewest_kept(
    laws: Sequence[Law | str],
    table: RunTable,
    pool: NDArray[np.bool_] | None,
    x: Mapping[str, str] | None = None,
) -> tuple[int | None, str, Points | None]:
    """How many of the runs of ``pool`` (those not held out) a ``--fit-on`` rule that keeps
    none should keep, why, and each run's point where that number counts distinct points:
    :func:`fewest_runs` of the law of ``laws`` with the most parameters (:func:`most_params`:
    auto's candidates for the runs of ``pool``); ``(None, "", None)`` without laws or
    ``pool``, or where its runs are too few for it (the hint's bound then keeps half of
    them)."""
    if pool is None:
        return None, "", None
    most, among = most_params(laws, table.select(pool), x)
    if most is None:
        return None, "", None
    points = law_points(most, table, x)
    held, counted = _pooled(points, pool)
    keep, why = fewest_runs(most, held, among=among, counted=counted)
    return (keep, why, points) if keep <= held else (None, "", None)


def check_fit_side(
    form: Law,
    split: Split,
    *,
    table: RunTable | None = None,
    pool: NDArray[np.bool_] | None = None,
    scale: str | None = None,
    among: str = "",
    x: Mapping[str, str] | None = None,
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
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it: the columns whose
            distinct points the bound counts (:func:`law_points`).

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
            points = None if table is None or pool is None else law_points(form, table, x)
            kept, of, more = _kept(form, split, need, points, pool, x)
            hint = (
                f"{rule_said('--fit-on', split.fit_on)} keeps {kept} of the {of} not held out: "
                f"loosen it so that it keeps {more} or more"
                f"{_bound(form, split, table, pool, scale, among, points)}, or "
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
    split: Split,
    table: RunTable | None,
    pool: NDArray[np.bool_] | None,
    scale: str | None,
    among: str,
    points: Points | None,
) -> str:
    """``: flops<=2.12e19 keeps the smallest 25 (why)``, the bound in ``split``'s
    ``--fit-on`` rule, read beside its hold-out (:func:`bounds_keeping`), that keeps
    the fewest runs ``form`` fits without a warning (with ``points``, runs at that many
    distinct points); ``""`` without the runs split, where the runs not held out are too
    few, or where no clause of ``rule`` is one bound."""
    if table is None or pool is None:
        return ""
    rule, holdout = split.fit_on, split.holdout
    held, counted = _pooled(points, pool)
    keep, why = fewest_runs(form, held, among=among, counted=counted)
    if keep > held:
        return ""
    kept = bounds_keeping(table, rule, pool, keep, scale=scale, points=points, holdout=holdout)
    said = [bound for _, bound in kept]
    return f": {' or '.join(said)} ({why})" if said else ""


def _pooled(points: Points | None, pool: NDArray[np.bool_]) -> tuple[int, str]:
    """The distinct points among the runs of ``pool`` (its runs, without ``points``), and
    that count in words where replicates make it fewer: ``"10 distinct (N, D) from 20
    runs"`` (``""`` where every run is its own point)."""
    n = int(pool.sum())
    held = n if points is None else n_distinct(points.ids, pool)
    return held, "" if points is None or held == n else points_from_runs(held, n, points.of)


def _kept(
    form: Law,
    split: Split,
    need: int,
    points: Points | None,
    pool: NDArray[np.bool_] | None,
    x: Mapping[str, str] | None,
) -> tuple[str, str, str]:
    """What a ``--fit-on`` rule that keeps too few runs keeps, of what, and how many it
    should keep, in words: ``("3", "30 runs", "6")``; where replicate runs share a point,
    the points with the runs, and the points to keep: ``("4 runs at 2 distinct (N, D)",
    "60 runs at 30 distinct (N, D)", "6 distinct (N, D)")``."""
    n, pooled = len(split.fitted), split.not_held_out
    fitted = None if points is None or pool is None else law_points(form, split.fitted, x)
    if points is None or pool is None or fitted is None:
        return str(n), format_counted(pooled, "run"), str(need)
    held, among = n_distinct(fitted.ids), n_distinct(points.ids, pool)
    if held == n and among == pooled:
        return str(n), format_counted(pooled, "run"), str(need)
    of = points.of
    return said_runs(n, held, of), said_runs(pooled, among, of), f"{need} distinct {of}"
