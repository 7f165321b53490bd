"""Changing stored runs in place: a run's status, and removing runs (by id, name or source)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scalinglab._errors import ConfigError, StoreError
from scalinglab._format import join_first
from scalinglab.store._reader import StoreReader, row_to_run
from scalinglab.store._record import STATUSES, StoredRun
from scalinglab.store._schema import connect, write_copy

__all__ = ["StoreEdits", "same_source"]


def same_source(stored: object, source: str | Path, *, removing: bool = False) -> bool:
    """Whether a run's stored ``source`` is ``source`` or lies in it: the same text as
    given at ingest, the same file or folder reached by another path, or a path inside the
    folder ``source`` (a TensorBoard or Ray Tune run stores its own sub-folder, not the
    folder ingested), by the paths' text where that folder is gone. A source that is no
    path (``ladder:tiny``, ``wandb:entity/project``) matches only its own text.

    ``removing`` (``runs rm --source``): a relative source that is not there from here is
    not taken to lie in a folder holding the current one (``--source .`` run elsewhere would
    otherwise match every relative source of the store).
    """
    if not isinstance(stored, str) or not stored:
        return False
    if stored == str(source):
        return True
    if _NOT_A_PATH.match(stored):
        return False
    given, path = Path(source), Path(stored)
    unsure = removing and not os.path.isabs(stored) and not path.exists() and _holds_cwd(given)
    if unsure:
        return False
    if os.path.isabs(stored) != os.path.isabs(given):  # compare the texts as absolute
        stored, given = os.path.abspath(stored), Path(os.path.abspath(given))
    if _inside(os.path.normpath(stored), os.path.normpath(given)):
        return True
    try:
        if path.exists() and given.exists() and path.samefile(given):
            return True
        return given.is_dir() and path.resolve().is_relative_to(given.resolve())
    except OSError:
        return False


def _holds_cwd(folder: Path) -> bool:
    """Whether ``folder`` is the current folder or one above it."""
    try:
        return folder.exists() and Path.cwd().resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


#: A stored source named by a scheme (``ladder:tiny``), not a file or folder.
_NOT_A_PATH = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies below ``folder``, by their (normalised) text; a folder of
    ``.`` holds only relative paths that do not climb out of it."""
    if folder == os.curdir:
        return not os.path.isabs(path) and not path.startswith(os.pardir)
    return path.startswith(folder.rstrip(os.sep) + os.sep)


class StoreEdits(StoreReader):
    """The in-place edits of :class:`~scalinglab.store.RunStore`: each one transaction."""

    def set_status(self, run_id: str, status: str) -> None:
        """Change a stored run's status (``pending``/``running``/``finished``/``failed``)."""
        if status not in STATUSES:
            raise ConfigError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        with connect(self.path, write=True) as con:
            found = con.execute(
                "UPDATE runs SET status = ?, updated_at = now() WHERE run_id = ? RETURNING run_id",
                [status, run_id],
            ).fetchall()
        if not found:
            raise StoreError(f"{self.path}: no run {run_id!r} in the store")

    def delete_run(self, run_id: str) -> bool:
        """Remove a run and its curve; return whether it was there."""
        return bool(self._delete([run_id]))

    def remove_runs(
        self,
        runs: Sequence[str] = (),
        *,
        source: str | Path | None = None,
        dry_run: bool = False,
    ) -> list[StoredRun]:
        """Remove runs with their curves and evaluations, in one transaction.

        Args:
            runs: Each a stored run's id, or a name only one stored run has.
            source: Also every run stored from this file or folder (as ``scalinglab runs``
                shows its source).
            dry_run: Only find the runs, checked as for a removal, and remove nothing.

        Returns:
            The runs removed (with ``dry_run``: those that would be), as they were stored.

        Raises:
            StoreError: For a run not in the store, a name several stored runs share (the
                message lists their ids), or a source no stored run came from; nothing is
                removed then.
        """
        if not runs and source is None:
            raise ConfigError("name the runs to remove, or a source whose runs to remove")
        frame = self.runs_frame()
        picked = [_pick(frame, str(given), self.path) for given in runs]
        if source is not None:
            of = frame["source"].map(lambda s: same_source(s, source, removing=True))
            if not of.any():
                sources = sorted(set(frame["source"].dropna().astype(str)))
                raise StoreError(
                    f"{self.path}: no stored run came from {source}",
                    hint="the stored sources (as typed at ingest, relative ones from where it "
                    f"ran) are {join_first(sources, 8) or 'none'}"
                    + (f" ({len(sources)} in all)" if len(sources) > 8 else ""),
                )
            picked += [int(i) for i in frame.index[of]]
        chosen = frame.loc[sorted(set(picked))]
        if not dry_run:
            self._delete(chosen["run_id"].astype(str).tolist())
        return [row_to_run(row) for row in chosen.to_dict("records")]

    def _delete(self, run_ids: list[str]) -> list[str]:
        """Delete these runs, their curves and evaluations; the ids that were stored."""
        with write_copy(self.path) as con:
            con.register("gone_keys", pd.DataFrame({"run_id": run_ids}, dtype=object))
            con.execute("BEGIN TRANSACTION")
            gone = con.execute(
                "DELETE FROM runs WHERE run_id IN (SELECT run_id FROM gone_keys) RETURNING run_id"
            ).fetchall()
            for table in ("curves", "evals"):
                con.execute(f"DELETE FROM {table} WHERE run_id IN (SELECT run_id FROM gone_keys)")
            con.execute("COMMIT")
        return [str(row[0]) for row in gone]


def _pick(frame: pd.DataFrame, given: str, path: Path) -> int:
    """The row of the run ``given`` names: by id, else by a name one run has."""
    by_id = frame.index[frame["run_id"] == given]
    if len(by_id):
        return int(by_id[0])
    named = frame[frame["name"] == given]
    if len(named) == 1:
        return int(named.index[0])
    if len(named) > 1:
        which = ", ".join(
            f"{i} (from {s})" for i, s in zip(named["run_id"], named["source"], strict=True)
        )
        raise StoreError(
            f"{path}: {len(named)} stored runs are named {given!r}: {which}",
            hint="name the one to remove by its id, or remove a whole file's runs with --source",
        )
    raise StoreError(
        f"{path}: no run {given!r} in the store (by id or name)",
        hint=f"`scalinglab runs --store {path}` lists the stored runs",
    )
