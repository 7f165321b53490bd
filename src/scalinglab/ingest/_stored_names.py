"""Runs whose names say where they were read, not which run they are: a TensorBoard run is
named by its folder below the folder ingested, a run table's row without a run id by its
row. Found again under their key, they keep the name they were stored under, so ingesting
the folder above (or a table with a row removed) changes nothing; a new one whose name a
stored run of the source has (a row inserted above others) is named apart from it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.ingest._convert import Converted
from scalinglab.store import StoredRun
from scalinglab.store._sources import stored_from

__all__ = ["keep_stored_names", "said_as_stored"]


def keep_stored_names(
    converted: Converted, stored: pd.DataFrame | None, where: Path
) -> tuple[Converted, list[str]]:
    """``converted`` with each of its ``by_place`` runs that is stored already under its
    key named as stored, each new one named apart from the stored runs of ``where`` (and
    the runs read), and a note for each. Its notes are left as read: :func:`said_as_stored`
    names the runs in them as stored, once notes found by the names read (a kept run's
    diverged note) are settled."""
    if stored is None or not converted.by_place:
        return converted, []
    before = {
        str(run_id): (str(name), None if pd.isna(source_run_id) else str(source_run_id))
        for run_id, name, source_run_id in zip(
            stored["run_id"], stored["name"], stored["source_run_id"], strict=True
        )
    }
    runs, kept = [], []
    for run in converted.runs:
        was = before.get(run.run_id) if run.run_id in converted.by_place else None
        if was is not None and was != (run.name, run.source_run_id):
            kept.append((run.name, was[0]))
            run = replace(run, name=was[0], source_run_id=was[1])
        runs.append(run)
    of = stored_from(stored, where)
    runs, apart = _named_apart(runs, converted, set(before), set(stored.loc[of, "name"]))
    notes = []
    if kept:
        shown = join_more([f"{new!r} as {old!r}" for new, old in kept], 3)
        notes.append(
            f"{format_counted(len(kept), 'stored run')} found again "
            f"{'keeps the name it was' if len(kept) == 1 else 'keep the names they were'} "
            "stored under "
            f"({shown}): a name that says where a run was read (its folder below the "
            "one ingested, its row) is not the run's"
        )
    if apart:
        shown = join_more([f"{new!r} as {old!r}" for new, old in apart], 3)
        notes.append(
            f"{format_counted(len(apart), 'new run')} renamed ({shown}): a stored run of {where} has "
            "the name (a row inserted above it), and a name is one run's"
        )
    return (replace(converted, runs=tuple(runs)), notes) if notes else (converted, [])


def said_as_stored(
    notes: Sequence[str], read: Sequence[StoredRun], runs: Sequence[StoredRun]
) -> tuple[str, ...]:
    """``notes`` (made as each run was read: diverged, non-finite, ...) with each run of
    ``read`` named as ``runs`` (the same runs, in order, as :func:`keep_stored_names` names
    them) name it now, as stored: the one way every note made before names settle names a
    run. A name read that is now two runs' (a row read twice), or is still another's, is
    left as read: which run it meant is not clear from the text."""
    now: dict[str, set[str]] = {}
    for old, new in zip(read, runs, strict=True):
        now.setdefault(old.name, set()).add(new.name)
    names = {r.name for r in runs}
    pairs = {
        repr(old): repr(next(iter(new)))
        for old, new in now.items()
        if len(new) == 1 and old not in new and old not in names
    }
    if not pairs:
        return tuple(notes)
    quoted = re.compile("|".join(re.escape(old) for old in sorted(pairs, key=len, reverse=True)))
    return tuple(quoted.sub(lambda m: pairs[m.group(0)], note) for note in notes)


def _named_apart(
    runs: list[StoredRun], converted: Converted, stored_ids: Collection[str], names: set[str]
) -> tuple[list[StoredRun], list[tuple[str, str]]]:
    """``runs`` with each new ``by_place`` run whose name a stored run of the source
    (``names``) or another run read has renamed ``<name>-2`` (``-3``...), and the
    (name, new name) pairs."""
    read = Counter(r.name for r in runs)
    taken = names | set(read)
    out, renamed = [], []
    for run in runs:
        new = run.run_id in converted.by_place and run.run_id not in stored_ids
        if new and (run.name in names or read[run.name] > 1):
            n = 2
            while f"{run.name}-{n}" in taken:
                n += 1
            renamed.append((run.name, f"{run.name}-{n}"))
            taken.add(f"{run.name}-{n}")
            run = replace(run, name=f"{run.name}-{n}")
        out.append(run)
    return out, renamed
