"""What ``ingest --history`` says of a history's rows, in the curve reader's words
(:mod:`scalinglab.curves._table`), so that ingesting a file and ``curves fit`` on it say
the same: a run resumed from a checkpoint (its steps go back and rise again) keeps its
later rows at the steps it logged again, with the note :func:`~scalinglab.curves._logged.
resumed` writes; rows without a finite loss are counted per run, with the note
:func:`~scalinglab.curves._logged.no_loss_note` writes (the store keeps their other values,
an lr, and ``curves fit --store`` skips them as loss points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab.curves._logged import no_loss_note, resumed
from scalinglab.ingest._source import RUN, STEP

__all__ = ["drop_resumed", "first_row", "rows_without_loss"]


def first_row(source: str) -> int:
    """The row number of a file's first data row, as the curve reader counts rows: 2 in a
    CSV or TSV (its header is row 1), else 1."""
    return 2 if source.lower().endswith((".csv", ".tsv")) else 1


def drop_resumed(
    frame: pd.DataFrame, names: Sequence[str], *, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` (``_run`` indexing ``names``, ``_step``, in file order; its index the
    row's position in the file) less the rows a resumed run logged over, and a note per
    run so resumed; steps that go back in no way a resume explains are left as they are
    (the store keeps the last row of a step logged twice)."""
    runs, steps = frame[RUN].to_numpy(), frame[STEP].to_numpy()
    order = np.argsort(runs, kind="stable")  # by run, each in file order
    r, s = runs[order], steps[order]
    back = (r[1:] == r[:-1]) & (s[1:] <= s[:-1])
    if not back.any():
        return frame, []
    keep = np.ones(len(frame), dtype=bool)
    at, notes = frame.index.to_numpy() + first_row(source), []
    for code in np.unique(r[1:][back]):
        idx = order[r == code]
        found = resumed(steps[idx].astype(np.float64), [int(k) for k in at[idx]],
                        who=f"run {names[int(code)]!r} ({source})")  # fmt: skip
        if found is not None:
            keep[idx[~found[0]]] = False
            notes.append(found[1])
    return (frame if keep.all() else frame[keep]), notes


def rows_without_loss(
    frame: pd.DataFrame | None,
    names: Sequence[str | None],
    loss: str,
    *,
    source: str,
    column: str | None = None,
    others: Sequence[str] = (),
) -> list[str]:
    """The note on the rows of ``frame`` whose ``loss`` is blank, NaN or inf, of the runs
    ``names`` holds (``None``: a run not stored, or left out as diverged, which its own note
    names), counted per run; none where there are none. ``column``: the file's name of
    ``loss``, where the frame names it otherwise; ``others``: the frame's other loss
    columns, each said where those rows lack it too (``(nor in 'eval/loss')``)."""
    if frame is None or loss not in frame.columns:
        return []
    runs = frame[RUN].to_numpy()
    stored = np.array([n is not None for n in names], dtype=bool)
    bad = ~np.isfinite(frame[loss].to_numpy(dtype=np.float64)) & stored[runs]
    if not bad.any():
        return []
    codes, counts = np.unique(runs[bad], return_counts=True)
    each = {str(names[int(c)]): int(k) for c, k in zip(codes, counts, strict=True)}
    said = []  # the other loss columns those rows lack: the row said once, with them all
    for other in (o for o in dict.fromkeys(others) if o != loss and o in frame.columns):
        lacks = int((~np.isfinite(frame[other].to_numpy(dtype=np.float64)) & bad).sum())
        if lacks:
            of = "" if lacks == int(bad.sum()) else f"{lacks} of them "
            said.append(f"{of}nor in {other!r}")
    also = f" ({'; '.join(said)})" if said else ""
    return [no_loss_note(source, column or loss, each, done="skipped as loss points", also=also)]
