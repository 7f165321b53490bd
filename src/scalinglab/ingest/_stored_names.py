"""Runs whose names say where they were read, not which run they are: a TensorBoard run is
named by its folder below the folder ingested, a run table's row without a run id by its
row. Found again under their key, they keep the name they were stored under, so ingesting
the folder above (or a table with a row removed) changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from scalinglab.ingest._convert import Converted

__all__ = ["keep_stored_names"]


def keep_stored_names(
    converted: Converted, stored: pd.DataFrame | None
) -> tuple[Converted, list[str]]:
    """``converted`` with each of its ``by_place`` runs that is stored already under its
    key named as stored, and a note listing the first few kept names."""
    if stored is None or not converted.by_place:
        return converted, []
    before = {
        str(run_id): (str(name), None if pd.isna(source_run_id) else str(source_run_id))
        for run_id, name, source_run_id in zip(
            stored["run_id"], stored["name"], stored["source_run_id"], strict=True
        )
    }
    runs, kept = [], []
    for run in converted.runs:
        was = before.get(run.run_id) if run.run_id in converted.by_place else None
        if was is not None and was != (run.name, run.source_run_id):
            kept.append((run.name, was[0]))
            run = replace(run, name=was[0], source_run_id=was[1])
        runs.append(run)
    if not kept:
        return converted, []
    shown = ", ".join(f"{new!r} as {old!r}" for new, old in kept[:3])
    more = f" and {len(kept) - 3} more" if len(kept) > 3 else ""
    note = (
        f"{len(kept)} stored run(s) found again keep the names they were stored under "
        f"({shown}{more}): a name that says where a run was read (its folder below the one "
        "ingested, its row) is not the run's"
    )
    return replace(converted, runs=tuple(runs)), [note]
