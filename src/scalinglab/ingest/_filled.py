"""Runs a re-ingest only filled in: stored without some values (by an earlier version that
did not record them, a table's ``dataset`` as the run's corpus; or from a file that has a
column more now), found again with those values and no other change. They are written, but
counted as filled in, not as updated: nothing the earlier version recorded changed. They are
found before the write, so that ``--on-conflict keep`` writes them too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.store import PutSummary, StoredRun
from scalinglab.store._reader import row_to_run
from scalinglab.store._record import FOLDER

__all__ = ["fill_ins", "filled_note"]

#: Fields that say where a run was read, not what it is: a change there is no fill-in.
_PLACE = ("run_id", "source", "source_run_id", "status")


def fill_ins(stored: pd.DataFrame | None, runs: tuple[StoredRun, ...]) -> dict[str, list[str]]:
    """Each run whose stored copy (``stored``: the store before this write) only lacked
    values, by id, with what it fills in. Found before the write, so that a fill-in is
    written under ``--on-conflict keep`` too; the store still refuses one whose curve
    differs from the stored curve."""
    if stored is None or not len(stored):
        return {}
    now = {r.run_id: r for r in runs}
    found: dict[str, list[str]] = {}
    for row in stored[stored["run_id"].isin(list(now))].to_dict("records"):
        run_id = str(row["run_id"])
        added = _only_added(row_to_run(row), now[run_id])
        if added:
            found[run_id] = added
    return found


def filled_note(
    fills: Mapping[str, list[str]], runs: tuple[StoredRun, ...], written: PutSummary
) -> list[str]:
    """A note naming the runs written as filled in, with what was filled in."""
    if not written.filled:
        return []
    names = {r.run_id: r.name for r in runs}
    shown = [f"{names[r]} ({', '.join(fills[r])})" for r in written.filled if r in fills]
    return [
        f"{format_counted(len(written.filled), 'stored run')} filled in with values "
        f"{'its stored copy' if len(written.filled) == 1 else 'their stored copies'} lacked "
        f"(a column added to the file, or one an earlier version did not record; nothing "
        f"that was stored before changed): {join_more(shown, 3, sep='; ')}"
    ]


def _only_added(old: StoredRun, new: StoredRun) -> list[str]:
    """What ``new`` records that ``old`` lacked (``corpus c4``), or ``[]`` where anything
    else differs (or nothing does)."""
    added: list[str] = []
    for f in fields(StoredRun):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            inner = _added_keys(a, b, f.name)
            if inner is None:
                return []
            added += inner
        elif a != b:
            if a is not None or f.name in _PLACE:
                return []
            added.append(_said(f.name, b))
    return added


def _added_keys(
    old: Mapping[str, object], new: Mapping[str, object], where: str
) -> list[str] | None:
    """The keys of ``new`` that ``old`` lacks (one level into a section), or ``None`` where
    a key of ``old`` changed or is gone."""
    added: list[str] = []
    place = {FOLDER} if where == "extra" else set()  # the ingest's folder: where it was read
    for key in {*old, *new} - place:
        if key not in old:
            added.append(_said(key if where == "config" else f"{where}.{key}", new[key]))
        elif key not in new:
            return None
        elif old[key] != new[key]:
            a, b = old[key], new[key]
            nested = isinstance(a, Mapping) and isinstance(b, Mapping)
            inner = _added_keys(a, b, f"{where}.{key}") if nested else None  # type: ignore[arg-type]
            if inner is None:
                return None
            added += inner
    return sorted(added)


def _said(name: str, value: object) -> str:
    """``corpus c4``: a value filled in, by name, with a short value shown."""
    text = str(value)
    return f"{name} {text}" if isinstance(value, str | int | float) and len(text) <= 40 else name
