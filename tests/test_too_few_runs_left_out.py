"""Too few runs for a law: the refusal names the runs read but left out, so its count can
be squared with the file or the store. A store of four runs, two of them diverged and
running, was refused as holding 'only 2 runs' beside a `scalinglab runs` listing of four."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

from scalinglab._errors import DataError
from scalinglab.data import read_runs
from scalinglab.fit import fit
from scalinglab.store import RunStore, StoredRun


def _store(path: Path) -> RunStore:
    store = RunStore(path)
    rows = [("a", "finished", 3.4), ("b", "finished", 3.1), ("c", "diverged", None),
            ("d", "running", 2.7)]  # fmt: skip
    store.put_runs(
        (StoredRun(run_id=name, name=name, status=status, params=7e7 * (k + 1),
                   tokens=1.4e9 * (k + 1), loss=loss, source="w.csv"), None)
        for k, (name, status, loss) in enumerate(rows)
    )  # fmt: skip
    return store


@pytest.mark.heavy  # the fit command on a store: about 1.3 s with its imports
def test_the_stores_runs_left_out_are_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "w.duckdb")
    assert len(store.runs()) == 4
    error, hint = refused(capsys, ["fit", "--store", str(store.path), "--bootstrap", "0"])
    assert error.startswith(f"error: {store.path}: only 2 runs, but law 'chinchilla' has 5 ")
    assert "left out 2 stored runs that are not finished: 1 diverged (c); 1 running (d)" in error
    assert "needs 3" in hint  # the smallest law's count, as before


def test_a_files_skipped_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("run,params,tokens,loss\na,70M,1.4B,3.0\nb,80M,1B,\nc,90M,2B,3.1\n")
    table = read_runs(path)
    assert len(table) == 2
    with pytest.raises(DataError) as said:
        fit("chinchilla", table, bootstrap=0)
    assert (
        "a fit needs at least 6 runs; 1 run without a loss skipped (no value of 'loss': a "
        "blank, '-', 'N/A' or null cell): 'b' (row 3)"
    ) in str(said.value)
