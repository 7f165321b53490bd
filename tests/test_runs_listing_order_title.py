"""``scalinglab runs`` and ``runs rm``: one order, the listing's (smallest first; rm listed
its runs largest first), and no line ending in spaces (a table's title was padded to the
table's width: every command's, through the one stdout console)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

_RUNS = pd.DataFrame(
    {
        "run": ["c", "a", "d", "b"],
        "params": [4e7, 1e7, 8e7, 2e7],
        "tokens": [8e8, 2e8, 1.6e9, 4e8],
        "loss": [3.4, 4.0, 3.2, 3.7],
    }
)


def _store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    _RUNS.to_csv(runs, index=False)
    assert cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    return store


def _listed(out: str) -> list[str]:
    """The run names of a runs table, in its order (a folded source's lines name none)."""
    cells = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    return [cell for cell in cells if cell]


def test_runs_rm_lists_its_runs_in_the_listing_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(capsys, tmp_path)
    code, listing, _ = cli(capsys, "runs", "--store", str(store))
    assert code == 0 and _listed(listing) == ["a", "b", "c", "d"]
    source = str(tmp_path / "runs.csv")
    args = ["runs", "rm", "--store", str(store), "--source", source, "--dry-run"]
    code, out, _ = cli(capsys, *args)
    assert code == 0 and _listed(out) == ["a", "b", "c", "d"]
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 0 and [r["run"] for r in json.loads(out)["removed"]] == ["a", "b", "c", "d"]


def test_no_line_of_the_runs_listing_ends_in_spaces(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(capsys, tmp_path)
    code, out, _ = cli(capsys, "runs", "--store", str(store))
    assert code == 0
    assert out.splitlines()[0] == f"4 runs in {store}"
    assert [line for line in out.splitlines() if line.endswith(" ")] == []
    code, out, _ = cli(capsys, "runs", "rm", "a", "--store", str(store))
    assert code == 0 and out.splitlines()[0] == f"removed 1 run from {store}"
