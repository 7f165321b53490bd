"""``--json PATH``, the way ``backtest``, ``isoflop`` and ``envelope`` took it before issue
12: one line saying ``--json`` is a flag now and ``--out PATH`` writes the file, not "file
not found" for the path read as the runs, nor click's "unexpected extra argument"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

SAID = "error: `--json` is a flag now; write the file with --out PATH (--out {})\n"


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "runs.csv"
    isoflop_runs(seed=0).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["backtest", "--bootstrap", "0", "--json", "new.json"],  # new.json read as the runs
        ["isoflop", "runs.csv", "--json", "iso.json"],  # an extra argument
        ["plan", "--fit", "fit.json", "--compute", "1e22", "--json", "plan.json"],
        ["isoflop", "runs.csv", "--json=iso.json"],  # click: "does not take a value"
    ],
)
def test_json_given_a_path_says_it_is_a_flag_now(
    runs: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = cli(capsys, *args)
    path = args[-1].removeprefix("--json=")
    assert (code, out, err) == (2, "", SAID.format(path))


def test_an_old_result_where_the_runs_go_after_json_says_so_too(
    runs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file that ``backtest --json bt.json`` wrote before (a JSON object), given again."""
    Path("bt.json").write_text(json.dumps({"holdout": "largest:3", "laws": []}))
    code, _, err = cli(capsys, "backtest", "--json", "bt.json", "--bootstrap", "0")
    assert (code, err) == (2, SAID.format("bt.json"))


def test_json_then_a_run_table_in_json_is_the_flag_and_the_runs(
    runs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fit --json runs.json``: the flag, then the runs; a bad row there is said as it is."""
    rows = isoflop_runs(seed=0).to_dict(orient="records")
    Path("runs.json").write_text(json.dumps(rows))
    code, out, _ = cli(capsys, "isoflop", "--json", "runs.json", "--bootstrap", "0")
    assert code == 0 and json.loads(out)["format"] == "scalinglab.isoflop/2"
    rows[0]["loss"] = "three"
    Path("runs.json").write_text(json.dumps(rows))
    code, _, err = cli(capsys, "isoflop", "--json", "runs.json", "--bootstrap", "0")
    assert code == 2 and "flag now" not in err and err.startswith("error: runs.json")
