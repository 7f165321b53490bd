"""Reading a run store: its runs, curves and evaluations, their counts, and the run table a
fit reads. Readers open the file read-only and never change it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, StoreError
from scalinglab._format import format_counted
from scalinglab._keywords import methods_checked
from scalinglab._names import name_list
from scalinglab.data import RunTable
from scalinglab.data._best_per_cell import best_per_cell as best_of
from scalinglab.data._outliers import screen
from scalinglab.data._plausible import is_size_warning
from scalinglab.data._raw import NO_ROW
from scalinglab.data._readers import frame_table
from scalinglab.store import _copies, _fit_rows
from scalinglab.store import _evals as _e
from scalinglab.store._config_diff import pooled_configs_warning
from scalinglab.store._conventions import flops_convention, params_convention
from scalinglab.store._listing import selected_rows
from scalinglab.store._params_count import PARAMS_COUNTS, default_params, params_said
from scalinglab.store._record import StoredRun, check_status
from scalinglab.store._schema import connect
from scalinglab.store._table_columns import config_sweep, covariates, sweep_columns, texts

__all__ = ["JSON_FIELDS", "PARAMS_COUNTS", "StoreReader", "default_params", "row_to_run"]

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


@methods_checked(owner="RunStore")
class StoreReader:
    """The reading half of :class:`~scalinglab.store.RunStore`, on the file at :attr:`path`."""

    path: Path

    def get_run(self, run_id: str) -> StoredRun | None:
        """The stored run with this id, or ``None``."""
        with connect(self.path, write=False) as con:
            frame = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]).df()
        return None if frame.empty else row_to_run(frame.iloc[0].to_dict())

    def runs(self, *, status: str | None = None) -> list[StoredRun]:
        """Stored runs (optionally only those with ``status``), oldest first."""
        frame = self.runs_frame(status=status)
        return [row_to_run(row) for row in frame.to_dict("records")]

    def runs_frame(self, *, status: str | None = None) -> pd.DataFrame:
        """The runs table as a DataFrame (JSON columns as text), oldest first."""
        check_status(status)
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        with connect(self.path, write=False) as con:
            frame: pd.DataFrame = con.execute(
                f"SELECT * FROM runs {where} ORDER BY created_at, run_id", args
            ).df()
        return frame

    def curve(self, run_id: str) -> pd.DataFrame:
        """One run's curve (``step, tokens, lr, train_loss, eval_loss``), by step."""
        return self.curves([run_id]).drop(columns="run_id")

    def curves(self, run_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Curves of the given runs (default: all), with a ``run_id`` column, by run and step.

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
        """The ids of the runs with a stored curve."""
        with connect(self.path, write=False) as con:
            rows = con.execute("SELECT DISTINCT run_id FROM curves ORDER BY run_id").fetchall()
        return [str(r[0]) for r in rows]

    def evals(self) -> pd.DataFrame:
        """The stored evaluations (``run_id, task, metric, value``); none in an older store."""
        with connect(self.path, write=False) as con:
            return _e.read_evals(con)

    def counts(self) -> dict[str, int]:
        """Number of runs per status, and of curve rows (key ``curve_points``)."""
        with connect(self.path, write=False) as con:
            out = dict(con.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
            row = con.execute("SELECT count(*) FROM curves").fetchone()
        out["curve_points"] = int(row[0]) if row else 0
        return {str(k): int(v) for k, v in out.items()}

    def run_labels(self, *, status: str = "finished") -> dict[str, str]:
        """The run name :meth:`to_run_table` gives each stored run, by ``run_id``: its name
        where names are unique, else its id; a run stored again from another source (same
        name, params, tokens, loss) is counted once, and its copy maps to its label."""
        frame = self.runs_frame(status=status)
        label = _copies.labels(frame, _copies.copy_of(frame))
        return dict(zip(frame["run_id"].astype(str), label, strict=True))

    def to_run_table(
        self,
        *,
        status: str | None = "finished",
        params: str | None = None,
        drop_outliers: bool = False,
        where: Sequence[tuple[str, str]] = (),
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
                ``source=a.csv``), selected before copies are counted once; the table
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

        Raises:
            StoreError: If the store has no such runs.
            ConfigError: For a ``where`` column no run has, or a value none has.
        """
        if params is not None and params not in PARAMS_COUNTS:
            raise ConfigError(
                f"{self.path}: N is read from 'params' or 'params_non_embedding', not {params!r}",
                hint="--x N=params (total) or --x N=params_non_embedding",
            )
        check_status(status)
        # one read of the table (every status): the runs of other statuses are named in a
        # note, and in the error of a --where that keeps none of the ``status`` runs
        stored = self.runs_frame()
        kept = None if status is None else (status, *(["diverged"] if sweep else []))
        frame = stored if kept is None else stored[stored["status"].isin(kept)]
        frame = frame.reset_index(drop=True)
        said = " or ".join(dict.fromkeys(kept or ()))  # "finished or diverged"
        if frame.empty:
            raise StoreError(
                f"{self.path}: no {f'{said} runs' if said else 'runs'} in the store",
                hint="run `scalinglab ladder status` or `scalinglab ingest` to fill it",
            )
        every = int((_copies.copy_of(frame) < 0).sum())  # the runs a fit reads without --where
        try:
            frame = selected_rows(frame, where, str(self.path))
        except ConfigError as err:  # runs of other statuses match: say they are left out
            if kept is None:  # every status was read: no other to name
                raise
            other = _fit_rows.other_statuses_error(stored, where, self.path, status=said)
            raise (other or err) from None
        chosen = default_params(frame) if params is None else params
        _fit_rows.check_counts(frame, chosen, self.path)
        original = _copies.copy_of(frame)
        counted = original < 0  # a run stored from two sources is one run
        copies = _copies.copy_notes(frame, original)
        names = _copies.labels(frame, original)[counted]
        frame = frame[counted].reset_index(drop=True)
        picked_all = len(frame)  # before runs without a size are left out (a note says so)
        keep, sizeless = _fit_rows.with_sizes(frame, chosen, self.path)
        frame, names = frame[keep].reset_index(drop=True), names[keep]
        configs = [json.loads(text) if text else {} for text in frame["config"]]
        pooled = pooled_configs_warning(frame["name"].fillna("").astype(str).tolist(), configs)
        table = pd.DataFrame({"run": names})
        for name in ("params", "tokens", "flops", "loss"):
            source = chosen if name == "params" else name
            table[name] = frame[source].astype(np.float64)
        # a run whose source gave no FLOPs counts 6·N·D with the N read (the convention says
        # for how many); the stored flops_6nd where tokens are missing
        six = 6.0 * table["params"] * table["tokens"]
        table["flops"] = table["flops"].fillna(six).fillna(frame["flops_6nd"].astype(np.float64))
        for name, column in covariates(frame).items():
            table[name] = column
        sizes = {name: table[name].tolist() for name in ("params", "tokens")}
        hparams, config_said = sweep_columns(frame) if sweep else config_sweep(frame, sizes)
        for name, values in hparams.items():  # a ladder rung's lr and batch, by its config
            given = pd.Series(values, dtype=np.float64)
            table[name] = table[name].fillna(given) if name in table.columns else given
        for name, labels in texts(frame).items():  # text labels: --where dataset=c4
            if name not in table.columns:
                table[name] = labels
        table = table.dropna(axis=1, how="all")
        # a store's runs are named by id, with no row (NO_ROW): "run 'a'", not "(row 1)"
        rows = [NO_ROW] * len(table)
        read = frame_table(table, source=str(self.path), rows=rows, run_column="run")
        if chosen != "params":  # named before the best per cell: its note and the warning agree
            read = replace(read, origins={**read.origins, "params": chosen})
        # a sweep's diverged run is data, as a sweep's file is read (hparams judges it)
        runs = (
            read if sweep else screen(best_of(read) if best_per_cell else read, drop=drop_outliers)
        )
        conditions = " ".join(f"{c}={v}" for c, v in where)
        picked = f" of {every}, kept by --where {conditions}," if picked_all < every else ""
        n_words, words = params_convention(frame, chosen)
        said_n = params_said(chosen, given=params is not None, words=words)
        note = (
            f"read {format_counted(len(read if best_per_cell else runs), (said or 'stored') + ' run')}"
            f"{picked} "
            f"from the store {self.path} "
            f"({said_n}{_other(chosen, params)})"
        )
        # a ladder's rungs count their own parameters and tokens: a tiny one is no unit slip
        rungs = bool(frame["source"].fillna("").astype(str).str.startswith("ladder:").all())
        more = (*sizeless, *copies, *_fit_rows.where_count_note(where, chosen))
        shown = [n for n in runs.notes if not (rungs and is_size_warning(n))]
        return replace(
            runs,
            source=str(self.path),
            notes=(
                note,
                *([pooled] if pooled else []),
                *(_fit_rows.left_out(stored, self.path, status=kept) if kept else ()),
                *config_said,
                *more,
                *shown,
            ),
            flops_convention=flops_convention(frame, chosen) or runs.flops_convention,
            params_convention=n_words,
            selected_from=every if picked_all < every else 0,
            kept_where=dict(where),
        )


def _other(chosen: str, given: str | None) -> str:
    """The option that fits on the other count, after the reading note's N."""
    if given is not None:
        return ""
    if chosen == "params_non_embedding":
        return "; --x N=params fits on total parameters"
    return "; --x N=params_non_embedding fits on non-embedding parameters where stored"
