"""A curve file's run ids: the cell each point's run is named by, as text (``row12`` where
it is missing), as a run table names its runs, worked out once per distinct cell."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab.data._raw import cell_id
from scalinglab.data._units import is_missing

__all__ = ["run_ids"]


def run_ids(cells: list[object], rows: Sequence[int]) -> tuple[str, ...]:
    """:func:`~scalinglab.data._raw.cell_id` (a run table's id of the cell) of every point,
    worked out once per distinct cell (a curve file repeats its run's id on every one of
    its thousands of points), so points of a run share one string. Only cells of one type are grouped: equal cells of two types (``1``,
    ``1.0``, ``True``) may read differently."""
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:  # an unhashable cell
        distinct = {}
    if not distinct or len(set(map(type, cells))) != 1:
        return tuple(cell_id(c, row) for c, row in zip(cells, rows, strict=True))
    named = {c: cell_id(c, 0) for c in distinct}
    ids = list(map(named.__getitem__, cells))
    gone = {c for c in distinct if is_missing(c)}
    if gone:  # a missing id is its row's: row12
        ids = [
            cell_id(c, row) if c in gone else i for c, i, row in zip(cells, ids, rows, strict=True)
        ]
    return tuple(ids)
