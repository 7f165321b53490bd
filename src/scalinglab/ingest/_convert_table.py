"""A plain run table (as ``fit`` reads it) as the store keeps it: final values only, the
columns the store names (sizes, the loss, non-embedding parameters, the training data) in
theirs, other numbers as covariates and text as labels."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from scalinglab.data import RunTable
from scalinglab.data._flops import DERIVED_6ND
from scalinglab.data._tracker_names import tracker_column
from scalinglab.data._training_data import CORPUS_COLUMNS
from scalinglab.ingest._convert import Converted, ingest_run_id
from scalinglab.store import StoredRun

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
    for column in CORPUS_COLUMNS:
        values = table.labels.get(column, ())
        if values and values[k]:
            return values[k]
    return None


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _identity_columns(table: RunTable) -> tuple[list[str], list[str]]:
    """The numeric and the text columns that say which run a row is: all but its losses
    (columns named ``*loss*``)."""
    numbers = [c for c in table.columns if "loss" not in c.lower()]
    texts = [c for c in table.labels if "loss" not in c.lower()]
    return numbers, texts


def _by_value(table: RunTable) -> list[str | None]:
    """The identity of each run named by its row (no run id: ``row<k>``), ``None`` for the
    others: its values in :func:`_identity_columns`, and its place among rows of the same
    values. A row number moves when a row above is added or removed; the values stay, and
    a corrected loss is the same run."""
    numbers, texts = _identity_columns(table)
    seen: Counter[str] = Counter()
    out: list[str | None] = []
    for k, (name, row) in enumerate(zip(table.runs, table.rows, strict=True)):
        if name != f"row{row}":
            out.append(None)
            continue
        values = {c: repr(float(table.columns[c][k])) for c in numbers}
        values.update({c: table.labels[c][k] for c in texts})
        text = json.dumps(values, sort_keys=True)
        seen[text] += 1
        out.append(f"{text}#{seen[text]}")
    return out


def convert_table(table: RunTable, path: Path) -> Converted:
    """A plain run table's runs: non-embedding parameters (``params_no_embed``) in their own
    column, the training data (``dataset``) as the run's corpus and a label alike."""
    # the file's name, not its absolute path: moving a folder must not re-add its runs
    where = path.name
    non_embedding = _table_column(table, "params_non_embedding")
    kept = {*_CORE, non_embedding}
    # FLOPs the reader computed as 6·N·D are not the source's: they go to flops_6nd alone
    given_flops = table.flops_convention != DERIVED_6ND
    runs = []
    identities = _by_value(table)
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
        params, tokens = value["params"], value["tokens"]
        runs.append(
            StoredRun(
                run_id=ingest_run_id("table", f"{where}::{identity}"),
                name=name,
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
        )
    placed = frozenset(r.run_id for r, i in zip(runs, identities, strict=True) if i is not None)
    notes = [
        f"{len(placed)} run(s) without a run id (named row<k>) are known by their values but "
        "the losses: rows added, removed or moved leave the others as stored, and a changed "
        "loss updates its run, but one whose sizes or settings change is stored as a new "
        "run; to key runs by name, give the table a run column (name, run)"
    ] if placed else []  # fmt: skip
    return Converted(
        tuple(runs), None, tuple(table.excluded), (*table.notes, *notes), by_place=placed,
        identity=tuple(c for group in _identity_columns(table) for c in group),
    )  # fmt: skip
