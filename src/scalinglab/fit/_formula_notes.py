"""What a fit says about how it read a user's formula: which symbols are variables.

In a formula ``N``, ``D`` and ``C`` always read the ``params``, ``tokens`` and ``flops``
columns, so ``C + A*N**-alpha`` fits only ``A`` and ``alpha``, with ``C`` the runs' compute
(derived as ``6·N·D`` when the runs have no flops column). Saying which symbols were read
as columns, and warning when one stands alone as a term of the sum (where a constant
usually stands), keeps such a slip from passing as a fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab.data._flops import PLANS_COUNT_6ND
from scalinglab.data._noted_runs import plain_notes
from scalinglab.data._table import RunTable
from scalinglab.fit._identified import variable_like
from scalinglab.laws import FormulaLaw, Law
from scalinglab.laws._expr import Sym
from scalinglab.laws._formula import _terms

__all__ = ["column_like", "formula_notes", "lone_variables", "table_notes"]

#: Names offered for a constant in place of a variable standing alone, first unused wins.
_CONSTANTS = ("E", "E0", "L0", "L_inf")


def formula_notes(law: Law, columns: Mapping[str, str], table: RunTable) -> list[str]:
    """For a formula: how it was read where it is not plain Python (``·`` as ``*``), the
    line naming the column each variable read (by the user's name for it), then a note for each parameter named like a
    variable the runs do not give (:func:`variable_like`) or spelled like a column no
    variable reads (:func:`column_like`)."""
    if not isinstance(law, FormulaLaw):
        return variable_like(law, columns, table.has)
    reads = ", ".join(f"{s} reads column {_named(table, c)}" for s, c in columns.items())
    line = f"variables: {reads} (another column: --x SYMBOL=COLUMN)"
    return [
        *law.notes,
        line,
        *variable_like(law, columns, table.has),
        *column_like(law, columns, table),
    ]


def _named(table: RunTable, column: str) -> str:
    """``column`` as the user's runs name it, as the report's card does: ``'n_params' (read
    as params)`` for one the reader renamed, ``'params'`` for one it did not."""
    source = table.origins.get(column, column)
    return repr(source) + (f" (read as {column})" if source != column else "")


def column_like(law: Law, columns: Mapping[str, str], table: RunTable) -> list[str]:
    """A note for each parameter spelled like a numeric column of the runs that no variable
    reads (``width`` in ``E + A*N**-alpha + c*width``): the formula reads a column only
    through N, D, C or ``--x``, so the column's values were never used."""
    read = {table.column_for(c) for c in columns.values()}
    runs = "the runs" if table.source.startswith("<") else table.source  # <DataFrame>
    return [
        f"{p} is a column of {runs} but the law fits it as a parameter; to read the "
        f"column: --x {p}={p} (x={{{p!r}: {p!r}}} in Python)"
        for p in law.param_names
        if table.has(p) and p not in read
    ]


def lone_variables(law: Law, columns: Mapping[str, str]) -> tuple[str, ...]:
    """A warning for each variable of a formula that stands alone as a term of its sum
    (``C`` in ``C + A*N**-alpha``): read as a column, not fitted as the constant it looks
    like."""
    if not isinstance(law, FormulaLaw):
        return ()
    lone = [t.name for t in _terms(law.expression()) if isinstance(t, Sym)]
    free = next((c for c in _CONSTANTS if c not in law.param_names and c not in columns), "E")
    return tuple(
        f"{s} in {law.name!r} is read as the {columns[s]} column, not fitted: a variable "
        f"alone as a term adds the runs' {columns[s]} to the loss; if {s} meant a constant, "
        f"name it otherwise, e.g. {free}"
        for s in dict.fromkeys(lone)
        if s in columns
    )


def table_notes(notes: Sequence[str], columns: Mapping[str, str]) -> list[str]:
    """The run table's notes as a fit says them: its reading warnings are the fit's warnings
    (:func:`~scalinglab.fit._fit_warnings.fit_warnings`), not notes; a law of the flops
    column itself plans in that column's FLOPs, so the advice to divide a budget by its
    ratio to 6·N·D (which plans of N and D need) would be wrong there and is left out."""
    said = plain_notes(notes)
    if "flops" not in columns.values():
        return said
    return [n for n in said if PLANS_COUNT_6ND not in n]
