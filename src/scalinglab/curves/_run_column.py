"""Which column could name the runs of a curve file read as one run whose steps restart:
several runs in one file under a run column the reader does not know by name."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab.curves._logged import RESORT
from scalinglab.data._raw import RawTable, as_list

__all__ = ["run_column_hint"]


def run_column_hint(raw: RawTable, at: int, used: Sequence[str | None]) -> str:
    """The hint for steps that restart at row index ``at``: the columns other than ``used``
    whose value changes there and that hold few distinct values (labels, not
    measurements), as the run column to map (``--map run=COLUMN``); else how to mark the
    runs."""
    candidates = []
    for name in raw.names:
        if name in used:
            continue
        cells = as_list(raw.cells[name])
        if cells[at] != cells[at - 1] and 2 * len(set(map(str, cells))) <= len(cells):
            candidates.append(name)
    if candidates:
        shown = " or ".join(repr(n) for n in candidates[:3])
        return (
            f"column {shown} changes where the steps restart and could name the runs: "
            f"--map run={candidates[0]} (columns={{'run': {candidates[0]!r}}} in Python), or "
            "write one run per file"
        )
    return (
        "for several runs, add a 'run' column naming each (or write one run per file); "
        f"for one run, {RESORT}"
    )
