"""``plan --fit`` of an older fit file (no ``extrapolation`` record, no largest FLOPs in
its ``flops_convention``) planned 1e21-1e24 and called them "the default of fit's plan
table", while the file's own ``"plan"`` held the budgets that table used: it plans those,
and each note says where its budgets came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_default_budgets import _small_runs

CHOOSE = "choose with --compute (flops= in Python)"


def _older(tmp_path: Path, capsys: pytest.CaptureFixture[str], *, plan: bool) -> Path:
    """A fit of runs up to 1e17 FLOPs as a file from before the reach was recorded."""
    path = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", _small_runs(tmp_path), "--bootstrap", "0", "--out", str(path))
    assert code == 0, err
    data = json.loads(path.read_text())
    assert [row["flops"] for row in data["plan"]] == [1e18, 1e19, 1e20]
    del data["extrapolation"]
    data["flops_convention"].pop("largest", None)
    if not plan:
        del data["plan"]
    path.write_text(json.dumps(data))
    return path


def _planned(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[list[float], list[str]]:
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    return [p["query"]["flops"] for p in data["plans"]], data["notes"]


def test_an_older_file_plans_the_budgets_its_plan_table_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    budgets, notes = _planned(capsys, _older(tmp_path, capsys, plan=True))
    assert budgets == [1e18, 1e19, 1e20]
    assert notes[0] == (
        "budgets 1e18, 1e19, 1e20 FLOPs: those of fit's plan table, saved in the fit's file, "
        f"which records no compute of its runs; {CHOOSE}"
    )


def test_an_older_file_without_a_plan_table_says_its_budgets_are_the_standard_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    budgets, notes = _planned(capsys, _older(tmp_path, capsys, plan=False))
    assert budgets == [1e21, 1e22, 1e23, 1e24]
    assert notes[0] == (
        "budgets 1e21, 1e22, 1e23, 1e24 FLOPs: the standard ones, as the fit's file records "
        "neither its runs' compute nor fit's plan table (an older file), so they may lie far "
        f"from its runs; {CHOOSE}"
    )
