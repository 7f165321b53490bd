"""The note of a table without a run-id column by name (``run``, ``name``, ...), whose runs
are named ``row<k>``: where one text column holds a distinct value in every row (a
spreadsheet's ``Model`` column of ``m0``, ``m1``, ...), the note names it in the option
that reads it, as a guess said and not taken (a ``model`` column may as well name the
architecture several runs share)."""

from __future__ import annotations

import shlex
from collections.abc import Collection, Sequence

from scalinglab.data._model_run import names_each_run
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import parse_cell

__all__ = ["no_run_column_note"]


def no_run_column_note(raw: RawTable, taken: Collection[str], tried: Sequence[str]) -> str:
    """The note that runs are named ``row<k>`` (``tried``: the run-id names looked for),
    naming the first column of ``raw`` not in ``taken`` whose cells are distinct text,
    none missing and none a number, where there is one."""
    note = (
        f"no run-id column ({', '.join(tried)}): runs are named row<k>; "
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
