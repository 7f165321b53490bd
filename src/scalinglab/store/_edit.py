"""Changing stored runs in place: a run's status, and removing runs (by id, name or source)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import pandas as pd

from scalinglab._errors import ConfigError, StoreError, did_you_mean
from scalinglab._format import format_counted
from scalinglab._keywords import methods_checked
from scalinglab._names import name_list
from scalinglab._warn import warn_at_caller
from scalinglab.store._reader import StoreReader, row_to_run
from scalinglab.store._record import STATUSES, StoredRun, status_error
from scalinglab.store._schema import connect, write_copy
from scalinglab.store._sources import (
    folder_of,
    full_source,
    nearest_sources,
    shown_source,
    stored_from,
)

__all__ = ["StoreEdits"]


@methods_checked(owner="RunStore")
class StoreEdits(StoreReader):
    """The in-place edits of :class:`~scalinglab.store.RunStore`: each one transaction."""

    def set_status(self, run_id: str, status: str) -> None:
        """Change a stored run's status.

        Args:
            run_id: The run's id.
            status: Its new status, one of ``STATUSES`` (``pending``, ``running``,
                ``finished``, ``failed``, ``diverged``).

        Raises:
            ConfigError: For a status the store does not keep.
            StoreError: If the store has no run of that id.
        """
        if status not in STATUSES:
            raise ConfigError(status_error(status))
        with connect(self.path, write=True) as con:
            found = con.execute(
                "UPDATE runs SET status = ?, updated_at = now() WHERE run_id = ? RETURNING run_id",
                [status, run_id],
            ).fetchall()
        if not found:
            raise StoreError(f"{self.path}: no run {run_id!r} in the store")

    def delete_run(self, run_id: str) -> bool:
        """Remove a run with its curve and evaluations.

        Args:
            run_id: The run's id.

        Returns:
            Whether the store held it.
        """
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
            runs: Each a stored run's id, or a name only one stored run has (with
                ``source``: only one run stored from it).
            source: Every run stored from this file or folder (as ``scalinglab runs``
                shows its source); with ``runs``, only those of them stored from it: a
                removal takes the runs every selection given selects, never more.
            dry_run: Only find the runs, checked as for a removal, and remove nothing.

        Returns:
            The runs removed (with ``dry_run``: those that would be), as they were stored.

        Raises:
            ConfigError: For ``runs`` given as one string, not a list (its letters would be
                read as run names), or neither ``runs`` nor ``source``.
            StoreError: For a run not in the store, a name several stored runs share (of
                ``source``, where given, or none of them from it: the message lists their
                ids), a source no stored run came from, or ``runs`` none
                of which came from ``source``; nothing is removed then.

        Named runs not stored from ``source`` are left out, and named in a ``UserWarning``.
        """
        gone, note = self._removal(runs, source=source, dry_run=dry_run)
        if note:
            warn_at_caller(note, UserWarning)
        return gone

    def _removal(
        self,
        runs: Sequence[str],
        *,
        source: str | Path | None,
        dry_run: bool,
        among: Collection[str] | None = None,
    ) -> tuple[list[StoredRun], str]:
        """:meth:`remove_runs`, with its note of the named runs ``source`` left out (``""``:
        none), which the command line prints as a note; ``among``: the ids ``runs rm
        --where`` selects, which tell apart runs that share a name, as ``source`` does."""
        runs = name_list(runs, what="runs", call="RunStore.remove_runs")
        if not runs and source is None:
            raise ConfigError(  # the keywords it takes: the CLI's --where has none here
                "name the runs to remove, or source= the file or folder whose runs to remove"
            )
        frame = self.runs_frame()
        of = None if source is None else stored_from(frame, source, removing=True)
        if source is not None and of is not None and not of.any():
            raise StoreError(
                f"{self.path}: no stored run came from {source}", hint=_nearest_hint(frame, source)
            )
        # a name two runs share is the source's one, where --source is given
        picked = [_pick(frame, str(given), self.path, source, of, among) for given in runs]
        if source is not None and of is not None:
            from_source = [int(i) for i in frame.index[of]]
            of_source = set(from_source)
            kept = [i for i in picked if i in of_source] if runs else from_source
            note = _left_out(frame, runs, picked, kept, source) if kept else ""
            picked = kept
            if not picked:
                raise StoreError(
                    f"{self.path}: none of the runs named {', '.join(map(str, runs))} came "
                    f"from {source}; nothing removed",
                    hint="only the named runs that came from the source are removed: "
                    f"`scalinglab runs --store {self.path} --where source={source}` lists "
                    "the runs stored from it",
                )
        else:
            note = ""
        chosen = frame.loc[sorted(set(picked))]
        if not dry_run:
            self._delete(chosen["run_id"].astype(str).tolist())
        return [row_to_run(row) for row in chosen.to_dict("records")], note

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


def _pick(
    frame: pd.DataFrame,
    given: str,
    path: Path,
    source: str | Path | None = None,
    of: pd.Series | None = None,
    among: Collection[str] | None = None,
) -> int:
    """The row of the run ``given`` names: by id, else by a name one run has, or one run
    of ``source`` (``of``: which rows came from it) where several share it, or the one
    whose id is ``among`` (those ``--where`` selects)."""
    by_id = frame.index[frame["run_id"] == given]
    if len(by_id):
        return int(by_id[0])
    named = frame[frame["name"] == given]
    if len(named) > 1 and of is not None:
        mine = named[of[named.index].to_numpy()]
        if len(mine) == 1:
            return int(mine.index[0])
        if len(mine) > 1:  # the source itself holds two runs of the name
            named = mine
    if len(named) > 1 and among is not None:  # `runs rm NAME --where ...`: the one it selects
        chosen = named[named["run_id"].isin(list(among))]
        if len(chosen) <= 1:  # none: any of them, which the caller says --where leaves out
            return int((chosen if len(chosen) else named).index[0])
        named = chosen
    if len(named) == 1:
        return int(named.index[0])
    if len(named) > 1:
        # each source as `runs` shows it from here: the text --source takes
        which = ", ".join(
            f"{i} (from {shown_source(s, e)})"
            for i, s, e in zip(named["run_id"], named["source"], named["extra"], strict=True)
        )
        if of is None:
            where, then = "", ", or add the --source it was stored from (as listed here)"
        elif bool(of[named.index].all()):
            where, then = f" in {source}", ": --source cannot tell them apart"
        else:
            where, then = f", none of them from {source}", ", or the --source of one (as listed)"
        raise StoreError(
            f"{path}: {len(named)} stored runs are named {given!r}{where}: {which}",
            hint=f"name the one to remove by its id{then}",
        )
    names = [n for n in frame["name"] if isinstance(n, str)]
    raise StoreError(  # a slip of a stored name says which run was meant (nothing removed)
        f"{path}: no run {given!r} in the store (by id or name){did_you_mean(given, names)}",
        hint=f"`scalinglab runs --store {path}` lists the stored runs",
    )


def _left_out(
    frame: pd.DataFrame, runs: list[str], picked: list[int], kept: list[int], source: str | Path
) -> str:
    """The note naming the runs asked for that ``source`` leaves out (``""``: none), each
    with the source it was stored from: a removal takes what every selection selects."""
    stays = set(kept)
    out = [(given, i) for given, i in zip(runs, picked, strict=True) if i not in stays]
    if not out:
        return ""
    said = ", ".join(
        f"{given} ({_from(frame.at[i, 'source'], frame.at[i, 'extra'])})" for given, i in out
    )
    return (
        f"{len(out)} of the {format_counted(len(runs), 'named run')} not stored from {source}, so "
        "left out: "
        f"{said}; a removal takes only the runs every selection given selects"
    )


def _from(source: object, extra: object) -> str:
    """Where a run was stored from, as ``scalinglab runs`` shows it from here."""
    if not isinstance(source, str) or not source:
        return "no source stored"
    return f"stored from {shown_source(source, extra)}"


def _nearest_hint(frame: pd.DataFrame, given: str | Path) -> str:
    """The stored sources nearest to ``given``, each as a full path where its ingest's
    folder is known (as typed at ingest, from where it ran, for older runs)."""
    # each folder_of in turn: Series.map makes the None of a run without one NaN
    full = [
        str(full_source(s, folder_of(e)))
        for s, e in zip(frame["source"], frame["extra"], strict=True)
        if isinstance(s, str) and s
    ]
    if not full:
        return "the store holds no run with a source"
    distinct = len(set(full))
    near = nearest_sources(full, given)
    many = f" (of {distinct})" if distinct > len(near) else ""
    return f"the stored sources nearest to it{many} are {', '.join(near)}"
