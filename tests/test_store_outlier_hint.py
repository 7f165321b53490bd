"""Runs read from a run store that look diverged are kept with a note and a fit warning
naming the Python call that drops them: ``read_runs`` refuses a store and ``fit`` a table
read already, so the hint is ``scalinglab.RunStore(path).to_run_table(drop_outliers=True)``
(as the refusal of ``fit(drop_outliers=True)`` names it); a file's runs keep theirs."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_store_table_reread_hint import _store

import scalinglab
from scalinglab.cli import main
from scalinglab.store import RunStore


@pytest.mark.heavy
def test_a_store_fit_names_the_store_call_to_drop_outliers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path)
    call = f"scalinglab.RunStore({str(path)!r}).to_run_table(drop_outliers=True)"
    table = RunStore(path).to_run_table()
    kept = [n for n in table.notes if n.startswith("run 'r7' looks diverged")]
    assert len(kept) == 1 and f"--drop-outliers ({call} in Python) to exclude" in kept[0]
    fitted = scalinglab.fit("chinchilla", table, bootstrap=0)
    (warning,) = [w for w in fitted.warnings if "kept in the fit" in w]
    assert f"--drop-outliers ({call} in Python) to exclude them" in warning
    assert "read_runs" not in warning and "fit()" not in warning
    assert main(["fit", "--store", str(path), "--bootstrap", "0"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert call in said and "read_runs() or fit()" not in said
    assert "r7" not in RunStore(path).to_run_table(drop_outliers=True).runs  # the call works


@pytest.mark.heavy
def test_a_file_keeps_the_read_runs_words(tmp_path: Path) -> None:
    csv = tmp_path / "runs.csv"
    RunStore(_store(tmp_path)).to_run_table().to_pandas().to_csv(csv, index=False)
    table = scalinglab.read_runs(csv)
    (note,) = [n for n in table.notes if "looks diverged" in n]
    assert "(drop_outliers=True to read_runs() or fit()) to exclude" in note
