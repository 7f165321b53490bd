"""A run store managed over weeks (the store walk's follow-ups): a user's ``LR`` column
listed and selected as ``lr``, a slipped run name in ``runs rm``, a store cut short early,
a folder of run tables, the ingest line's counts, and pooled corpora with runs that name
none."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.data._training_data import mixed_training_data

_TABLE = (
    "Run Name,Model Params,Train Tokens,Val Loss,LR\n"
    "tiny,70M,1.4B,3.91,3e-3\n"
    "small,160M,3.2B,3.45,2e-3\n"
    "mid,410M,8.2B,3.10,1e-3\n"
)


def _store(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str = _TABLE) -> Path:
    table, store = tmp_path / "my_runs.csv", tmp_path / "runs.duckdb"
    table.write_text(text)
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0, err
    return store


def test_a_table_s_upper_case_lr_column_is_listed_and_selected_as_lr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: the `lr` column was blank for a table's `LR` (or `Peak LR`, `bs`) and
    `--where lr=3e-3` selected none of its runs, though `hparams` reads those names."""
    text = _TABLE.replace(",LR\n", ",Peak LR\n").replace("Val Loss", "Val Loss,bs")
    text = (
        text.replace("3.91,", "3.91,64,")
        .replace("3.45,", "3.45,128,")
        .replace("3.10,", "3.10,256,")
    )
    store = _store(capsys, tmp_path, text)
    code, out, err = cli(capsys, "runs", "--store", str(store), "--where", "lr=3e-3")
    assert code == 0, err
    assert "tiny" in out and "small" not in out and "mid" not in out
    code, out, err = cli(capsys, "runs", "--store", str(store), "--where", "batch=128")
    assert code == 0 and "small" in out and "tiny" not in out, err
    row = next(line for line in out.splitlines() if "small" in line)
    assert "0.002" in row and "128" in row


def test_runs_rm_of_a_slipped_name_says_the_stored_run_meant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(capsys, tmp_path)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    code, _, err = cli(capsys, "runs", "rm", "--store", str(store), "tiyn", one_line=True)
    assert code == 2
    assert f"{store}: no run 'tiyn' in the store (by id or name); did you mean 'tiny'?" in err
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_a_store_cut_short_early_is_called_corrupt_not_another_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: a store cut below its first blocks said "not a readable run store" and hinted
    at pointing --store at a scalinglab .duckdb file, which it is."""
    store = _store(capsys, tmp_path)
    with open(store, "r+b") as file:
        file.truncate(12288)
    for args in (["runs"], ["fit"], ["ingest", str(tmp_path / "my_runs.csv")]):
        code, _, err = cli(capsys, *args, "--store", str(store), one_line=True)
        assert code == 2, args
        assert f"{store}: the run store is corrupt" in err, err
        assert "restore it from a backup" in err and "point --store" not in err


def test_a_folder_of_run_tables_is_told_to_ingest_each_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "one.csv").write_text(_TABLE)
    (folder / "two.csv").write_text(_TABLE)
    code, _, err = cli(
        capsys, "ingest", str(folder), "--store", str(tmp_path / "s.duckdb"), one_line=True
    )
    assert code == 2 and not (tmp_path / "s.duckdb").exists()
    assert "ingest each run table by its file" in err and "one.csv, two.csv" in err
    assert f"scalinglab ingest {folder / 'one.csv'} --store STORE" in err


def test_the_ingest_line_counts_one_conflict_in_the_singular(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(capsys, tmp_path)
    (tmp_path / "my_runs.csv").write_text(_TABLE.replace("3.45", "3.40"))
    args = ("ingest", str(tmp_path / "my_runs.csv"), "--store", str(store))
    code, out, err = cli(capsys, *args, "--on-conflict", "keep")
    assert code == 0, err
    headline = " ".join(out.split("┏")[0].split())  # the line above the table, unwrapped
    assert headline.endswith(": 2 unchanged, 1 conflict kept as stored"), headline


def test_runs_without_a_corpus_are_counted_not_listed_as_a_blank_value() -> None:
    """Before: "(, c4, rpj)" and "--where dataset=" (which selects nothing)."""
    (text,) = mixed_training_data({"dataset": ["", "", "c4", "rpj", "c4"]})
    assert "the runs span 2 values of 'dataset' (c4, rpj; 2 runs without one)" in text
    assert "--where dataset=c4 " in text
    (one,) = mixed_training_data({"dataset": ["", "c4"]}, runs="models")
    assert "span 1 value of 'dataset' (c4; 1 model without one)" in one
    assert mixed_training_data({"dataset": ["", ""]}) == ()
    assert mixed_training_data({"dataset": ["c4", "c4"]}) == ()
