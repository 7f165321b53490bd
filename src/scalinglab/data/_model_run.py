"""A run table's ``model`` column as its run ids, where no column has a run-id name: a
table of published models (``Model``: ``Chinchilla 70B``, ``Gopher 280B``) names each run
so. Only a text column of distinct names is taken: a ``model`` of numbers (a size, an index)
or one that repeats (several runs of one model) stays what it was."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import DataError
from scalinglab.data._column_names import column_key
from scalinglab.data._plain_numbers import reads_as_text
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import is_missing, parse_values

__all__ = ["MODEL_COLUMN", "frame_model_column", "model_run_column", "names_each_run"]

#: The column name (by :func:`~scalinglab.data._column_names.column_key`) read so.
MODEL_COLUMN = "model"


def model_run_column(raw: RawTable, names: Sequence[str]) -> str | None:
    """The column of ``names`` named ``model`` (``Model``) when it holds text, a name in
    every row and no name twice; ``None`` otherwise (no such column, or several)."""
    found = [n for n in names if column_key(n) == MODEL_COLUMN]
    if len(found) != 1 or not reads_as_text(raw, found[0]):
        return None
    return found[0] if names_each_run(as_list(raw.cells[found[0]])) else None


def names_each_run(cells: Sequence[object]) -> bool:
    """Whether ``cells`` name one run each: a value in every row, no name twice."""
    if any(is_missing(c) for c in cells):
        return False
    named = [str(c).strip() for c in cells]
    return all(named) and len(set(named)) == len(named)


def frame_model_column(names: Sequence[str], cells: Sequence[Sequence[object]]) -> str | None:
    """:func:`model_run_column` of a table already read (the run table ``downstream --runs``
    joins to the evaluations): of the columns ``names``, with each one's ``cells``, the one
    named ``model`` when it holds text (a cell that is no number), a name in every row and
    no name twice; ``None`` otherwise."""
    found = [i for i, n in enumerate(names) if column_key(n) == MODEL_COLUMN]
    if len(found) != 1 or not names_each_run(cells[found[0]]):
        return None
    name, column = names[found[0]], cells[found[0]]
    try:  # sizes in words (70M) are numbers: a column of them names no run
        parse_values(column, range(2, len(column) + 2), source="", column=name)
    except DataError:
        return name
    return None
