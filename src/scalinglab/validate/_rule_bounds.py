"""How to loosen a rule that selects no run, or too few to fit: how many runs it could keep,
the range its column takes there, and a bound in that range that keeps a given number of
them (``params>=1e9`` on runs up to 412M was told only "loosen it"); for ``--fit-on``, given
each run's point (:class:`Points`), a bound that keeps runs at a given number of distinct
points, which is what the fit's warning of too few runs counts."""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_counted, format_quantity
from scalinglab.data import RunTable, parse_quantity
from scalinglab.data._compare import clauses
from scalinglab.fit._points import n_distinct, said_runs
from scalinglab.validate._rules import SIZES, cut_said, rule_mask, scale_column
from scalinglab.validate._split_hints import negation

__all__ = ["Points", "bounds_keeping", "loosen_hint"]

#: One comparison of a column with a number (``params>=1e9``).
_BOUND = re.compile(r"^\s*(?P<col>[^<>=!&]+?)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[^<>=!&]+?)\s*$")


@dataclass(frozen=True, eq=False)
class Points:
    """Each run's distinct point of a law's variables: replicate runs (seeds at one
    ``(N, D)``) share one, and the fit's warning of too few runs counts them once
    (:mod:`scalinglab.fit._points`), so a bound that keeps enough for it counts them too.

    Attributes:
        ids: Per run of the table, the index of its point
            (:func:`~scalinglab.fit._points.distinct_points`).
        of: What a point is, for messages: ``"(N, D)"``.
    """

    ids: NDArray[np.intp]
    of: str


def loosen_hint(
    table: RunTable,
    rule: str,
    pool: NDArray[np.bool_] | None,
    *,
    verb: str = "keeps",
    otherwise: str = "loosen it",
    keep: int | None = None,
    why: str = "",
    scale: str | None = None,
    points: Points | None = None,
    holdout: str | None = None,
) -> str:
    """The hint for ``rule``, which selects no run of ``table``: for each clause of one
    bound, the range its column takes over ``pool`` (the runs it may choose from: those not
    held out; ``None``: every run) and a bound that ``verb``s ``keep`` of them (``"holds
    out"``, a hold-out rule's; default: half of them), ``why`` that many where given;
    ``otherwise`` where no clause is one bound (``top-decile``). ``scale``: the axis of
    the rule's other clauses (``top-scales:2``), as the rule was read. ``points``: each
    run's point, where ``keep`` counts distinct points; ``holdout``: the hold-out rule
    that left ``pool`` (:func:`bounds_keeping`)."""
    runs = np.ones(len(table), dtype=bool) if pool is None else pool
    where = "in the table" if pool is None else "not held out"
    said = []
    kept = bounds_keeping(
        table, rule, runs, keep, verb=verb, scale=scale, points=points, holdout=holdout
    )
    for clause, bound in kept:
        m = _BOUND.match(clause)
        column = table.column_for(m.group("col").strip(" '\"")) if m else None
        if column is None:
            continue
        values = np.sort(np.asarray(table[column], dtype=np.float64)[runs])
        lo, hi = format_quantity(values[0], column), format_quantity(values[-1], column)
        said.append(
            f"it {verb} none of the {format_counted(len(values), 'run')} {where}, whose "
            f"{column} span {lo}-{hi}: {bound}"
        )
    if not said:
        return otherwise
    return "loosen it: " + "; ".join(said) + (f" ({why})" if why else "")


def bounds_keeping(
    table: RunTable,
    rule: str,
    pool: NDArray[np.bool_],
    keep: int | None,
    *,
    verb: str = "keeps",
    scale: str | None = None,
    points: Points | None = None,
    holdout: str | None = None,
) -> list[tuple[str, str]]:
    """For each clause of ``rule`` that is one bound (``flops<=1e17``), that clause and the
    bound in its place that, with the rule's other clauses, ``verb``s ``keep`` runs of
    ``pool`` (``None``: half of them), in words: ``flops<=2.12e19 keeps the smallest 25``.
    The bound is written as a message writes its column's values (3 figures), rounded
    outward so that it keeps as many as said (``5.72e19`` would drop a run at 5.7234e19),
    and the count said is what the bound as written keeps. With ``points``, ``keep`` counts
    distinct points, not runs: the bound keeps runs that hold that many, said where
    replicates make the two differ (``params<=320M keeps the smallest 50 runs at 25 distinct
    (N, D)``). A clause whose column the runs lack, or whose other clauses leave fewer than
    ``keep``, is left out.

    A bound on another column than the hold-out's (``tokens<=7.32B`` beside ``--holdout
    flops>=3e20``) would, as written, keep held-out runs too, which the split refuses: it
    is said with the hold-out's negation (``tokens<=7.32B & flops<3e20``) where the
    hold-out is one bound, or with the cut on a size that parts the runs held out from
    the rest (``top-decile``: ``flops<1e21``), and is left out where neither is there
    (``largest:5`` cutting through runs of one flops). What it keeps is counted on every
    run, as the rule suggested reads them.

    Args:
        table: The runs.
        rule: The rule, its clauses joined by ``&``.
        pool: The runs the rule chooses among (those not held out, for ``--fit-on``).
        keep: How many runs (with ``points``, distinct points) the bound should keep;
            ``None``: half of ``pool``'s.
        verb: What the rule does to the runs it selects (``"holds out"``).
        scale: The axis the other clauses were read on (``top-scales:2``).
        points: Each run's point; ``None`` (a hold-out rule's bound): every run its own.
        holdout: The hold-out rule that left ``pool`` (``None``: ``pool`` is every run
            the rule may keep).

    Returns:
        (clause, suggestion) pairs, in the rule's order.
    """
    parts = clauses(rule)
    out = []
    for i, clause in enumerate(parts):
        m = _BOUND.match(clause)
        column = None if m is None else table.column_for(m.group("col").strip(" '\""))
        if m is None or column is None or not pool.any():
            continue
        eligible = pool.copy()
        others = " & ".join(parts[:i] + parts[i + 1 :])
        if others:
            # a clause read alone as the whole rule read it: it raises nothing new
            with contextlib.suppress(ScalingLabError):
                eligible &= rule_mask(table, others, "--fit-on", scale=scale).mask
        largest = m.group("op").startswith(">")
        values = np.asarray(table[column], dtype=np.float64)[eligible]
        order = np.argsort(-values if largest else values, kind="stable")  # the runs kept first
        values = values[order]
        ids = None if points is None else points.ids[eligible][order]
        total = int(pool.sum()) if points is None else n_distinct(points.ids, pool)
        k = math.ceil(total / 2) if keep is None else keep
        at = _reaching(ids, k, len(values))
        if at is None:
            continue
        text, _ = _written(values[at], column, up=not largest)
        suggested = f"{column}{'>=' if largest else '<='}{text}"
        written = _as_written(table, suggested, others, pool, holdout, scale)
        if written is None:
            continue  # as written it keeps held-out runs: no bound of this clause will do
        suggested, mask = written
        kept = int(mask.sum())
        held = kept if points is None else n_distinct(points.ids, mask)
        said = str(kept) if points is None or held == kept else said_runs(kept, held, points.of)
        which = "largest" if largest else "smallest"
        alone = not others and "&" not in suggested
        count = f"the {which} {said}" if kept > 1 and alone else said
        out.append((clause, f"{suggested} {verb} {count}"))
    return out


def _as_written(
    table: RunTable,
    bound: str,
    others: str,
    pool: NDArray[np.bool_],
    holdout: str | None,
    scale: str | None,
) -> tuple[str, NDArray[np.bool_]] | None:
    """``bound`` as the rule it is suggested in reads every run (``others``: the rule's
    other clauses), and the runs it keeps: with the hold-out's negation joined
    (``tokens<=7.32B & flops<3e20``) where alone it keeps a run outside ``pool``;
    ``None`` where even so it does, or the hold-out has no negation (:func:`_negation`)."""
    negated = None if holdout is None else _negation(table, pool, holdout, scale)
    for extra in ("", negated):
        if extra is None:
            return None
        text = " & ".join(p for p in (bound, extra) if p)
        try:
            mask = rule_mask(table, " & ".join(p for p in (text, others) if p), "--fit-on",
                             scale=scale).mask  # fmt: skip
        except ScalingLabError:
            return None
        if not (mask & ~pool).any():
            return text, mask
    return None


def _negation(
    table: RunTable, pool: NDArray[np.bool_], holdout: str, scale: str | None
) -> str | None:
    """The clause that keeps the runs of ``pool``, those ``holdout`` leaves: its negation
    where it is one bound (``flops<3e20``), else a cut on the size it held out by where
    the runs part there (``largest:5`` by flops: ``flops<5.76e20``); ``None`` otherwise."""
    said = negation(holdout)
    if said is not None or pool.all():
        return said
    held = ~pool
    with contextlib.suppress(ScalingLabError):  # no size: only a one-bound hold-out's
        for column in dict.fromkeys([scale_column(table, scale), *SIZES]):
            values = np.asarray(table[column], dtype=np.float64) if table.has(column) else None
            if values is not None and np.max(values[pool]) < np.min(values[held]):
                return f"{column}<{cut_said(float(np.min(values[held])), values, held)}"
    return None


def _reaching(ids: NDArray[np.intp] | None, k: int, n: int) -> int | None:
    """The index, in the order runs are kept, of the run by which ``k`` are kept: ``k``
    runs, or with ``ids`` (each run's point, in that order) runs at ``k`` distinct points;
    ``None`` where the ``n`` runs hold fewer (or ``k`` is under 1)."""
    if ids is None:
        return k - 1 if 0 < k <= n else None
    first = np.zeros(n, dtype=bool)
    first[np.unique(ids, return_index=True)[1]] = True  # where each point is first kept
    reached = np.cumsum(first)
    if k < 1 or not n or reached[-1] < k:
        return None
    return int(np.searchsorted(reached, k))


def _written(x: float, column: str, *, up: bool) -> tuple[str, float]:
    """``x`` as a message writes ``column``'s values, and the value written, rounded up (a
    ``<=`` bound) or down (``>=``) where the 3 figures written would leave ``x`` out."""
    text = format_quantity(x, column)
    value = parse_quantity(text)
    if x != 0 and math.isfinite(x) and (value < x if up else value > x):
        step = 10.0 ** (math.floor(math.log10(abs(x))) - 2)  # one in the third figure
        text = format_quantity((math.ceil if up else math.floor)(x / step) * step, column)
        value = parse_quantity(text)
    return text, value
