"""What an ingest says about the store it writes to: runs it replaced with other values, runs
found again at another path or in another export, and runs that another source already
stored."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._format import format_quantity
from scalinglab.store import PutSummary, RunStore, StoredRun
from scalinglab.store._copies import IDENTITY, copy_of, copy_sources

__all__ = ["identical_runs", "moved_runs", "replaced_runs", "respelled_runs", "stored_runs"]


def stored_runs(store: RunStore, runs: tuple[StoredRun, ...]) -> pd.DataFrame | None:
    """The stored runs before a write (one read for every note), or ``None`` for a store
    still to create (no file, or an empty one) or nothing to write."""
    path = store.path
    if not runs or not path.exists() or path.stat().st_size == 0:
        return None
    return store.runs_frame()


def moved_runs(written: PutSummary, where: Path) -> list[str]:
    """A note when stored runs were found again, unchanged, at another path."""
    if not written.moved:
        return []
    return [
        f"{len(written.moved)} stored run(s) moved: the same runs, now read from {where}; "
        "only their source was updated"
    ]


def respelled_runs(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary
) -> list[str]:
    """A line when unchanged runs are stored from another source: the same runs in another
    export (W&B's CSV, then its JSON), whose values matched in another spelling. The stored
    runs stay as they were, ``source`` included, and the line says where they came from."""
    if stored is None or not written.unchanged:
        return []
    before = dict(zip(stored["run_id"], stored["source"].fillna("(no source)"), strict=True))
    unchanged = set(written.unchanged)
    counts = Counter(
        str(before[r.run_id])
        for r in runs
        if r.run_id in unchanged and r.run_id in before and before[r.run_id] != r.source
    )
    if not counts:
        return []
    # an unchanged run: the line is short and count-free (the table counts them), as it
    # comes again at each ingest of this export
    sources = ", ".join(first for first, _ in counts.most_common())
    return [
        f"unchanged runs: stored already from {sources}, the same values in another "
        "export's spelling (left as stored)"
    ]


def identical_runs(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary, where: Path
) -> list[str]:
    """A note when runs this ingest added or updated are identical (name, params, tokens,
    loss) to runs stored from another source under other keys: a copy of a file ingested
    under another name adds its runs again, and only a reader that counts them once keeps a
    fit honest. An unchanged re-ingest says nothing again (its table counts the runs
    unchanged, and each fit over the store notes the copies it counted once)."""
    fresh = {*written.added, *written.updated}
    if stored is None or not fresh:
        return []
    given = pd.DataFrame({"run_id": [r.run_id for r in runs], "source": [r.source for r in runs]})
    for name in IDENTITY:
        values = [getattr(r, name) for r in runs]
        given[name] = values if name == "name" else np.asarray(values, dtype=np.float64)
    before = stored.loc[~stored["run_id"].isin(given["run_id"]), given.columns]
    both = pd.concat([before, given], ignore_index=True)
    original = copy_of(both)
    original[original >= len(before)] = -1  # only a copy of what was stored counts here
    counts: Counter[str] = Counter()
    rows = len(before) + np.flatnonzero(given["run_id"].isin(fresh).to_numpy())
    for _, first, n in copy_sources(both, original, rows):
        counts[first] += n
    if not counts:
        return []
    sources = ", ".join(
        f"{first} ({n})" if len(counts) > 1 else first for first, n in counts.most_common()
    )
    return [
        f"{counts.total()} run(s) of {where} are identical (same name, params, tokens, loss) "
        f"to runs stored from {sources}: the store holds both copies (`scalinglab runs` "
        "lists them) and fits over it count each run once; to keep one copy, ingest into a "
        "new store without one of the two"
    ]


def replaced_runs(stored: pd.DataFrame | None, runs: tuple[StoredRun, ...]) -> list[str]:
    """A note when runs replace stored ones of the same key with other sizes or losses:
    the key is the file's name and the run's, so another experiment's file of the same
    name would replace them without a word."""
    if stored is None or not runs:
        return []
    keys = ["params", "tokens", "loss"]
    known = stored.set_index("run_id")[keys]  # three columns
    given = pd.DataFrame(
        [(r.run_id, r.name, *(getattr(r, k) for k in keys)) for r in runs],
        columns=["run_id", "name", *keys],
    ).set_index("run_id")
    both = given.join(known.add_suffix("_old"), how="inner")  # the runs the store holds
    now = both[keys].to_numpy(dtype=float)  # None -> NaN
    before = both[[f"{k}_old" for k in keys]].to_numpy(dtype=float)
    moved = np.isfinite(now) & np.isfinite(before) & ~np.isclose(now, before, rtol=1e-9, atol=0)
    changed = [
        f"{name} ("
        + ", ".join(
            f"{k} {format_quantity(a, k)} -> {format_quantity(b, k)}"
            for k, m, a, b in zip(keys, flags, old, new, strict=True)
            if m
        )
        + ")"
        for name, flags, old, new in zip(both["name"], moved, before, now, strict=True)
        if flags.any()
    ]
    if not changed:
        return []
    shown = "; ".join(changed[:3]) + (f"; and {len(changed) - 3} more" if len(changed) > 3 else "")
    return [
        f"{len(changed)} stored run(s) replaced by other values under the same key: {shown}. "
        "Runs are keyed by file and run name: a file of the same name from another "
        "experiment replaces them; rename it, or --on-conflict keep"
    ]
