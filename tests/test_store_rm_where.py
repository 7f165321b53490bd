"""``runs rm --where``: removes the runs ``runs --where`` lists (was "No such option:
--where (Possible options: --help)"), and ``--dry-run`` shows them, removing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store_runs_where_cli import _store


def test_rm_where_removes_the_runs_runs_where_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "status=failed",
                         "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] and [r["run"] for r in data["removed"]] == ["big"]
    code, out, err = cli(capsys, "runs", "--store", path, "--json")
    assert len(json.loads(out)["runs"]) == 3  # nothing removed
    code, out, err = cli(capsys, "runs", "rm", "--store", path, "--where", "dataset=c4",
                         "--where", "wandb_state=crashed", "--json")  # fmt: skip
    assert code == 0 and [r["run_id"] for r in json.loads(out)["removed"]] == ["c"], err
    code, out, err = cli(capsys, "runs", "--store", path, "--json")
    assert sorted(r["name"] for r in json.loads(out)["runs"]) == ["small", "small-long"]


def test_rm_where_a_value_no_run_has_removes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_store(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "runs", "rm", "--store", path, "--where", "run=nope")
    assert code == 2 and err.startswith("error: --where run=nope: no stored run has run = ")
    code, out, _ = cli(capsys, "runs", "--store", path, "--json")
    assert len(json.loads(out)["runs"]) == 3
