"""A new run store is not created under a name that says a table or a page: ``ladder run
--store results.csv`` (or ``ingest``) wrote a DuckDB database named ``results.csv``, which
a spreadsheet, pandas or ``scalinglab fit results.csv`` could not read. A store already
there under such a name is read as before; names that say nothing (``runs.db``) pass."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import StoreError
from scalinglab.store import RunStore, StoredRun

_RUN = StoredRun(run_id="a", name="r0", params=1e6, tokens=2e7, loss=3.0)


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "runs table.csv"
    pd.DataFrame({"run": ["a", "b"], "params": [1e6, 2e6], "tokens": [2e7, 4e7],
                  "loss": [3.0, 2.8]}).to_csv(path, index=False)  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("name", "said", "instead"),
    [
        ("results.csv", "a CSV file (a run table)", "results.duckdb"),
        ("results.csv.gz", "a CSV file (a run table)", "results.duckdb"),
        ("runs.PARQUET", "a Parquet file (a run table)", "runs.duckdb"),
        ("report.html", "a report page", "report.duckdb"),
    ],
)
def test_ingest_refuses_to_create_a_store_named_like_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str, instead: str
) -> None:
    store = tmp_path / name
    code, _, err = cli(
        capsys, "ingest", str(_table(tmp_path)), "--store", str(store), one_line=True
    )
    assert code == 2
    assert (f"error: {store}: a run store is a DuckDB database, but this name says {said}") in err
    assert f"hint: name the store .duckdb: --store {tmp_path / instead} " in err
    assert not store.exists() and not list(tmp_path.glob(f"{name}*"))  # nor its lock


def test_python_refuses_it_too_and_other_names_pass(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"results\.csv: a run store is a DuckDB database"):
        RunStore(tmp_path / "results.csv").put_run(_RUN)
    for name in ("runs.duckdb", "runs.db", "runs"):
        RunStore(tmp_path / name).put_run(_RUN)
        assert RunStore(tmp_path / name).get_run("a").loss == 3.0


def test_a_store_already_under_such_a_name_is_read_and_written_as_before(
    tmp_path: Path,
) -> None:
    made = tmp_path / "runs.duckdb"
    RunStore(made).put_run(_RUN)
    old = made.rename(tmp_path / "old.csv")  # made by an earlier version
    RunStore(old).put_run(StoredRun(run_id="b", name="r1", params=2e6, tokens=4e7, loss=2.8))
    assert sorted(run.run_id for run in RunStore(old).runs()) == ["a", "b"]
