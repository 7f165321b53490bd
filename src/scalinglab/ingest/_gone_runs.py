"""Runs stored from a source that it no longer holds: named after an ingest, with the
command that removes them (an ingest adds and updates, never removes)."""

from __future__ import annotations

import json
import shlex
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.store import StoredRun
from scalinglab.store._sources import stored_from

__all__ = ["gone_runs"]


def gone_runs(
    stored: pd.DataFrame | None,
    runs: tuple[StoredRun, ...],
    skipped: Iterable[str],
    where: Path,
    store: Path,
    *,
    twice: Iterable[str] = (),
) -> list[str]:
    """A note naming the runs stored from ``where`` that it no longer holds (deleted from
    the file since): an ingest adds and updates, never removes, so they stay in the store
    until ``scalinglab runs rm`` takes them out. A run skipped this time is still there,
    and one stored ``twice`` (an older copy of a run read) is noted apart. A folder's runs
    are those stored from inside it (each run's own folder) by the same reader: a table
    ingested from that folder is not one of its runs."""
    if stored is None:
        return []
    read = {r.run_id for r in runs} | set(twice)
    kept = set(skipped)
    kinds = {r.extra.get("ingested_from") for r in runs}
    of = stored_from(stored, where) & stored["extra"].map(lambda e: _ingested_from(e) in kinds)
    gone = [
        (str(run_id), str(name))
        for run_id, name in zip(stored.loc[of, "run_id"], stored.loc[of, "name"], strict=True)
        if run_id not in read and name not in kept
    ]
    if not gone:
        return []
    names = [name for _, name in gone]
    shown = join_more(names)
    # each run by its name, or by its id where other stored runs have the name too
    shared = Counter(stored["name"])
    words = [name if shared[name] == 1 else run_id for run_id, name in gone]
    rm = shlex.join(["scalinglab", "runs", "rm", "--store", str(store)])
    rm += " " + (shlex.join(words) if len(gone) <= 5 else "RUN...")
    return [
        f"{format_counted(len(gone), 'stored run')} of {where} no longer in it: {shown}; "
        f"{'it stays' if len(gone) == 1 else 'they stay'} in the store (`{rm}` removes "
        f"{'it' if len(gone) == 1 else 'them'})"
    ]


def _ingested_from(extra: object) -> object:
    """The reader a stored run's ``extra`` (JSON text) names, ``None`` for none."""
    try:
        data = json.loads(extra) if isinstance(extra, str) and extra else {}
    except ValueError:
        return None
    return data.get("ingested_from") if isinstance(data, dict) else None
