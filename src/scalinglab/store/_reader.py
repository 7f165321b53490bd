"""Reading a run store: its runs, curves and evaluations, their counts, and the run table a
fit reads. Readers open the file read-only and never change it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab._keywords import methods_checked
from scalinglab._names import name_list
from scalinglab.data import RunTable
from scalinglab.data._where_args import Where, as_where
from scalinglab.store import _copies
from scalinglab.store import _evals as _e
from scalinglab.store._params_count import PARAMS_COUNTS, default_params
from scalinglab.store._record import StoredRun, check_status
from scalinglab.store._schema import connect
from scalinglab.store._stored_table import stored_table

__all__ = [
    "JSON_FIELDS",
    "PARAMS_COUNTS",
    "StoreReader",
    "default_params",
    "row_to_run",
    "run_to_row",
]

_RUN_FIELDS = tuple(StoredRun.__dataclass_fields__)
JSON_FIELDS = ("config", "software", "extra")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def row_to_run(row: Mapping[Any, Any]) -> StoredRun:
    # a DataFrame column mixing text and NULL reads NULL back as NaN: make it None again
    data = {name: None if _missing(row[name]) else row[name] for name in _RUN_FIELDS}
    for name in JSON_FIELDS:
        data[name] = json.loads(row[name]) if row[name] else {}
    return StoredRun.from_dict(data)


def run_to_row(run: StoredRun, digest: str, created: Any) -> dict[str, Any]:
    """The store's row of ``run`` (:func:`row_to_run` reads it back): its JSON fields as
    text, its content hash, and ``created_at`` (now for a new run), ``updated_at`` now."""
    row = run.to_dict()
    for name in JSON_FIELDS:
        row[name] = json.dumps(row[name], sort_keys=True, default=str)
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    row.update(content_hash=digest, created_at=now if created is None else created)
    row.update(updated_at=now)
    return row


@methods_checked(owner="RunStore")
class StoreReader:
    """The reading half of :class:`~scalinglab.store.RunStore`, on the file at :attr:`path`."""

    path: Path

    def get_run(self, run_id: str) -> StoredRun | None:
        """The stored run with this id.

        Args:
            run_id: The run's id.

        Returns:
            The :class:`StoredRun`, or ``None`` where the store has no run of that id.
        """
        with connect(self.path, write=False) as con:
            frame = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]).df()
        return None if frame.empty else row_to_run(frame.iloc[0].to_dict())

    def runs(self, *, status: str | None = None) -> list[StoredRun]:
        """Stored runs, oldest first.

        Args:
            status: Only runs with this status (one of ``STATUSES``); ``None``: all.

        Returns:
            One :class:`StoredRun` a run.
        """
        frame = self.runs_frame(status=status)
        return [row_to_run(row) for row in frame.to_dict("records")]

    def runs_frame(self, *, status: str | None = None) -> pd.DataFrame:
        """The runs table, oldest first.

        Args:
            status: Only runs with this status (one of ``STATUSES``); ``None``: all.

        Returns:
            One row a run, a column a stored field, the JSON columns as text.
        """
        check_status(status)
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        with connect(self.path, write=False) as con:
            frame: pd.DataFrame = con.execute(
                f"SELECT * FROM runs {where} ORDER BY created_at, run_id", args
            ).df()
        return frame

    def curve(self, run_id: str) -> pd.DataFrame:
        """One run's curve.

        Args:
            run_id: The run's id.

        Returns:
            Its points (``step, tokens, lr, train_loss, eval_loss``) by step; empty if none.
        """
        return self.curves([run_id]).drop(columns="run_id")

    def curves(self, run_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Curves of the given runs.

        Args:
            run_ids: The runs' ids (a list); ``None``: every stored curve.

        Returns:
            Their points with a ``run_id`` column, by run and step.

        Raises:
            ConfigError: ``run_ids`` given as one string, not a list of ids.
        """
        if run_ids is not None:  # one id as a string would be read letter by letter
            run_ids = name_list(run_ids, what="run_ids", call="RunStore.curves")
        with connect(self.path, write=False) as con:
            if run_ids is None:
                frame: pd.DataFrame = con.execute("SELECT * FROM curves ORDER BY run_id, step").df()
                return frame
            con.register("wanted", pd.DataFrame({"run_id": list(run_ids)}))
            frame = con.execute(
                "SELECT c.* FROM curves c JOIN wanted USING (run_id) ORDER BY run_id, step"
            ).df()
            return frame

    def curve_runs(self) -> list[str]:
        """The runs with a stored curve.

        Returns:
            Their ids, sorted.
        """
        with connect(self.path, write=False) as con:
            rows = con.execute("SELECT DISTINCT run_id FROM curves ORDER BY run_id").fetchall()
        return [str(r[0]) for r in rows]

    def evals(self) -> pd.DataFrame:
        """The stored evaluations.

        Returns:
            Rows ``run_id, task, metric, value``; none in an older store.
        """
        with connect(self.path, write=False) as con:
            return _e.read_evals(con)

    def counts(self) -> dict[str, int]:
        """How much the store holds.

        Returns:
            Status -> number of runs (statuses it has), and ``curve_points`` -> curve rows.
        """
        with connect(self.path, write=False) as con:
            out = dict(con.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
            row = con.execute("SELECT count(*) FROM curves").fetchone()
        out["curve_points"] = int(row[0]) if row else 0
        return {str(k): int(v) for k, v in out.items()}

    def run_labels(self, *, status: str = "finished") -> dict[str, str]:
        """The run name :meth:`to_run_table` gives each stored run, by ``run_id``: its name
        where names are unique, else its id; a run stored again from another source (same
        name, params, tokens, loss) is counted once, and its copy maps to its label.

        Args:
            status: Only runs with this status (one of ``STATUSES``).

        Returns:
            ``run_id`` -> label, for the runs of ``status``.
        """
        frame = self.runs_frame(status=status)
        label = _copies.labels(frame, _copies.copy_of(frame))
        return dict(zip(frame["run_id"].astype(str), label, strict=True))

    def to_run_table(
        self,
        *,
        status: str | None = "finished",
        params: str | None = None,
        drop_outliers: bool = False,
        where: Where | None = (),
        sweep: bool = False,
        best_per_cell: bool = False,
    ) -> RunTable:
        """The stored runs as a :class:`RunTable`, ready for :func:`scalinglab.fit`.

        Numeric values in each run's ``extra`` become covariate columns. A run stored
        again from another source (the same name, params, tokens and loss: a copy of a file
        ingested under another name) is counted once, the copy ingested first, and a note
        says so.

        Args:
            status: Which runs to take (a reader never sees a rung still training);
                ``None``: every run, whatever its status.
            params: ``"params"`` or ``"params_non_embedding"``: which count becomes N
                (``--x N=...`` on the command line). ``None``: ``params_non_embedding`` when
                every run is a ladder rung (the convention the ladder planned in: its D/N and
                6·N·D count non-embedding N), else ``params``; a note says which.
            drop_outliers: Drop runs that look diverged, as :func:`scalinglab.read_runs` does
                (judged among the runs ``where`` keeps).
            where: ``(column, value)`` conditions, each narrowing the last: only the stored
                runs ``scalinglab runs --where`` lists (``train.lr=0.003``, ``lr=0.003``,
                ``source=a.csv``), or comparisons of a stored number (``"params>=2e7"``,
                ``{"params>=": "2e7"}`` as a fit records it), in any form ``read_runs``'s
                ``where`` takes, selected before copies are counted once; the table
                records them as its ``kept_where``.
            sweep: Read as :func:`scalinglab.hparams.read_sweep` reads a sweep's file: the
                runs stored ``diverged`` too (their loss not finite: a sweep judges them per
                cell), no outlier screening, and each run's ``lr`` and ``batch_tokens`` from
                its config (a ladder rung's ``train.lr``, ``train.batch_size`` ×
                ``model.context``) where its extra holds none (a note says so). Without it
                they are read where they make the runs a sweep (a ladder's lr sweep), so a
                loss law's fit sees them as it sees a sweep table's.
            best_per_cell: Keep the run of lowest finite loss of each cell of equal params
                and tokens before the runs are screened, as ``read_runs(...,
                best_per_cell=True)`` keeps a table's (``--best-per-cell``).

        Returns:
            The run table: one row a run counted, its notes saying what was left out.

        Raises:
            StoreError: If the store has no such runs.
            ConfigError: For a ``where`` column no run has, or a value none has.
        """
        return stored_table(
            self.path,
            self.runs_frame(),  # every status: the others are named in a note
            status=status,
            params=params,
            drop_outliers=drop_outliers,
            where=as_where(where),  # "params>=2e7", a fit's recorded {"params>=": "2e7"}
            sweep=sweep,
            best_per_cell=best_per_cell,
        )
