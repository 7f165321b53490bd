"""Notes on the status each run of a tracker is stored with, said once that status is
decided: a reader knows what the tracker says of a run (W&B's state, MLflow's status, a
TensorBoard run's files written minutes ago), but its loss can still make it ``diverged``
(a NaN as its last point), and a run without a loss is not stored at all. A note made by the
reader would name such runs as stored ``running`` or ``finished`` where the store holds
``diverged`` or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scalinglab.ingest._source import Source
from scalinglab.ingest._unfinished import stored_unfinished_note
from scalinglab.store import StoredRun

__all__ = ["recently_written", "status_notes"]


def status_notes(source: Source, runs: Sequence[StoredRun | None], *, store: Path) -> list[str]:
    """The notes on the runs of ``source`` stored not finished (those stored ``finished``
    that may still be training: :func:`recently_written`).

    Args:
        source: What the tracker's reader read.
        runs: The run stored for each of ``source.runs``, ``None`` for one not stored.
        store: The store they are written to, whose path the note's commands name.
    """
    stored = [(r, s) for r, s in zip(source.runs, runs, strict=True) if s is not None]
    notes: list[str] = []
    if source.states_from:  # counted as stored: one the tracker calls running may be diverged
        unfinished = [(r, s) for r, s in stored if r.status != "finished"]
        notes += stored_unfinished_note(
            [(r.name, s.status, r.state) for r, s in unfinished if s.status == r.status],
            source.states_from,
            store=store,
            diverged=[(r.name, r.state or r.status) for r, s in unfinished if s.status != r.status],
        )
    return notes


def recently_written(source: Source, runs: Sequence[StoredRun | None]) -> dict[str, float]:
    """``run_id`` -> when its files were last written, of each run of ``source`` stored
    ``finished`` whose tracker records no status (TensorBoard): named in the warning on runs
    that may still be training once ingest knows the name each is stored under (a run found
    again keeps its stored name, not the folder it was read from now)."""
    return {
        s.run_id: r.written
        for r, s in zip(source.runs, runs, strict=True)
        if s is not None and s.status == "finished" and r.written
    }
