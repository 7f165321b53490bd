"""The run store: every run scalinglab knows about, and its loss curve, in one DuckDB file."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._keywords import methods_checked
from scalinglab._paths import as_path
from scalinglab.store import _curves as _c
from scalinglab.store import _evals as _e
from scalinglab.store._curve_frame import refuse_repeated, split_curve_frame
from scalinglab.store._curve_match import match_stored_curves
from scalinglab.store._edit import StoreEdits
from scalinglab.store._moved import Moved, moved_run, same_content, write_folders, write_moved
from scalinglab.store._reader import run_to_row
from scalinglab.store._record import PutSummary, StoredRun
from scalinglab.store._rekey import rekey_runs
from scalinglab.store._respelled import respelled
from scalinglab.store._schema import check_store, write_copy
from scalinglab.store._sources import folder_of, same_place

__all__ = ["DEFAULT_STORE", "ON_CONFLICT", "RunStore"]

#: The store a command uses when none is named.
DEFAULT_STORE = Path("scalinglab.duckdb")
#: What ``put`` does with a stored run whose values changed (``--on-conflict``).
ON_CONFLICT = ("replace", "keep")
_NO_REKEY: Mapping[str, str] = {}


@methods_checked()
class RunStore(StoreEdits):
    """A DuckDB file of runs and curves, created on first write, schema versioned.

    Each call is one transaction: a reader never sees half of a write, and a process killed
    at any moment of a write (its commit included) leaves the store as it was before that
    call, because a write builds a copy and renames it over the file. Readers open the file
    read-only and never change it. The store keys runs by ``run_id`` and curve points by
    ``(run_id, step)``.

    Args:
        path: The ``.duckdb`` file (default ``scalinglab.duckdb`` in the working folder), in
            a folder that exists: unlike a result's ``save()``, a store does not make a
            missing folder, so that a misspelt one starts no second store (refused, saying so).
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_STORE) -> None:
        self.path = as_path(path, example="'runs.duckdb'")  # RunStore(5): named, not TypeError

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    def check(self) -> None:
        """Refuse a corrupt, foreign, locked or newer store before a long job writes to it; a
        missing or empty file (a store to create) passes, and nothing is written.

        Raises:
            StoreError: Naming the file and what is wrong with it.
        """
        check_store(self.path)

    # -- writing ---------------------------------------------------------------------------

    def put_run(
        self, run: StoredRun, *, curve: pd.DataFrame | None = None, on_conflict: str = "replace"
    ) -> PutSummary:
        """Add or replace one run (and its whole curve, if given); see :meth:`put_runs`.

        Args:
            run: The run.
            curve: Its whole curve (a ``step`` column and the curve columns); ``None`` keeps
                the stored one.
            on_conflict: For a run stored with other content: ``"replace"`` it, or
                ``"keep"`` the stored one and report the conflict.

        Returns:
            What the write did to the run, as :meth:`put_runs` reports it.
        """
        return self.put_runs([(StoredRun.checked(run, call="RunStore.put_run"), curve)],
                             on_conflict=on_conflict)  # fmt: skip

    def put_runs(
        self,
        items: Iterable[tuple[StoredRun, pd.DataFrame | None]],
        *,
        on_conflict: str = "replace",
    ) -> PutSummary:
        """Write runs with their curves in one transaction.

        A run already stored with the same content is left alone, so writing the same runs
        twice adds nothing (a relative ``source`` stored before its ingest's folder was
        recorded gets only that folder); one that differs only in its ``source`` (a folder
        moved since) is reported as moved, and only its source is rewritten; one that holds
        the stored values in another spelling (another export of the run: config keys, number
        types, :func:`~scalinglab.store._respelled.normal_form`) is unchanged and left as
        stored. A run stored with other content is replaced (``on_conflict="replace"``) or
        kept and reported (``"keep"``). A curve given with a run replaces its stored curve;
        ``None`` keeps it.

        Args:
            items: ``(run, curve)`` pairs, each ``run_id`` once; ``curve`` as in
                :meth:`put_run`.
            on_conflict: ``"replace"`` or ``"keep"`` a run stored with other content.

        Returns:
            What was added, updated, unchanged, moved or in conflict, and how many curve rows.
        """
        if on_conflict not in ON_CONFLICT:
            raise ConfigError(f"on_conflict must be 'replace' or 'keep', not {on_conflict!r}")
        runs: list[StoredRun] = []
        curves: list[_c.Columns | None] = []
        seen: set[str] = set()
        for run, curve in items:
            if StoredRun.checked(run, call="RunStore.put_runs").run_id in seen:
                raise ConfigError(f"run {run.run_id!r} is given twice in one write")
            seen.add(run.run_id)
            frame = None if curve is None else _c.curve_columns(run.run_id, curve)
            runs.append(run)
            curves.append(frame)
        return self._write(runs, curves, on_conflict)

    def put_runs_frame(
        self,
        runs: Sequence[StoredRun],
        curves: pd.DataFrame | None = None,
        *,
        on_conflict: str = "replace",
        evals: pd.DataFrame | None = None,
        rekey: Mapping[str, str] | None = None,
        filled: Collection[str] = (),
    ) -> PutSummary:
        """Like :meth:`put_runs`, with every curve in one long frame: the bulk path.

        Sorting and slicing one frame of millions of rows is far cheaper than building a
        DataFrame per run; the result (and the content hashes) are the same as
        :meth:`put_runs` with each run's rows as its curve.

        Args:
            runs: The runs, each ``run_id`` once.
            curves: Rows with a ``run_id`` column and the curve columns (``step`` required).
                A run with no rows keeps its stored curve.
            on_conflict: ``"replace"`` or ``"keep"`` a run stored with other content, as
                in :meth:`put_runs`.
            evals: Evaluation scores of these (or stored) runs, as :meth:`put_evals` takes
                them, written in the same transaction.
            rekey: Stored run id -> the id it is given first, in the same transaction (a run
                stored under the key an earlier version gave it; see ``_rekey``).
            filled: Runs whose stored copies only lack values these add (an ingest finds
                them, ``ingest._filled``): written under ``on_conflict="keep"`` too, since
                nothing stored changes, unless their curve differs; counted as filled in.

        Returns:
            What was added, updated, filled in, unchanged, moved or in conflict, the curve
            rows written, and what the write of ``evals`` did.
        """
        if on_conflict not in ON_CONFLICT:
            raise ConfigError(f"on_conflict must be 'replace' or 'keep', not {on_conflict!r}")
        ids = [run.run_id for run in runs]
        refuse_repeated(ids)
        per_run = split_curve_frame(ids, curves)
        return self._write(list(runs), per_run, on_conflict, evals, rekey or {}, filled)

    def _write(
        self,
        runs: list[StoredRun],
        curves: list[_c.Columns | None],
        on_conflict: str,
        evals: pd.DataFrame | None = None,
        rekey: Mapping[str, str] = _NO_REKEY,
        fills: Collection[str] = (),
    ) -> PutSummary:
        """Compare with what is stored and write the difference in one transaction."""
        if not runs and evals is None:
            return PutSummary()
        curve_hashes = [_c.curve_hash(c) for c in curves]
        hashes = [r.content_hash(h) for r, h in zip(runs, curve_hashes, strict=True)]
        wrote = [bool(rekey)]  # whether the copy differs: else the store file stays as it is
        with write_copy(self.path, changed=lambda: wrote[0]) as con:
            rekey_runs(con, rekey)  # before the comparison: runs stored under an old key
            keys = pd.DataFrame({"run_id": [r.run_id for r in runs]})
            con.register("incoming_keys", keys)
            found = con.execute(
                "SELECT r.run_id, r.content_hash || '|' || r.status, r.created_at, r.source, "
                "r.extra FROM runs r JOIN incoming_keys k USING (run_id)"
            ).fetchall()
            stored = {run_id: state for run_id, state, *_ in found}
            created = {run_id: when for run_id, _, when, *_ in found}
            # where each was read from: its source, and the ingest's folder of a relative one
            places = {row[0]: (row[3], folder_of(row[4])) for row in found}
            extras = {row[0]: row[4] for row in found}
            # a stored curve of the same values, hashed otherwise: compared with that hash
            matched = match_stored_curves(con, runs, curves, hashes, stored)
            ids = [r.run_id for r in runs]
            seen = [matched.curve_hashes.get(i, h) for i, h in zip(ids, curve_hashes, strict=True)]
            compared = [matched.run_hashes.get(i, h) for i, h in zip(ids, hashes, strict=True)]
            # each run as compared (given without a curve: its stored rule); the given is written
            as_compared = [matched.compared.get(r.run_id, r) for r in runs]
            same = respelled(con, [  # stored under the key with another hash
                (run, curve, stored[run.run_id])
                for run, digest, curve in zip(as_compared, compared, seen, strict=True)
                if run.run_id in stored and stored[run.run_id] != f"{digest}|{run.status}"
            ])  # fmt: skip
            added: list[str] = []
            updated: list[str] = []
            filled: list[str] = []  # nothing stored changes: only values it lacked are added
            unchanged: list[str] = []
            moved: list[Moved] = []
            folders: list[tuple[str, str | None, str]] = []  # unchanged: its folder recorded
            conflicts: list[tuple[str, str]] = []
            rows: list[dict[str, Any]] = []
            new_curves: list[_c.Columns] = []
            replaced_curves: list[str] = []
            for run, frame, digest, curve, same_as, like in zip(
                runs, curves, hashes, seen, compared, as_compared, strict=True
            ):
                before = stored.get(run.run_id)
                place = places.get(run.run_id, (None, None))
                if before is not None and same_content(like, curve, same_as, before, place[0]):
                    folder = folder_of(run.extra)
                    if same_place(*place, run.source, folder):
                        unchanged.append(run.run_id)
                        if place[1] is None and folder is not None:  # stored without it
                            folders.append((run.run_id, extras[run.run_id], folder))
                    else:  # the same run read from another place: a folder moved
                        moved.append(moved_run(like, same_as))  # with the stored curve
                    continue
                if run.run_id in same:  # another export's spelling: the stored run stays
                    unchanged.append(run.run_id)
                    continue
                fill = (
                    before is not None and run.run_id in fills and run.run_id not in matched.changes
                )
                if before is not None and on_conflict == "keep" and not fill:
                    conflicts.append((run.run_id, "stored with other values; kept the stored run"))
                    continue
                (filled if fill else updated if before is not None else added).append(run.run_id)
                # without a curve, the stored one stays: hashed with it (``same_as``)
                kept = digest if frame is not None else same_as
                rows.append(run_to_row(run, kept, created.get(run.run_id)))
                if frame is not None:
                    new_curves.append(frame)
                    replaced_curves.append(run.run_id)
            n_points = sum(len(c["step"]) for c in new_curves)
            # No transaction: the connection writes a copy that replaces the store only when
            # all of this succeeded (write_copy), so each statement may commit to the copy and
            # DuckDB need not hold millions of uncommitted rows in memory.
            if rows:
                frame_rows = pd.DataFrame(rows)
                con.register("incoming_runs", frame_rows)
                con.execute("DELETE FROM runs WHERE run_id IN (SELECT run_id FROM incoming_runs)")
                columns = ", ".join(frame_rows.columns)
                con.execute(f"INSERT INTO runs ({columns}) SELECT {columns} FROM incoming_runs")
            write_moved(con, moved)  # the same runs read from another place
            write_folders(con, folders)
            if new_curves:
                _c.write_curves(con, replaced_curves, new_curves)
            scores = None if evals is None else _e.write_evals(con, evals, self.path)
            new_scores = scores is not None and bool(scores.added or scores.updated)
            wrote[0] = wrote[0] or bool(rows or moved or folders or new_curves or new_scores)
        changed = {*updated, *(run_id for run_id, _ in conflicts)}
        return PutSummary(
            added=tuple(added),
            updated=tuple(updated),
            filled=tuple(filled),
            unchanged=tuple(unchanged),
            moved=tuple(m.run_id for m in moved),
            conflicts=tuple(conflicts),
            curve_points=n_points,
            evals=scores,
            curve_changes=tuple((i, why) for i, why in matched.changes.items() if i in changed),
            names={run.run_id: run.name for run in runs},
        )

    def put_evals(self, evals: pd.DataFrame) -> _e.EvalsWritten:
        """Write evaluation scores (columns ``run`` or ``run_id``, ``task``, ``metric``,
        ``value``) next to their runs, in one transaction; a stored score of the same
        ``(run_id, task, metric)`` is replaced. ``run`` names a stored run by id, name or the
        tracker's id.

        Args:
            evals: The scores, one row each.

        Returns:
            How many scores were added, updated and unchanged, and the runs they joined.

        Raises:
            StoreError: If a model is not a stored run (the store is left as it was).
        """
        _e.check_frame(evals)  # before the store is copied
        with write_copy(self.path) as con:
            return _e.write_evals(con, evals, self.path)
