"""Loss curves of a run store: ``step, lr, train_loss`` per run, as the ladder and tracker
ingest record them, with each run's ``params`` and training data, read as a file's curves
are (:mod:`._data`): rows without a loss skipped, diverged runs left out, each said.

::

    curves = read_store_curves("runs.duckdb", where={"dataset": "c4"})
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab._errors import DataError
from scalinglab._keywords import keywords_checked
from scalinglab._names import name_list
from scalinglab.curves._curve import Curve
from scalinglab.curves._data import checked_curves, warn_notes
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._store_rows import finished_only, with_train_loss
from scalinglab.curves._stored_schedules import with_ladder_schedules
from scalinglab.curves._table import curves_of
from scalinglab.curves._where import Selection, store_runs
from scalinglab.data._frame_cells import frame_cells
from scalinglab.data._training_data import corpus_columns
from scalinglab.data._where_rows import Where, as_where
from scalinglab.store._params_count import default_params, params_said

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_store_curves", "read_store_noted", "stored_corpus"]


@keywords_checked("scalinglab.curves.read_store_curves")
def read_store_curves(
    store: str | os.PathLike[str],
    *,
    runs: Sequence[str] | None = None,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    keep_diverged: bool = False,
    where: Where | None = None,
) -> list[Curve]:
    """The loss curves of a run store (``step, lr, train_loss`` per run, as the ladder and
    tracker ingest record them), with each run's ``params`` and training data
    (:func:`stored_corpus`: curves of several corpora fitted together are warned of, as a
    file's with a ``dataset`` column).

    Args:
        store: The run store (``.duckdb``).
        runs: Run ids (default: every run with a curve).
        schedule: The schedule of the runs that log no lr (a schedule no run needs is an
            error, as in :func:`read_lr_curves`).
        warmup: Warm-up steps of every run (default: each run's steps before its lr first
            peaks, or a ladder run's stored config).
        keep_diverged: Keep the runs that look diverged, as :func:`read_lr_curves`.
        where: Only the runs whose stored value of each column is the one given (as
            ``scalinglab store runs --where`` selects them), before their curves are read.

    Rows without a training loss are skipped, and diverged runs left out, as a file's, each
    said in a warning; a run whose curve has no training loss at all is left out too.

    Returns:
        One curve per run kept.
    """
    curves, notes, _, _ = read_store_noted(store, runs=runs, schedule=schedule, warmup=warmup,
                                           keep_diverged=keep_diverged, where=where)  # fmt: skip
    warn_notes(notes)
    return curves


def read_store_noted(
    store: str | os.PathLike[str],
    *,
    runs: Sequence[str] | None = None,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    keep_diverged: bool = False,
    where: Where | None = None,
) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
    """:func:`read_store_curves`, with its notes, the runs left out and where the curves
    came from returned (as :func:`read_noted <scalinglab.curves._data.read_noted>`: a
    :class:`~scalinglab.curves._where.Selection` that says ``runs.duckdb (3 of its 9 curves
    selected)``)."""
    import pandas as pd

    from scalinglab.store import RunStore
    from scalinglab.store._copies import copied_curves

    runs = None if runs is None else name_list(runs, what="runs", call="read_store_curves")
    st = RunStore(store)
    pairs = as_where(where)
    frame = st.curves(store_runs(store, runs, pairs))
    if frame.empty:
        raise DataError(
            "no loss curves in this store",
            source=str(store),
            hint="ingest runs with their curves, or run a ladder",
        )
    stored = st.runs_frame()  # every run, read once: the copies and the names come from it
    notes: list[str] = []
    left: dict[str, str] = {}
    if runs is None and "status" not in dict(pairs):  # asked for by id or status: kept
        frame, notes, left = finished_only(frame, stored, str(store))
    kept = frame["run_id"].astype(str).nunique()  # the curves --where kept, before any left out
    total = kept
    if pairs:  # of the runs asked for, or of every stored curve
        every = st.curve_runs()
        total = len(every if runs is None else set(every) & {str(r) for r in runs})
    frame, said, copies = copied_curves(stored, frame)  # a run stored twice: counted once
    notes, left = [*notes, *said], {**left, **copies}
    frame, said, no_loss = with_train_loss(frame, stored, str(store))
    notes, left = [*notes, *said], {**left, **no_loss}
    known, said = _sizes(stored, set(frame["run_id"].astype(str)), str(store))
    notes += said
    # a run goes by its name (a ladder rung's) when names are unique, else by its id
    if known["name"].notna().all() and known["name"].is_unique:
        known = known.assign(run_id=known["name"].astype(str), id=known["run_id"])
        frame = frame.rename(columns={"run_id": "id"})
        frame = frame.merge(known[["id", "run_id", "params"]], on="id", how="left")
    else:
        frame = frame.merge(known[["run_id", "params"]], on="run_id", how="left")
    keep = [c for c in ("run_id", "step", "lr", "train_loss", "params") if c in frame]
    raw = frame_cells(pd.DataFrame(frame[keep]).reset_index(drop=True), str(store))
    # rows without a loss go to the diverged screen, as a file's (a NaN tail is a divergence)
    curves, said, diverged = curves_of(raw, "run", schedule, warmup, keep_diverged=keep_diverged)
    if warmup is None:  # a ladder run's exact schedule, from its stored config
        curves, said = with_ladder_schedules(curves, stored, known, said)
    curves = _with_corpora(curves, stored, known)
    notes += said
    curves = checked_curves(curves, diverged, schedule, warmup)
    return curves, notes, {**left, **diverged}, Selection(str(store), kept, total, tuple(pairs))


def stored_corpus(config: object, corpus: object) -> dict[str, str]:
    """A stored run's training data as a curve carries it (:attr:`Curve.corpus`): the
    text values of its config's training-data columns (a table's ``dataset``, as ``fit
    --store`` labels the run), else its ``corpus`` (a tracker's or a ladder's), by the names
    ``--where`` selects it by."""
    values = json.loads(config) if isinstance(config, str) and config else {}
    named = {
        c: values[c] for c in corpus_columns(values) if isinstance(values[c], str) and values[c]
    }
    if named:
        return named
    return {"corpus": corpus} if isinstance(corpus, str) and corpus else {}


def _with_corpora(
    curves: Sequence[Curve], stored: pd.DataFrame, known: pd.DataFrame
) -> list[Curve]:
    """``curves`` with each run's training data (:func:`stored_corpus`): without it, curves
    of several corpora in a store were fitted together unwarned."""
    ids = known["id" if "id" in known else "run_id"].astype(str)
    labels = dict(zip(ids, known["run_id"].astype(str), strict=True))
    corpora = {
        labels[str(rid)]: stored_corpus(config, corpus)
        for rid, config, corpus in zip(
            stored["run_id"], stored["config"], stored["corpus"], strict=True
        )
        if str(rid) in labels
    }
    return [replace(c, corpus=corpora.get(c.run, {})) for c in curves]


def _sizes(stored: pd.DataFrame, ids: set[str], source: str) -> tuple[pd.DataFrame, list[str]]:
    """The ``run_id, name, params`` of the runs ``ids``, ``params`` the count ``fit
    --store`` reads as N (:func:`default_params`: a ladder's non-embedding N), and a note
    saying which where the runs store both: a sized law's N and the sizes a warning names
    mean what a fit's N means."""
    rows = stored[stored["run_id"].astype(str).isin(ids)]
    chosen = default_params(rows)
    known = rows[["run_id", "name"]].assign(params=rows[chosen])
    if not rows["params_non_embedding"].notna().any():
        return known, []
    said = params_said(chosen, given=False)
    return known, [f"{source}: the curves' model sizes are {said}, as `fit --store` reads N"]
