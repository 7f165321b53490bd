"""Runs stored under the key an earlier version gave them, found again.

Before a run table's rows without a run id were keyed by their values, they were keyed
``<file>::row<k>``; before a TensorBoard run was keyed by its first event file, it was keyed
``<its path below the folder ingested>::<first file>``; a row's values were read otherwise
before (:mod:`~scalinglab.ingest._earlier_reading`: a state column, ``30.5%``, nested JSON
objects, each a text label). Ingesting again after upgrading
would store each such run a second time (and call the stored ones gone from the source).
A stored run under an old key is an incoming run when it is the same row of the same file
(the same identifying values: sizes, hyperparameters, labels, wherever the row is now) or
the same event file (in the key itself): it is re-keyed in place, in the write
(:mod:`scalinglab.store._rekey`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab._format import format_counted
from scalinglab.data._tracker_names import tracker_column
from scalinglab.ingest._convert import Converted, ingest_run_id
from scalinglab.store import StoredRun
from scalinglab.store._reader import row_to_run

__all__ = ["LegacyKeys", "find_legacy_keys", "legacy_notes"]

_SIZES = ("params", "tokens", "flops")
_ROW = re.compile(r"row\d+")


@dataclass(frozen=True)
class LegacyKeys:
    """Stored runs found under an earlier version's key.

    Attributes:
        rekey: Stored id -> the id this version gives the run: re-keyed in the write.
        twice: Stored ids of runs stored under both keys already (an ingest after upgrading,
            before this fix): the older copies, which a fit would count twice.
        stored: The stored runs as they will be once re-keyed (``None``: no store yet).
    """

    rekey: Mapping[str, str]
    twice: tuple[str, ...]
    stored: pd.DataFrame | None


def _value(run: StoredRun, column: str) -> Any:
    """A table column's value as a stored run holds it: a size in its field, a label in its
    config, another number in its extra, non-embedding parameters in their field (earlier
    versions kept them in extra, under the column's name); numbers as floats."""
    value: Any = None
    if column in _SIZES:
        value = getattr(run, column)
    elif column in run.config:
        value = run.config[column]
    elif column in run.extra:
        value = run.extra[column]
    elif tracker_column([column], "params_non_embedding") == column:
        value = run.params_non_embedding
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _identity(run: StoredRun, columns: tuple[str, ...]) -> str:
    return repr([(c, _value(run, c)) for c in columns])


def _old_rows(stored: pd.DataFrame, converted: Converted) -> dict[tuple[str, str], list[str]]:
    """Stored runs of the files read that are keyed ``<file>::row<k>`` (the key their row
    number gave them), in row order, by (file name, identity): a row keeps its values
    where it moves, so it is found at any row."""
    files = {
        Path(run.source or "").name
        for run in converted.runs
        if run.run_id in converted.by_place and run.extra.get("ingested_from") == "table"
    }
    found: list[tuple[int, str, StoredRun]] = []
    for row in stored.to_dict("records"):
        place, source = row.get("source_run_id"), row.get("source")
        if not isinstance(place, str) or not isinstance(source, str):
            continue
        name = Path(source).name
        old_key = ingest_run_id("table", f"{name}::{place}")
        if name in files and _ROW.fullmatch(place) and row["run_id"] == old_key:
            found.append((int(place[3:]), name, row_to_run(row)))
    out: dict[tuple[str, str], list[str]] = {}
    for _, name, run in sorted(found, key=lambda item: item[0]):
        out.setdefault((name, _identity(run, converted.identity)), []).append(run.run_id)
    return out


def find_legacy_keys(converted: Converted, stored: pd.DataFrame | None) -> LegacyKeys:
    """Which stored runs are incoming runs under an earlier version's key: a TensorBoard
    run under one of its own old keys, a table's row under any row's old key of its file
    with the same identifying values (the first such row not taken, in row order)."""
    if stored is None or not (converted.legacy or converted.by_place):
        return LegacyKeys({}, (), stored)
    ids = set(stored["run_id"].astype(str))
    incoming = {run.run_id for run in converted.runs}
    rows = _old_rows(stored, converted) if converted.identity else {}
    rekey: dict[str, str] = {}
    twice: list[str] = []
    for run in converted.runs:
        by_row = rows.get((Path(run.source or "").name, _identity(run, converted.identity)), [])
        for old in (*converted.legacy.get(run.run_id, ()), *by_row):
            if old not in ids or old in incoming or old in rekey or old in twice:
                continue
            if run.run_id in ids:  # stored under both keys: the old copy is one too many
                twice.append(old)
            else:
                rekey[old] = run.run_id
            break
    if rekey:
        stored = stored.assign(run_id=stored["run_id"].map(lambda i: rekey.get(i, i)))
    return LegacyKeys(rekey, tuple(twice), stored)


def legacy_notes(found: LegacyKeys, store: Path) -> list[str]:
    """What was found under an earlier version's keys: runs re-keyed, and copies stored
    twice (named by id: the two copies share their name) with how to remove them."""
    notes = [
        f"{format_counted(len(found.rekey), 'stored run')} keyed as an earlier scalinglab "
        f"keyed {'it' if len(found.rekey) == 1 else 'them'} (a "
        "table's row by its number or all its values, a TensorBoard run by its folder's "
        "path) found again: re-keyed in place, each stored once"
    ] if found.rekey else []  # fmt: skip
    if found.twice:
        ids = list(found.twice)
        them = "it" if len(ids) == 1 else "them"
        rm = shlex.join(["scalinglab", "runs", "rm", "--store", str(store), *ids])
        notes.append(
            f"warning: {format_counted(len(ids), 'run')} {'is' if len(ids) == 1 else 'are'} "
            f"stored twice, also under the key an earlier scalinglab gave {them} (an ingest "
            f"after upgrading added {them} again), so a fit over the store counts {them} twice; `{rm}` removes the older {'copy' if len(ids) == 1 else 'copies'}"
        )
    return notes
