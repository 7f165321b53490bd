"""A run table without a run column, ingested again with a row added at the top and its
last run's loss changed to a diverged one under ``on_conflict="keep"``: the note on that
run says the stored run was kept. It was found by the name read (``row10``), which the
notes had already renamed as stored (``row9``), so it said the diverged run was stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab.ingest import ingest


def _table() -> pd.DataFrame:
    n = np.array([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8, 6.4e8, 1.28e9])
    d = 20 * n
    return pd.DataFrame({"params": n, "tokens": d, "loss": 1.8 + 400 * n**-0.34 + 2000 * d**-0.37})


def test_a_kept_diverged_run_renamed_as_stored_is_said_kept(tmp_path: Path) -> None:
    path, store = tmp_path / "runs.csv", tmp_path / "s.duckdb"
    table = _table()
    table.to_csv(path, index=False)
    ingest(path, store=store)
    stored = float(table["loss"].iloc[-1])
    table.loc[len(table) - 1, "loss"] = 9.9
    top = pd.DataFrame({"params": [5e6], "tokens": [1e8], "loss": [4.1]})
    pd.concat([top, table], ignore_index=True).to_csv(path, index=False)
    result = ingest(path, store=store, on_conflict="keep")
    assert len(result.written.conflicts) == 1
    said = [n for n in result.notes if "looks diverged" in n]
    assert len(said) == 1
    assert said[0].startswith("run 'row9' (row 10 of runs.csv) looks diverged: loss 9.9")
    assert said[0].endswith(
        f"; not stored: --on-conflict keep kept the stored run (loss {stored:.5g}); "
        "--on-conflict replace stores it"
    )
