"""Compute is the column ``flops`` in every table of runs the CLI prints, as in ``--json``
and the run store: ``ladder status`` and ``ladder plan`` headed it ``FLOPs`` while ``runs``
headed the same numbers ``flops``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # every column shown


def _heads(out: str, first: str) -> list[str]:
    """The words of the table's head line, the one that starts with ``first``."""
    return next(line.split() for line in out.splitlines() if line.split()[:1] == [first])


def test_ladder_status_and_runs_head_compute_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.duckdb"
    run = StoredRun(run_id="a1", name="w16-d1", status="finished", source="ladder:micro",
                    params=1e4, tokens=1e5, flops=7.5e9, loss=3.25)  # fmt: skip
    RunStore(path).put_run(run)
    code, status, _ = cli(capsys, "ladder", "status", "--store", str(path))
    assert code == 0
    code, runs, _ = cli(capsys, "runs", "--store", str(path))
    assert code == 0
    status_heads = _heads(status, "ladder")
    runs_heads = [h.strip("┃│") for h in runs.split() if h.strip("┃│")]
    assert status_heads[3:6] == ["params", "tokens", "flops"] and "FLOPs" not in status_heads
    assert "flops" in runs_heads and "FLOPs" not in runs_heads
    # the cell under flops is the run's 7.5e9, as runs shows it
    row = next(line.split() for line in status.splitlines() if "w16-d1" in line)
    assert row[status_heads.index("flops")] == "7.5e9"
    code, out, _ = cli(capsys, "ladder", "status", "--store", str(path), "--json")
    assert json.loads(out)["rungs"][0]["flops"] == 7.5e9


def test_ladder_plan_heads_compute_as_its_json_keys_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "ladder", "plan", str(EXAMPLE))
    assert code == 0
    heads = _heads(out, "rung")
    assert heads[-3:] == ["flops", "6ND", "time"]
    code, out, _ = cli(capsys, "ladder", "plan", str(EXAMPLE), "--json")
    assert all("flops" in rung for rung in json.loads(out)["rungs"])
