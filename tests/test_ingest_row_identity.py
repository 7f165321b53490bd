"""A run table's rows without a run id are known by what sets each run up (sizes,
hyperparameters, labels), not by what it measured: a corrected score or another
measurement updates its run instead of storing a second one."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.data import read_runs
from scalinglab.ingest import ingest
from scalinglab.ingest._convert import ingest_run_id
from scalinglab.ingest._row_identity import identity_columns
from scalinglab.store import RunStore, StoredRun


def _write(path: Path, acc: float, ce: float) -> Path:
    pd.DataFrame(
        {
            "params": [1e7, 2e7], "tokens": [2e8, 4e8], "lr": [3e-3, 3e-3],
            "n_layers": [4, 6], "loss": [4.1, 3.8], "acc_arc": [0.31, acc],
            "train_ce": [4.0, ce], "ppl": [60.3, 44.7], "eval_steps": [10, 10],
            "dataset": ["c4", "c4"],
        }
    ).to_csv(path, index=False)  # fmt: skip
    return path


def test_identity_columns_are_sizes_settings_and_labels(tmp_path: Path) -> None:
    table = read_runs(_write(tmp_path / "t.csv", 0.35, 3.7))
    assert identity_columns(table) == ("params", "tokens", "flops", "lr", "n_layers", "dataset")


def test_a_corrected_score_or_measurement_updates_its_run(tmp_path: Path) -> None:
    table, store = _write(tmp_path / "t.csv", 0.35, 3.7), tmp_path / "s.duckdb"
    assert len(ingest(table, store=store).written.added) == 2
    _write(table, 0.36, 3.65)  # row3's score and training cross-entropy corrected
    result = ingest(table, store=store)
    assert result.written.added == () and len(result.written.updated) == 1
    assert "row3 (acc_arc 0.35 -> 0.36, train_ce 3.7 -> 3.65)" in " ".join(result.notes)
    runs = RunStore(store).runs()
    assert len(runs) == 2 and {r.extra["acc_arc"] for r in runs} == {0.31, 0.36}


def test_a_row_keyed_with_its_measurements_is_found_again(tmp_path: Path) -> None:
    """Stored under the key of all its values but its losses (its score in it), the run is
    re-keyed, not stored again."""
    table, store = tmp_path / "t.csv", tmp_path / "s.duckdb"
    pd.DataFrame({"params": [1e7], "tokens": [2e8], "loss": [4.1], "acc_arc": [0.31]}).to_csv(
        table, index=False
    )
    values = {"params": 1e7, "tokens": 2e8, "flops": 6 * 1e7 * 2e8, "acc_arc": 0.31}
    key = json.dumps({c: repr(v) for c, v in values.items()}, sort_keys=True)
    old = StoredRun(
        run_id=ingest_run_id("table", f"t.csv::{key}#1"), name="row2", params=1e7,
        tokens=2e8, flops_6nd=6 * 1e7 * 2e8, loss=4.1,
        extra={"ingested_from": "table", "acc_arc": 0.31}, source=str(table),
        source_run_id="row2",
    )  # fmt: skip
    RunStore(store).put_run(old)
    result = ingest(table, store=store)
    # not stored again: only filled in with the column its N was read from (extra's
    # params_column, which that version did not record)
    assert result.written.filled and not result.written.added
    assert [r.run_id for r in RunStore(store).runs()] == list(result.written.filled)
    assert any("found again: re-keyed in place" in n for n in result.notes)


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_row_inserted_above_gets_a_name_no_stored_run_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table, store = tmp_path / "t.csv", tmp_path / "s.duckdb"
    rows = [(1e7, 2e8, 4.1), (2e7, 4e8, 3.8)]
    pd.DataFrame(rows, columns=["params", "tokens", "loss"]).to_csv(table, index=False)
    ingest(table, store=store)
    rows.insert(0, (5e6, 1e8, 4.5))  # the new run is row2, the stored row2 now row3
    pd.DataFrame(rows, columns=["params", "tokens", "loss"]).to_csv(table, index=False)
    result = ingest(table, store=store)
    assert (
        f"1 new run renamed ('row2' as 'row2-2'): a stored run of {table} has the name (a "
        "row inserted above it), and a name is one run's"
    ) in result.notes
    names = {r.name: r.params for r in RunStore(store).runs()}
    assert names == {"row2": 1e7, "row3": 2e7, "row2-2": 5e6}
    assert len(ingest(table, store=store).written.unchanged) == 3  # named so from now on
    code, _, err = cli(capsys, "runs", "rm", "--store", str(store), "row2")
    assert code == 0, err
    assert {r.name for r in RunStore(store).runs()} == {"row3", "row2-2"}


def test_a_setting_the_word_list_does_not_know_keeps_rows_apart(tmp_path: Path) -> None:
    """label_smoothing is no measurement: swapping two rows that differ only there left each
    stored run with the other's data (the identity had left the column out)."""
    table = read_runs(pd.DataFrame({
        "params": [1e7, 1e7], "tokens": [2e8, 2e8], "label_smoothing": [0.0, 0.1],
        "tokens_per_step": [5e5, 5e5], "tokens_per_s": [9e4, 8e4], "eval_ce": [3.4, 3.5],
        "loss": [3.5, 3.6], "hellaswag": [0.3, 0.31], "train_samples_per_second": [9.0, 8.0],
        "grad_norm": [1.0, 1.1],
    }))  # fmt: skip
    columns = identity_columns(table)
    assert "label_smoothing" in columns and "tokens_per_step" in columns
    measured = {"tokens_per_s", "eval_ce", "loss", "hellaswag", "train_samples_per_second"}
    assert not (measured | {"grad_norm"}) & set(columns)  # a score ingest stores, a speed
    path, store = tmp_path / "runs.csv", tmp_path / "s.duckdb"
    rows = ["1e7,2e8,0.0,3.50", "1e7,2e8,0.1,3.60", "3e7,6e8,0.0,3.20"]
    path.write_text("params,tokens,label_smoothing,loss\n" + "\n".join(rows) + "\n")
    ingest(path, store=store)
    path.write_text(
        "params,tokens,label_smoothing,loss\n" + "\n".join([rows[1], rows[0], rows[2]]) + "\n"
    )
    again = ingest(path, store=store)
    w = again.written
    assert (len(w.added), len(w.updated), len(w.unchanged)) == (0, 0, 3)
