"""Notes on the status each run of a tracker is stored with, said once that status is
decided: a reader knows what the tracker says of a run (W&B's state, MLflow's status, a
TensorBoard run's files written minutes ago), but its loss can still make it ``diverged``
(a NaN as its last point), and a run without a loss is not stored at all. A note made by the
reader would name such runs as stored ``running`` or ``finished`` where the store holds
``diverged`` or nothing."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab.ingest._source import Source
from scalinglab.ingest._tb_live import live_note
from scalinglab.ingest._unfinished import stored_unfinished_note
from scalinglab.store import StoredRun

__all__ = ["status_notes"]


def status_notes(source: Source, runs: Sequence[StoredRun | None], *, now: float) -> list[str]:
    """The notes on the runs of ``source`` stored not finished, and on those stored
    ``finished`` that may still be training.

    Args:
        source: What the tracker's reader read.
        runs: The run stored for each of ``source.runs``, ``None`` for one not stored.
        now: The time to measure how recently a run was written from (seconds since the
            epoch).
    """
    stored = [(r, s) for r, s in zip(source.runs, runs, strict=True) if s is not None]
    notes: list[str] = []
    if source.states_from:  # counted as stored: one the tracker calls running may be diverged
        unfinished = [(r, s) for r, s in stored if r.status != "finished"]
        notes += stored_unfinished_note(
            [(r.name, s.status, r.state) for r, s in unfinished if s.status == r.status],
            source.states_from,
            diverged=[(r.name, r.state or r.status) for r, s in unfinished if s.status != r.status],
        )
    recent = [(s.name, r.written) for r, s in stored if s.status == "finished" and r.written]
    return notes + live_note(recent, now=now)
