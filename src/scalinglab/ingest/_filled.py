"""Runs a re-ingest only filled in: stored without some values (by an earlier version that
did not record them, a table's ``dataset`` as the run's corpus; or from a file that has a
column more now), found again with those values and no other change. They are written, but counted as filled in, not as updated: nothing the
earlier version recorded changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace

import pandas as pd

from scalinglab.store import PutSummary, StoredRun
from scalinglab.store._reader import row_to_run
from scalinglab.store._record import FOLDER

__all__ = ["filled_in"]

#: Fields that say where a run was read, not what it is: a change there is no fill-in.
_PLACE = ("run_id", "source", "source_run_id", "status")


def filled_in(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary
) -> tuple[PutSummary, list[str]]:
    """``written`` with each updated run whose stored copy only lacked values moved from
    ``updated`` to ``filled``, and a note naming them with what was filled in."""
    if stored is None or not written.updated:
        return written, []
    before = {str(row["run_id"]): row for row in stored.to_dict("records")}
    now = {r.run_id: r for r in runs}
    curves = {run_id for run_id, _ in written.curve_changes}
    filled: dict[str, list[str]] = {}
    for run_id in written.updated:
        if run_id in before and run_id in now and run_id not in curves:
            added = _only_added(row_to_run(before[run_id]), now[run_id])
            if added:
                filled[run_id] = added
    if not filled:
        return written, []
    kept = tuple(r for r in written.updated if r not in filled)
    shown = [f"{now[r].name} ({', '.join(added)})" for r, added in filled.items()]
    more = f"; and {len(shown) - 3} more" if len(shown) > 3 else ""
    note = (
        f"{len(filled)} stored run(s) filled in with values their stored copies lacked (a "
        f"column added to the file, or one an earlier version did not record; nothing stored "
        f"changed): {'; '.join(shown[:3])}{more}"
    )
    return replace(written, updated=kept, filled=tuple(filled)), [note]


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
