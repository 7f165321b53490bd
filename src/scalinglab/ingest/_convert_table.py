"""A plain run table (as ``fit`` reads it) as the store keeps it: final values only, the
columns the store names (sizes, the loss, non-embedding parameters, the training data) in
theirs, other numbers as covariates and text as labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from scalinglab._format import format_counted
from scalinglab.data import RunTable
from scalinglab.data._flops import DERIVED_6ND
from scalinglab.data._tracker_names import tracker_column
from scalinglab.data._training_data import corpus_columns
from scalinglab.ingest._convert import Converted, ingest_run_id
from scalinglab.ingest._diverged import diverged_note, reported_divergence, stored_diverged
from scalinglab.ingest._row_identity import identity_columns, row_keys, values_but_losses
from scalinglab.ingest._sizes_note import missing_sizes_note
from scalinglab.store import StoredRun
from scalinglab.store._record import PARAMS_COLUMN

__all__ = ["convert_table"]

#: A run table's columns the store keeps by name.
_CORE = ("params", "tokens", "flops", "loss")


def _table_column(table: RunTable, target: str) -> str | None:
    """The table's column of ``target``: the one ``--map`` named, else a usual name of it."""
    if target in table.columns:
        return target
    return tracker_column([c for c in table.columns if c not in _CORE], target)


def _corpus(table: RunTable, k: int) -> str | None:
    """Run ``k``'s training data as a text column names it (``dataset``, ``corpus``...)."""
    for column in corpus_columns(table.labels):  # a file's 'Corpus' too
        values = table.labels[column]
        if values and values[k]:
            return values[k]
    return None


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def convert_table(
    table: RunTable,
    path: Path,
    *,
    states: Mapping[str, str] | None = None,
    earlier: RunTable | None = None,
) -> Converted:
    """A plain run table's runs: non-embedding parameters (``params_no_embed``) in their own
    column, the training data (``dataset``) as the run's corpus and a label alike; each
    with its status in ``states`` (run -> store status; ``finished`` for a run not there),
    and ``diverged`` where its loss is ``inf`` or NaN (written so: a blank one was skipped),
    as a tracker's run that reported ``inf``.

    A run without a run id is keyed by its identifying values; the keys earlier versions
    gave it are its ``legacy`` ones: by those values as an earlier reader read them
    (``earlier``: :func:`~scalinglab.ingest._earlier_reading.earlier_table`; ``None``: as
    ``table``), and before that by all its values but its losses."""
    # the file's name, not its absolute path: moving a folder must not re-add its runs
    where = path.name
    non_embedding = _table_column(table, "params_non_embedding")
    kept = {*_CORE, non_embedding}
    # FLOPs the reader computed as 6·N·D are not the source's: they go to flops_6nd alone
    given_flops = table.flops_convention != DERIVED_6ND
    runs = []
    diverged: list[tuple[str, str]] = []  # (run, why): an inf loss
    loss_column = table.origins.get("loss", "loss")  # the user's name, as the notes say
    columns = identity_columns(table)
    identities = row_keys(table, columns)
    before = table if earlier is None else earlier
    # earlier versions' keys: by the same columns as read then, and by all but the losses
    olds = zip(
        row_keys(before, identity_columns(before)),
        row_keys(before, values_but_losses(before)),
        strict=True,
    )
    for k, name in enumerate(table.runs):
        identity = identities[k] or name
        value = {c: float(table.columns[c][k]) if c in table.columns else None for c in _CORE}
        extra: dict[str, Any] = {"ingested_from": "table"}  # numeric extras are covariates
        extra.update(
            {
                c: float(v[k])
                for c, v in table.columns.items()
                if c not in kept and np.isfinite(v[k])
            }
        )
        if "params" in table.columns:  # the column N was read from: what it counts, said
            extra.setdefault(PARAMS_COLUMN, table.origins.get("params", "params"))
        params, tokens = value["params"], value["tokens"]
        run = StoredRun(
            run_id=ingest_run_id("table", f"{where}::{identity}"),
            name=name,
            status=(states or {}).get(name, "finished"),
            params=params,
            params_non_embedding=(
                None if non_embedding is None else _finite(table.columns[non_embedding][k])
            ),
            tokens=tokens,
            flops=value["flops"] if given_flops else None,
            flops_6nd=6.0 * params * tokens if params and tokens else None,
            loss=value["loss"],
            corpus=_corpus(table, k),
            config={c: v[k] for c, v in table.labels.items()},
            extra=extra,
            source=str(path),
            source_run_id=name,
        )
        # a NaN left is one written as such (a blank cell's run was skipped): diverged
        why = reported_divergence({loss_column: value["loss"]}, {}, [loss_column], nan=True)
        if why:  # its loss kept as text, as a tracker's non-finite values are
            extra["non_finite"] = {loss_column: f"{value['loss']:g}"}
            run = stored_diverged(replace(run, extra=extra), why)
            diverged.append((name, why))
        runs.append(run)
    placed = frozenset(r.run_id for r, i in zip(runs, identities, strict=True) if i is not None)
    legacy: dict[str, tuple[str, ...]] = {}
    for run, new, old in zip(runs, identities, olds, strict=True):
        keys = [o for o in dict.fromkeys(old) if new is not None and o is not None and o != new]
        if keys:
            legacy[run.run_id] = tuple(ingest_run_id("table", f"{where}::{o}") for o in keys)
    notes = [
        f"{format_counted(len(placed), 'run')} without a run id (named row<k>) "
        f"{'is known by its' if len(placed) == 1 else 'are known by their'} sizes, "
        "other settings and labels, not their losses, scores or other measurements: rows "
        "added, removed or moved leave the others as stored (rows of the same settings are "
        "told apart by their order), and a changed measurement updates its run, but one "
        "whose sizes or settings change is stored as a new run; to key runs by name, give "
        "the table a run column (name, run)"
    ] if placed else []  # fmt: skip
    notes += diverged_note(diverged)
    # a table without a tokens column is read (N-only laws fit it), but a fit of loss on N
    # and D leaves its runs out: said here, as for a tracker's, not only at fit time
    notes += missing_sizes_note(runs, holder="column")
    return Converted(
        tuple(runs), None, tuple(table.excluded), (*table.notes, *notes), by_place=placed,
        legacy=legacy, identity=columns,
    )  # fmt: skip
