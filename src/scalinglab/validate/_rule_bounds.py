"""How to loosen a rule that selects no run, or too few to fit: how many runs it could keep,
the range its column takes there, and a bound in that range that keeps a given number of
them (``params>=1e9`` on runs up to 412M was told only "loosen it")."""

from __future__ import annotations

import contextlib
import math
import re

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_counted, format_quantity
from scalinglab.data import RunTable, parse_quantity
from scalinglab.data._compare import clauses
from scalinglab.validate._rules import rule_mask

__all__ = ["bounds_keeping", "loosen_hint"]

#: One comparison of a column with a number (``params>=1e9``).
_BOUND = re.compile(r"^\s*(?P<col>[^<>=!&]+?)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[^<>=!&]+?)\s*$")


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
) -> str:
    """The hint for ``rule``, which selects no run of ``table``: for each clause of one
    bound, the range its column takes over ``pool`` (the runs it may choose from: those not
    held out; ``None``: every run) and a bound that ``verb``s ``keep`` of them (``"holds
    out"``, a hold-out rule's; default: half of them), ``why`` that many where given;
    ``otherwise`` where no clause is one bound (``top-decile``). ``scale``: the axis of
    the rule's other clauses (``top-scales:2``), as the rule was read."""
    runs = np.ones(len(table), dtype=bool) if pool is None else pool
    where = "in the table" if pool is None else "not held out"
    said = []
    for clause, bound in bounds_keeping(table, rule, runs, keep, verb=verb, scale=scale):
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
) -> list[tuple[str, str]]:
    """For each clause of ``rule`` that is one bound (``flops<=1e17``), that clause and the
    bound in its place that, with the rule's other clauses, ``verb``s ``keep`` runs of
    ``pool`` (``None``: half of them), in words: ``flops<=2.12e19 keeps the smallest 25``.
    The bound is written as a message writes its column's values (3 figures), rounded
    outward so that it keeps as many as said (``5.72e19`` would drop a run at 5.7234e19),
    and the count said is what the bound as written keeps. A clause whose column the runs
    lack, or whose other clauses leave fewer than ``keep``, is left out.

    Args:
        table: The runs.
        rule: The rule, its clauses joined by ``&``.
        pool: The runs the rule chooses among (those not held out, for ``--fit-on``).
        keep: How many runs the bound should keep; ``None``: half of ``pool``'s.
        verb: What the rule does to the runs it selects (``"holds out"``).
        scale: The axis the other clauses were read on (``top-scales:2``).

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
        values = np.sort(np.asarray(table[column], dtype=np.float64)[eligible])
        k = math.ceil(int(pool.sum()) / 2) if keep is None else keep
        if not 0 < k <= len(values):
            continue
        largest = m.group("op").startswith(">")
        text, bound = _written(values[-k] if largest else values[k - 1], column, up=not largest)
        kept = int(np.sum(values >= bound if largest else values <= bound))
        which = "largest" if largest else "smallest"
        count = f"the {which} {kept}" if kept > 1 and not others else str(kept)
        op = ">=" if largest else "<="
        out.append((clause, f"{column}{op}{text} {verb} {count}"))
    return out


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
