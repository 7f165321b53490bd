"""Perplexity given as either loss of a loss-to-loss fit: both ``L_x`` and ``L_y`` are a
language model's cross-entropy, so each is judged by
:func:`~scalinglab.data._perplexity.perplexity_warning`, as every other reader judges the
loss it fits. The warnings ride in the table's notes, so every group's fit keeps them (and
its saved file): :attr:`LossToLossFit.warnings` says them once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab.data._perplexity import is_perplexity_warning, perplexity_warning

if TYPE_CHECKING:
    from scalinglab.data import RunTable

__all__ = ["judge_losses", "perplexity_warnings"]


def _source(table: RunTable, name: str) -> str:
    """``loss_c4_val``: the source column ``name`` was read from."""
    column = table.column_for(name) or name
    return table.origins.get(column, column)


def _where(table: RunTable, name: str) -> str:
    """``column 'loss_c4_val'``: the source column ``name`` was read from."""
    return f"column {_source(table, name)!r}"


def judge_losses(table: RunTable, *, x: str, y: str, option: str = "{}=") -> RunTable:
    """``table`` with a perplexity warning for ``x`` and for ``y`` where their values look
    like perplexity, and none of another column (its loss read from a column not fitted).

    A warning the reader gave already of ``x`` or ``y`` is kept as it is worded, so a
    second call adds nothing.

    Args:
        table: The runs, ``x`` and ``y`` among their columns.
        x: The loss predicted from.
        y: The loss predicted.
        option: How the argument naming a column is spelt, ``option.format(role)`` then
            ``COLUMN`` (``"--{} "`` on the command line gives ``--y COLUMN``).
    """
    wheres = {role: _where(table, name) for role, name in (("x", x), ("y", y))}
    kept = [
        n
        for n in table.notes
        if not is_perplexity_warning(n) or any(f"({w})" in n for w in wheres.values())
    ]
    for role, name in (("x", x), ("y", y)):
        if any(is_perplexity_warning(n) and f"({wheres[role]})" in n for n in kept):
            continue
        said = perplexity_warning(
            table[name],
            where=wheres[role],
            option=f"{option.format(role)}COLUMN",
            column=_source(table, name),
        )
        kept += [said] if said else []
    return replace(table, notes=tuple(kept))


def perplexity_warnings(notes: Iterable[str]) -> tuple[str, ...]:
    """The perplexity warnings among a fit's ``notes``, less their ``warning:`` prefix."""
    return tuple(n.removeprefix("warning: ") for n in notes if is_perplexity_warning(n))
