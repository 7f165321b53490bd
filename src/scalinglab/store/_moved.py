"""Runs written again unchanged but read from another place (their folder moved, or an
ingest of a relative path run from another folder): only where they came from is
rewritten; and runs stored before the ingest's folder was recorded, found again unchanged:
only that folder is added."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from scalinglab.store._record import FOLDER, StoredRun

__all__ = ["Moved", "moved_run", "same_content", "write_folders", "write_moved"]


@dataclass(frozen=True)
class Moved:
    """What a moved run's stored row gets: its new source, its hash with that source, and
    its ``extra`` (JSON text) with the folder a relative source was read in."""

    run_id: str
    source: str | None
    content_hash: str
    extra: str


def moved_run(run: StoredRun, digest: str) -> Moved:
    """The rewrite of a stored run read again as ``run`` (hashed ``digest``)."""
    extra = json.dumps(dict(run.extra), sort_keys=True, default=str)
    return Moved(run_id=run.run_id, source=run.source, content_hash=digest, extra=extra)


def same_content(
    run: StoredRun, curve_hash: str, compared: str, before: str, stored_source: str | None
) -> bool:
    """Whether ``run`` holds what is stored under its key (``before``: the stored
    ``"content_hash|status"``), read from the stored source or another: its hash
    (``compared``: with a stored curve of the same values) or its hash with the stored
    ``source`` is the stored one."""
    if before == f"{compared}|{run.status}":
        return True
    if stored_source == run.source:
        return False
    digest = replace(run, source=stored_source).content_hash(curve_hash)
    return before == f"{digest}|{run.status}"


def write_moved(con: Any, moved: list[Moved]) -> None:
    """Rewrite each moved run's source, hash and ``extra`` (one statement; none for none)."""
    if not moved:
        return
    frame = pd.DataFrame(
        {
            "run_id": [m.run_id for m in moved],
            "source": [m.source for m in moved],
            "content_hash": [m.content_hash for m in moved],
            "extra": [m.extra for m in moved],
        }
    )
    frame["updated_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)
    con.register("moved_runs", frame)
    con.execute(
        "UPDATE runs SET source = m.source, content_hash = m.content_hash, extra = m.extra, "
        "updated_at = m.updated_at FROM moved_runs m WHERE runs.run_id = m.run_id"
    )


def write_folders(con: Any, found: list[tuple[str, str | None, str]]) -> None:
    """Add the ingest's folder (:data:`~scalinglab.store._record.FOLDER`) to the stored
    ``extra`` of each ``(run_id, stored extra as JSON text, folder)``: runs stored before it
    was recorded, found again unchanged by their source's text. Nothing else changes, their
    content hash (which leaves the folder out) and ``updated_at`` included: bookkeeping,
    not a change of the run (one statement; none for none)."""
    if not found:
        return
    extras = []
    for _, stored, folder in found:
        extra = json.loads(stored) if stored else {}
        extras.append(json.dumps({**extra, FOLDER: folder}, sort_keys=True, default=str))
    frame = pd.DataFrame({"run_id": [run_id for run_id, _, _ in found], "extra": extras})
    con.register("recorded_folders", frame)
    con.execute(
        "UPDATE runs SET extra = f.extra FROM recorded_folders f WHERE runs.run_id = f.run_id"
    )
