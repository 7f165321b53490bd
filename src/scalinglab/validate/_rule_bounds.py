"""How to loosen a rule that selects no run: how many runs it could keep, the range its
column takes there, and a bound in that range (``params>=1e9`` on runs up to 412M was told
only "loosen it")."""

from __future__ import annotations

import math
import re

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted, format_quantity
from scalinglab.data import RunTable

__all__ = ["loosen_hint"]

#: One comparison of a column with a number (``params>=1e9``).
_BOUND = re.compile(r"^\s*(?P<col>[^<>=!&]+?)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[^<>=!&]+?)\s*$")


def loosen_hint(
    table: RunTable,
    rule: str,
    pool: NDArray[np.bool_] | None,
    *,
    verb: str = "keeps",
    otherwise: str = "loosen it",
) -> str:
    """The hint for ``rule``, which selects no run of ``table``: for each clause of one
    bound, the range its column takes over ``pool`` (the runs it may choose from: those not
    held out; ``None``: every run) and a bound that ``verb``s half of them (``"holds
    out"``, a hold-out rule's); ``otherwise`` where no clause is one bound (``top-decile``)."""
    runs = np.ones(len(table), dtype=bool) if pool is None else pool
    where = "in the table" if pool is None else "not held out"
    said = []
    for clause in rule.split("&"):
        m = _BOUND.match(clause)
        column = None if m is None else table.column_for(m.group("col").strip(" '\""))
        if m is None or column is None or not runs.any():
            continue
        values = np.sort(np.asarray(table[column], dtype=np.float64)[runs])
        k = math.ceil(len(values) / 2)
        op = m.group("op")
        bound = values[-k] if op.startswith(">") else values[k - 1]
        lo, hi = format_quantity(values[0], column), format_quantity(values[-1], column)
        largest = op.startswith(">")
        keeps = f"the {'largest' if largest else 'smallest'} {k}" if k > 1 else "1"
        said.append(
            f"it {verb} none of the {format_counted(len(values), 'run')} {where}, whose "
            f"{column} span {lo}-{hi}: {column}{op[0]}={format_quantity(bound, column)} "
            f"{verb} {keeps}"
        )
    return "loosen it: " + "; ".join(said) if said else otherwise
