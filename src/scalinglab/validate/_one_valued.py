"""The one error for runs on which no candidate law can be fitted because a variable every
law reads has one value (every run at one size, or every row alike): said once for all of
them, not once per law in one long line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_quantity, join_and
from scalinglab.data import RunTable
from scalinglab.laws import Law

__all__ = ["one_valued"]


def one_valued(
    table: RunTable, forms: Sequence[Law], names: Sequence[str], *, note: str = ""
) -> DataError | None:
    """The error for ``table`` where each of the laws ``forms`` (``names``, as compared)
    reads a column of one value: which columns, their value, and what to add; ``None``
    where some law reads no such column (its own reason is said then). ``note`` says why
    these laws were compared (the candidates' note)."""
    fixed: dict[str, float] = {}
    for form in forms:
        mine = [c for c in form.variables.values() if table.has(c) and _one(table[c])]
        if not mine:
            return None
        fixed.update({c: float(np.asarray(table[c], dtype=np.float64)[0]) for c in mine})
    values = join_and([f"{c} = {format_quantity(v, c)}" for c, v in fixed.items()])
    columns = join_and(list(fixed))
    them = "it" if len(fixed) == 1 else "them"
    return DataError(
        f"every run has {values}: no candidate law ({', '.join(names)}) can fit how the loss "
        f"depends on {them} without runs at different {columns}" + (f" ({note})" if note else ""),
        source=table.source,
        hint=f"add runs at other values of {columns}: a scaling law is fitted across sizes"
        + ("" if len(fixed) > 1 else f"; or name a law without {columns} with --law"),
    )


def _one(values: object) -> bool:
    """Whether a column holds one value (NaN aside)."""
    array = np.asarray(values, dtype=np.float64)
    return bool(len(array)) and bool(np.nanmin(array) == np.nanmax(array))
