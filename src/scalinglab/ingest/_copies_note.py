"""The note an ingest gives where the runs it stored are copies of runs stored before from
another source: named by the source ingested then, as this one is by the source ingested now.

A TensorBoard (or Ray Tune) run's source is its own folder, so the copies of a folder of 15
runs would be "identical to runs stored from" 15 folders; the one folder ingested then is
what the user typed, and what ``runs rm --source`` takes to remove that copy's runs.
"""

from __future__ import annotations

import os
import shlex
from collections import Counter
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from scalinglab._format import format_counted
from scalinglab.store import PutSummary, StoredRun
from scalinglab.store._copies import IDENTITY, copy_of, copy_sources

__all__ = ["identical_runs", "ingested_root"]


def ingested_root(copy: str, first: str, where: Path) -> str:
    """The source an earlier ingest was given, of the run stored from ``first`` of which the
    run read from ``copy`` (below ``where``, this ingest's source) is a copy: ``first`` less
    the folders ``copy`` lies in below ``where``, where it ends with them (a folder of runs
    copied whole: ``tb/n0-r0`` for ``tb2/n0-r0`` of ``tb2`` is ``tb``); else ``first``."""
    try:
        below = PurePath(copy).relative_to(os.path.abspath(where)).parts  # as copy is shown
    except ValueError:  # not below it: a file, or a folder read by another path
        return first
    path = PurePath(first)
    if not below or path.parts[-len(below) :] != below or len(path.parts) <= len(below):
        return first
    return str(PurePath(*path.parts[: -len(below)]))


def identical_runs(
    stored: pd.DataFrame | None,
    runs: tuple[StoredRun, ...],
    written: PutSummary,
    where: Path,
    store: Path,
) -> list[str]:
    """A note when runs this ingest added or updated are identical (name, params, tokens,
    loss) to runs stored from another source under other keys: a copy of a file ingested
    under another name adds its runs again, and only a reader that counts them once keeps a
    fit honest. An unchanged re-ingest says nothing again (its table counts the runs
    unchanged, and each fit over the store notes the copies it counted once).

    The originals are named by the sources their ingests were given (a folder of runs, not
    each run's folder: :func:`ingested_root`), and the command to remove one copy names the
    kind of source it takes (``--source FOLDER`` after a folder)."""
    fresh = {*written.added, *written.updated, *written.filled}
    if stored is None or not fresh:
        return []
    given = pd.DataFrame({
        "run_id": [r.run_id for r in runs],
        "source": [r.source for r in runs],
        "extra": [dict(r.extra) for r in runs],  # the folder of a relative source
    })  # fmt: skip
    for name in IDENTITY:
        values = [getattr(r, name) for r in runs]
        given[name] = values if name == "name" else np.asarray(values, dtype=np.float64)
    before = stored.loc[~stored["run_id"].isin(given["run_id"]), given.columns]
    both = pd.concat([before, given], ignore_index=True)
    original = copy_of(both)
    original[original >= len(before)] = -1  # only a copy of what was stored counts here
    counts: Counter[str] = Counter()
    rows = len(before) + np.flatnonzero(given["run_id"].isin(fresh).to_numpy())
    for copy, first, n in copy_sources(both, original, rows):
        counts[ingested_root(copy, first, where)] += n
    if not counts:
        return []
    sources = ", ".join(
        f"{first} ({n})" if len(counts) > 1 else first for first, n in counts.most_common()
    )
    n = counts.total()
    kind = "FOLDER" if where.is_dir() else "FILE"
    return [
        f"{format_counted(n, 'run')} of {where} {'is' if n == 1 else 'are'} identical (same "
        f"name, params, tokens, loss) to {'a run' if n == 1 else 'runs'} stored from "
        f"{sources}: the store holds both copies (`scalinglab runs` lists them) and fits over "
        f"it count each run once; to keep one copy, remove the other {kind.lower()}'s runs "
        f"(`scalinglab runs rm --store {shlex.quote(str(store))} --source {kind}`)"
    ]
