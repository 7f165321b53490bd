"""``ladder plan --out`` saves what ``--json`` prints, as every command that plans does, and
refuses a path it cannot write before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli


def test_out_saves_what_json_prints(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["ladder", "plan", "tiny", "--flops-per-s", "1e12"]  # a given speed: one estimate
    code, printed, err = cli(capsys, *args, "--json")
    notes = [f"note: {n}" for n in json.loads(printed)["notes"]]  # said on stderr
    assert code == 0 and err.splitlines() == notes
    saved = tmp_path / "plan.json"
    code, out, err = cli(capsys, *args, "--out", str(saved))
    assert code == 0, err
    assert "ladder tiny: 3 rungs" in out and f"wrote plan: {saved}" in out
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data == json.loads(printed)
    assert data["format"] == "scalinglab.ladder_plan/2" and len(data["rungs"]) == 3
    again = tmp_path / "again.json"
    code, out, err = cli(capsys, *args, "--json", "--out", str(again))
    assert code == 0 and json.loads(out) == data  # stdout: the JSON alone
    assert err.splitlines() == [f"wrote plan: {again}", *notes]
    assert json.loads(again.read_text(encoding="utf-8")) == data


def test_out_over_the_ladder_or_into_a_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    recipe = tmp_path / "ladder.toml"
    recipe.write_text('name = "x"\n', encoding="utf-8")
    code, _, err = cli(capsys, "ladder", "plan", str(recipe), "--out", str(recipe), one_line=True)
    assert code == 2
    assert f"--out {str(recipe)!r} is the same file as LADDER {str(recipe)!r}" in err
    assert recipe.read_text(encoding="utf-8") == 'name = "x"\n'
    code, _, err = cli(capsys, "ladder", "plan", "tiny", "--out", str(tmp_path), one_line=True)
    assert code == 2 and "is a folder" in err
