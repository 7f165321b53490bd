"""A run table as an earlier scalinglab read it, for the keys it gave the rows without a run
id (:func:`~scalinglab.ingest._row_identity.row_keys` over their identifying values).

Three columns are read otherwise now, and each changes those values: a state column
(``status``: finished, running) is each run's stored status, no label of it; values written
with ``%`` (``30.5%``) are numbers (fractions), no text; and a JSON record's nested objects
are dotted columns (``config.lr``), not one text cell each (``{'lr': 0.001}``). Ingesting the
same file again after upgrading must find the runs stored under the keys read the earlier
way (:mod:`~scalinglab.ingest._legacy_keys`), instead of storing each of them a second time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scalinglab.data import RunTable
from scalinglab.data._files import check_file
from scalinglab.data._percent import percent_values
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._table import CANONICAL
from scalinglab.data._text_readers import read_json, read_jsonl
from scalinglab.data._units import is_missing

__all__ = ["earlier_table"]

Cells = Sequence[object] | NDArray[np.generic]


def earlier_table(
    raw: RawTable, table: RunTable, *, path: Path, state: str | None
) -> RunTable | None:
    """``table`` (read from ``raw`` at ``path``, less its state column ``state``) with the
    columns an earlier reader read otherwise as it read them: as text labels, each cell as
    it then read one (``str`` of it, ``""`` where blank); ``None`` where it read every
    column alike, or where every run has a run id (a named run's key is its name)."""
    if all(run != f"row{row:d}" for run, row in zip(table.runs, table.rows, strict=True)):
        return None
    at = {row: k for k, row in enumerate(raw.rows)}

    def text(cells: Cells) -> tuple[str, ...]:
        values = as_list(cells)
        return tuple("" if is_missing(values[at[r]]) else str(values[at[r]]) for r in table.rows)

    numbers, labels = dict(table.columns), dict(table.labels)
    if state is not None:
        labels[state] = text(raw.cells[state])
    for name in [c for c in numbers if c in raw.names and c not in CANONICAL]:
        if percent_values(raw.cells[name]) is not None:  # 30.5%: text then
            del numbers[name]
            labels[name] = text(raw.cells[name])
    whole = _unflattened(raw, table, path)
    nested = {} if whole is None else whole.cells
    for name, cells in nested.items():
        if any(isinstance(c, dict) for c in as_list(cells)):  # one cell then, its text
            for dotted in [c for c in (*numbers, *labels) if c.startswith(f"{name}.")]:
                if dotted not in nested:
                    numbers.pop(dotted, None)
                    labels.pop(dotted, None)
            labels[name] = text(cells)
    if numbers.keys() == table.columns.keys() and labels == dict(table.labels):
        return None
    return replace(table, columns=numbers, labels=labels)


def _unflattened(raw: RawTable, table: RunTable, path: Path) -> RawTable | None:
    """The records of a JSON(L) file whose nested objects were read as dotted columns, each
    read again as one cell; ``None`` for any other file."""
    names: Collection[str] = (*table.columns, *table.labels)
    if not any("." in name for name in names):
        return None
    kind = check_file(path, raw.source)
    if kind == "jsonl":
        return read_jsonl(path, raw.source, flat=False)
    if kind == "json":
        return read_json(path, raw.source, flat=False)
    return None
