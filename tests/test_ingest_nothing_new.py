"""An ingest that adds, changes and removes nothing leaves the store file as it was (its
mtime and inode too: it was copied and renamed over itself) and says "nothing new"; one that
changes a run still writes it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._ingest_sources import ladder, write_raytune


def _stat(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_ino


def test_ingesting_a_folder_again_leaves_the_store_file_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, store = tmp_path / "tune", tmp_path / "s.duckdb"
    write_raytune(folder, ladder(n_sizes=2))
    code, out, err = cli(capsys, "ingest", str(folder), "--store", str(store))
    assert code == 0 and "6 added" in out, err
    before = _stat(store)
    code, out, err = cli(capsys, "ingest", str(folder), "--store", str(store))
    assert code == 0, err
    assert f"into {store}: 6 unchanged (nothing new)" in " ".join(out.split())
    assert _stat(store) == before
    assert not store.with_name(f"{store.name}.tmp").exists()  # the copy is gone


def test_a_table_with_scores_ingested_again_leaves_the_store_untouched_until_one_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n = np.repeat([1e7, 3e7, 1e8], 2)
    frame = pd.DataFrame({"run": [f"m{k}" for k in range(6)], "params": n, "tokens": n * 20})
    frame["loss"] = 1.8 + 400 * n**-0.34 + 400 * frame["tokens"] ** -0.28
    frame["acc_piqa"] = 0.6
    table, store = tmp_path / "models.csv", tmp_path / "s.duckdb"
    frame.to_csv(table, index=False)
    assert cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    before = _stat(store)
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0 and "(nothing new)" in out, err
    assert _stat(store) == before  # the scores, stored alike, are no write either
    frame.loc[0, "acc_piqa"] = 0.7  # one score changes: the store is written
    frame.to_csv(table, index=False)
    assert cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    assert _stat(store) != before
