"""A plain run table given to ``ingest`` with a run whose loss is blank: that run is
skipped and named by its row, as a tracker's run without a loss is, and the rest stored (one
blank cell refused the whole file); a NaN written as such is a run that diverged, stored so
(tests/test_ingest_nan_loss.py); a table with no loss at all is refused."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)


def test_a_run_without_a_loss_in_a_table_is_skipped_by_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "runs.csv"
    table.write_text("name,params,tokens,loss\na,1e7,2e8,4.0\nb,2e7,4e8,nan\nc,4e7,8e8,\n")
    store = tmp_path / "s.duckdb"
    code, out, _ = _cli(capsys, "ingest", str(table), "--store", str(store))
    out = " ".join(out.split())
    assert code == 0 and "2 added, 1 skipped" in out
    assert "skipped b" not in out  # its nan is written: a run that diverged, stored so
    assert "note: skipped c: no value of 'loss' (row 4: missing or NaN)" in out
    assert {r.name: r.status for r in RunStore(store).runs()} == {"a": "finished", "b": "diverged"}
    table.write_text("name,params,tokens,loss\nb,2e7,4e8,\n")
    code, _, err = _cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 2 and "no run has a usable loss (diverged?): run 'b' (row 2)" in err
    assert "hint: give the runs their loss in runs.csv: a stored run needs one" in err
    assert "--drop-outliers" not in err
