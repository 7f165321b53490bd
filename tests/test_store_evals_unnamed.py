"""Scores of models that a store holds only as a run table's unnamed rows (``row<k>``: the
table had no run column) are refused with a hint that says so and names ``--map run=``,
not "ingest the runs first", which the user has done."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests.test_store_evals import FIXTURES, RUNS

from scalinglab.cli import main


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_unnamed_rows_are_named_in_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "runs.csv"
    # not a run column ('model' would be: a text column of distinct names is read as one)
    RUNS.rename(columns={"run": "checkpoint"}).to_csv(table, index=False)
    store = tmp_path / "runs.duckdb"
    assert main(["ingest", str(table), "--store", str(store)]) == 0
    capsys.readouterr()
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    assert main(["ingest", str(FIXTURES), "--store", str(store)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "(stored runs: row2, row3, row4)" in err
    assert (
        "hint: 3 stored runs have no names of their own (row2, row3, row4: their table had no "
        "run column): ingest the table again with --map run=COLUMN" in err
    )
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    # named by that column, the same scores are joined to them
    assert main(["ingest", str(table), "--store", str(store), "--map", "run=checkpoint"]) == 0
    assert main(["ingest", str(FIXTURES), "--store", str(store)]) == 0
