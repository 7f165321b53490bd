"""A run store holding the runs of a table, for the commands that read ``--store``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def store_of(
    table: pd.DataFrame, path: Path, *, params: str = "params", loss: str = "loss"
) -> Path:
    """The runs of ``table`` (``run``, ``tokens``, and the ``params`` and ``loss`` columns
    named) put in a new run store at ``path``; run ids ``id0``, ``id1``, ..."""
    from scalinglab.store import RunStore, StoredRun

    store = RunStore(path)
    store.put_runs(
        (
            StoredRun(
                run_id=f"id{i}", name=str(r["run"]), params=float(r[params]),
                tokens=float(r["tokens"]), loss=float(r[loss]), source="test",
            ),
            None,
        )
        for i, r in enumerate(table.to_dict("records"))
    )  # fmt: skip
    return store.path
