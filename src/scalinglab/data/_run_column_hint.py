"""The note of a table without a run-id column by name (``run``, ``name``, ...), whose runs
are named ``row<k>``: where one text column holds a distinct value in every row (a
spreadsheet's ``Model`` column of ``m0``, ``m1``, ...), the note names it in the option
that reads it, as a guess said and not taken (a ``model`` column may as well name the
architecture several runs share)."""

from __future__ import annotations

import shlex
from collections.abc import Collection, Sequence

from scalinglab.data._frame_rows import FrameRow
from scalinglab.data._model_run import names_each_run
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import parse_cell

__all__ = ["no_run_column_note"]


def no_run_column_note(raw: RawTable, taken: Collection[str], tried: Sequence[str]) -> str:
    """The note that runs are named ``row<k>`` (``tried``: the run-id names looked for),
    for a DataFrame with the row each name is (``df.iloc[k-1]``), naming the first column of
    ``raw`` not in ``taken`` whose cells are distinct text, none missing and none a number,
    where there is one."""
    # a DataFrame's rows are said as df.iloc[k] (or by label), counted from 0: the name's
    # k counts from 1, so the note says which row a name is (row4 is df.iloc[3])
    frame = bool(raw.rows) and isinstance(raw.rows[0], FrameRow)
    named = "row<k>, row<k> being df.iloc[k-1] (row1: df.iloc[0])" if frame else "row<k>"
    note = (
        f"no run-id column ({', '.join(tried)}): runs are named {named}; "
        "name one with --map run=COLUMN (read_runs(..., run_column=COLUMN))"
    )
    found = next((n for n in raw.names if n not in taken and _names_runs(raw, n)), None)
    if found is None:
        return note
    return (
        f"{note}; column {found!r} holds a distinct text value per run: "
        f"--map run={shlex.quote(found)} (run_column={found!r})"
    )


def _names_runs(raw: RawTable, name: str) -> bool:
    """Whether column ``name`` holds text in every row, no value twice, none a number."""
    cells = as_list(raw.cells[name])
    return (
        len(cells) > 1
        and all(isinstance(c, str) for c in cells)
        and names_each_run(cells)
        and all(parse_cell(c) is None for c in cells)
    )
