"""Evaluations in the run store: one score per (run, task, metric), joined to a stored run.

An evaluation names its model as the evaluation tool does (lm-evaluation-harness: the
``pretrained=`` path or ``model_name``); it is joined to the stored run with that ``run_id``,
else that ``name``, else that ``source_run_id`` (the tracker's id), so a score never sits in
the store without the run (params, tokens, loss) it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab import _repr
from scalinglab._checks import given
from scalinglab._errors import ConfigError, StoreError
from scalinglab._format import format_counted, join_more, noun_for

__all__ = ["EVAL_COLUMNS", "EXAMPLES", "EvalsWritten", "check_frame", "read_evals", "write_evals"]

#: The columns of the store's ``evals`` table (``run_id`` resolved from a ``run`` column).
EVAL_COLUMNS = ("run_id", "task", "metric", "value")

#: The metric under which the run store keeps a task's number of examples beside its scores
#: (a harness file's ``n-samples``): not a score. Here, not in downstream/, so that listing
#: the runs does not import the downstream fits and SciPy (3 s: ``scalinglab runs``).
EXAMPLES = "examples"


@dataclass(frozen=True)
class EvalsWritten:
    """What one write of evaluations did.

    Attributes:
        added: Scores new to the store.
        updated: Scores whose stored value changed.
        unchanged: Scores stored with the same value already.
        runs: The stored runs they were joined to, by name (by id where a run has none).
        replaced: ``(run_id, task, metric, value)`` of each stored score an update
            replaced, its value as it was: another source may have written it (a
            tracker's ``hellaswag/acc``).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    runs: tuple[str, ...] = ()
    replaced: tuple[tuple[str, str, str, float], ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.evals_written(self)

    def to_dict(self) -> dict[str, Any]:
        """The write's counts as plain data, as ``--json`` holds them.

        Returns:
            ``added``, ``updated``, ``unchanged`` and ``runs`` (a list).
        """
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "runs": list(self.runs),
        }


def check_frame(evals: object) -> None:
    """Refuse evaluations that are no DataFrame (``put_evals(5)``: not ``AttributeError``
    ``.columns``), with the columns to give."""
    if not isinstance(evals, pd.DataFrame):
        raise ConfigError(
            f"RunStore.put_evals takes a DataFrame of scores, got {given(evals)}",
            hint="one row per score, columns run (or run_id), task, metric, value: "
            "pd.DataFrame({'run': ['r1'], 'task': ['piqa'], 'metric': ['acc'], 'value': [0.6]})",
        )


def _incoming(frame: pd.DataFrame) -> pd.DataFrame:
    key = "run_id" if "run_id" in frame.columns else "run"
    missing = [c for c in (key, "task", "metric", "value") if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"evaluations need the columns run (or run_id), task, metric, value; missing "
            f"{', '.join(missing)}"
        )
    out = pd.DataFrame(
        {
            "run": frame[key].astype(str).to_numpy(),
            "task": frame["task"].astype(str).to_numpy(),
            "metric": frame["metric"].astype(str).to_numpy(),
            "value": pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=np.float64),
        }
    )
    bad = ~np.isfinite(out["value"].to_numpy())
    if bad.any():
        row = out[bad].iloc[0]
        raise ConfigError(
            f"run {row['run']!r}, task {row['task']!r}, {row['metric']}: the value is not a "
            "finite number"
        )
    twice = out.duplicated(["run", "task", "metric"])
    if twice.any():
        row = out[twice].iloc[0]
        raise ConfigError(
            f"run {row['run']!r}, task {row['task']!r}, {row['metric']} is given twice in one write"
        )
    return out


def _resolve(con: Any, names: list[str], path: Path) -> dict[str, str]:
    """Evaluated model -> stored run_id, by run_id, then name, then the tracker's run id."""
    stored = con.execute("SELECT run_id, name, source_run_id, source, extra FROM runs").fetchall()
    by_id = {r[0]: r[0] for r in stored}
    found: dict[str, str] = {}
    ambiguous: list[str] = []
    for column in (1, 2):
        seen: dict[str, list[str]] = {}
        for row in stored:
            if row[column] is not None:
                seen.setdefault(str(row[column]), []).append(row[0])
        for name in names:
            if name in by_id or name in found or name not in seen:
                continue
            if len(seen[name]) > 1:
                ambiguous.append(name)
            else:
                found[name] = seen[name][0]
    found.update({n: by_id[n] for n in names if n in by_id})
    if ambiguous:
        raise _ambiguous(sorted(set(ambiguous)), stored, path)  # a name and a tracker id: once
    missing = sorted(set(names) - set(found))
    if missing:
        known = sorted({str(r[1]) for r in stored})
        runs = f"stored runs: {join_more(known, 8)}" if known else "the store holds no runs"
        raise StoreError(
            f"{path}: {format_counted(len(missing), 'evaluated model')} "
            f"{'is not a run' if len(missing) == 1 else 'are not runs'} of the store: "
            f"{join_more([repr(n) for n in missing])} ({runs})",
            hint=_missing_hint(stored),
        )
    return found


def _ambiguous(names: list[str], stored: list[tuple[Any, ...]], path: Path) -> StoreError:
    """The refusal of evaluated models that each name several stored runs (one run ingested
    from two trackers): each name's runs by id and source, and how to keep one."""
    # here, not at the top: _record imports this module, and _sources imports _record
    from scalinglab.store._sources import shown_source

    each = []
    for name in names[:3]:
        # each source as `runs` shows it from here: the text `runs rm --source` takes
        runs = [
            f"{r[0]} from {shown_source(r[3], r[4])}"
            for r in stored
            if name in (str(r[1]), str(r[2]))
        ]
        each.append(f"{name!r}: {join_more(runs, 3)}")
    more = f"; and {len(names) - 3} more" if len(names) > 3 else ""
    return StoreError(
        f"{path}: the evaluated {noun_for(len(names), 'model')} "
        f"{join_more([repr(n) for n in names])} name several stored runs "
        f"({'; '.join(each)}{more})",
        hint=f"keep one run of each name: `scalinglab runs rm --store {path} --source FILE` "
        "removes one source's runs (--dry-run lists them first); or store the scores as an "
        "evaluation table (run, task, metric, value) whose run column holds each run's "
        f"run_id (`scalinglab runs --store {path} --json` lists them)",
    )


#: The name a run table's row gets where the table has no run column (row7, row7-2).
_ROW_NAME = re.compile(r"row\d+(?:-\d+)?")


def _missing_hint(stored: list[tuple[Any, ...]]) -> str:
    """What to do about evaluated models the store has no run of: where its runs came from
    a table without a run column (named ``row<k>``), name that column, since ingesting the
    runs first is what was done already; where it has runs, not these, they were skipped
    at ingest (a missing loss) or named otherwise; ingest the runs first where it has none."""
    rows = sorted(  # by row number: row2 before row10
        {str(r[1]) for r in stored if r[1] is not None and _ROW_NAME.fullmatch(str(r[1]))},
        key=lambda name: [int(k) for k in re.findall(r"\d+", name)],
    )
    if rows:
        said = ("has no name of its own", "its") if len(rows) == 1 else (
            "have no names of their own", "their")  # fmt: skip
        return (
            f"{format_counted(len(rows), 'stored run')} {said[0]} ({join_more(rows, 3)}: "
            f"{said[1]} table had no run column): ingest the table again with --map "
            "run=COLUMN, the column naming each run as the evaluations name its model"
        )
    if stored:  # the runs were ingested, these not: skipped then (its note said), or misnamed
        return (
            "the store has runs, but not these: a run that ingest skipped (its note said why: "
            "no value of 'loss', say) or that its table lacked is not stored; give each run "
            "what it lacks and ingest the table again, each named as the evaluations name "
            "its model"
        )
    return (
        "ingest the runs first (scalinglab ingest runs.csv --store ...), each named as the "
        "evaluations name its model"
    )


def write_evals(con: Any, frame: pd.DataFrame, path: Path) -> EvalsWritten:
    """Join ``frame`` (run, task, metric, value) to the stored runs and write it on ``con``
    (a :func:`scalinglab.store._schema.write_copy` connection): one score per key."""
    incoming = _incoming(frame)
    if incoming.empty:
        return EvalsWritten()
    ids = _resolve(con, sorted(set(incoming["run"])), path)
    incoming.insert(0, "run_id", incoming.pop("run").map(ids))
    con.register("incoming_evals", incoming)
    stored = con.execute(
        "SELECT i.value = e.value, run_id, task, metric, e.value FROM evals e "
        "JOIN incoming_evals i "
        "USING (run_id, task, metric) ORDER BY run_id, task, metric"
    ).fetchall()
    same = sum(bool(row[0]) for row in stored)
    con.execute(
        "DELETE FROM evals e USING incoming_evals i WHERE e.run_id = i.run_id "
        "AND e.task = i.task AND e.metric = i.metric"
    )
    con.execute("INSERT INTO evals SELECT run_id, task, metric, value FROM incoming_evals")
    con.unregister("incoming_evals")
    return EvalsWritten(
        added=len(incoming) - len(stored),
        updated=len(stored) - same,
        unchanged=same,
        runs=_names(con, sorted(set(incoming["run_id"]))),
        replaced=tuple((str(r[1]), str(r[2]), str(r[3]), float(r[4])) for r in stored if not r[0]),
    )


def _names(con: Any, ids: list[str]) -> tuple[str, ...]:
    """The stored runs ``ids`` by name, as a user names them (by id where a run has no name,
    or shares it with another of them)."""
    stored = dict(con.execute("SELECT run_id, name FROM runs").fetchall())
    names = [str(stored.get(i) or i) for i in ids]
    shared = {n for n in names if names.count(n) > 1}
    return tuple(sorted(i if n in shared else n for i, n in zip(ids, names, strict=True)))


def read_evals(con: Any) -> pd.DataFrame:
    """The stored evaluations (run_id, task, metric, value), by run, task and metric; none
    for a store older than the evaluations table (read as it is, never migrated)."""
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "evals" not in present:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVAL_COLUMNS[:3]}).assign(
            value=pd.Series(dtype=np.float64)
        )
    frame: pd.DataFrame = con.execute(
        "SELECT run_id, task, metric, value FROM evals ORDER BY run_id, task, metric"
    ).df()
    return frame
