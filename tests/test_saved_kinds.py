"""backtest --out and plan --out carry a format, and a reader names what a file is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_cli_backtest import cli, ladder_csv

import scalinglab as sl
from scalinglab._formats import check_format
from scalinglab.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kinds")
    runs = ladder_csv(folder / "runs.csv")
    out = {k: folder / f"{k}.json" for k in ("bt", "fit", "plan", "iso")}
    assert main(["backtest", str(runs), "--no-rolling", "--out", str(out["bt"])]) == 0
    assert main(["fit", str(runs), "--bootstrap", "0", "--out", str(out["fit"])]) == 0
    plan = ["plan", "--fit", str(out["fit"]), "--compute", "1e22", "--out", str(out["plan"])]
    assert main(plan) == 0
    assert main(plan) == 0  # its own earlier output is replaced
    out["iso"].write_text(json.dumps({"format": "scalinglab.isoflop/1"}))
    return out


def test_backtest_and_plan_outputs_carry_a_format(files: dict[str, Path]) -> None:
    assert json.loads(files["bt"].read_text())["format"] == "scalinglab.backtest/1"
    assert json.loads(files["plan"].read_text())["format"] == "scalinglab.plan/1"
    assert files["bt"].read_text().lstrip("{ \n").startswith('"format"')  # first key


def test_plan_from_a_backtest_says_it_is_a_backtest(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, _, err = cli(capsys, "plan", "--fit", str(files["bt"]), "--compute", "1e22")
    assert code == 2
    assert "not a scalinglab fit (format 'scalinglab.backtest/1', expected" in err
    assert (
        "hint: it is a backtest (`scalinglab backtest --out`): it holds held-out errors; "
        "`plan --fit` reads a law fit" in err
    )


def test_the_hint_names_the_command_run(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    args = ["--fit", str(files["iso"])]
    _, _, err = cli(capsys, "predict", *args, "--params", "1e9", "--tokens", "2e10")
    assert "its allocation is in the file; `predict --fit` reads a law fit" in err
    assert "plan --fit" not in err
    _, _, err = cli(capsys, "plan", *args, "--compute", "1e22")
    assert "its allocation is in the file; `plan --fit` reads a law fit" in err
    _, _, err = cli(capsys, "predict", "--fit", str(files["plan"]), "--params", "1e9",
                    "--tokens", "2e10")  # fmt: skip
    assert "it is a plan (`scalinglab plan --out`)" in err


def test_older_files_without_a_format_are_named_by_their_keys(files: dict[str, Path]) -> None:
    for name, kind in (("bt", "a backtest"), ("plan", "a plan")):
        data = json.loads(files[name].read_text())
        del data["format"]
        with pytest.raises(sl.DataError) as err:
            check_format(data, "scalinglab.fit/1", "scalinglab fit", source="f", write="w")
        assert "(format None, expected 'scalinglab.fit/1')" in err.value.message
        assert err.value.hint is not None and err.value.hint.startswith(f"it is {kind} (")
