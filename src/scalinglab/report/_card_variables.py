"""The card's variables: the column each of the law's symbols reads, as the user's file
names it, or how reading derived it from the other sizes (C = 6·N·D)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab.data._derived import derived_as
from scalinglab.data._raw import SIZES

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["user_column", "variables"]


def user_column(runs: RunTable, column: str) -> str:
    """The column as the user's file names it (``val_loss``, not the ``loss`` it was read as)."""
    return runs.origins.get(column, column)


def variables(result: FitResult, runs: RunTable) -> str:
    """Each symbol of the fit and what it reads, e.g. ``N = column 'Model Size' (read as
    params), D = tokens derived as C/(6N) from columns 'Model Size' and 'Training FLOP'``."""
    return ", ".join(_variable(s, c, runs) for s, c in result.columns.items())


def _variable(symbol: str, column: str, runs: RunTable) -> str:
    how = derived_as(column, runs.notes)
    if how:  # no such column in the file: name the two it was derived from
        others = " and ".join(repr(user_column(runs, c)) for c in SIZES if c != column)
        return f"{symbol} = {column} derived as {how} from columns {others}"
    user = user_column(runs, column)
    return f"{symbol} = column {user!r}" + (f" (read as {column})" if user != column else "")
