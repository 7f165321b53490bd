"""A fit of a table read already records the column its loss was read from
(:attr:`FitResult.y`): ``read_runs(path, y="loss_c4_val")`` then ``fit`` recorded
``y="loss"``, a column the file does not have, so its JSON named no loss column, the
report card's ``fit`` call read another, and ``write_report(result, path)`` refused the
file ("no loss column") that the fit had been read from. The conventions a plan prints name
the column too, where the file names it otherwise than ``loss``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab.report._python_call import python_call
from scalinglab.report._report_inputs import report_runs


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 runs whose loss is in ``loss_a_val``, a column no alias reads, beside another."""
    frame = isoflop_runs(seed=3).drop(columns="flops").rename(columns={"loss": "loss_a_val"})
    frame["loss_b_val"] = frame["loss_a_val"] + 1
    path = tmp_path_factory.mktemp("table") / "models.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_table_read_with_y_is_fitted_as_its_column(models: Path) -> None:
    runs = scalinglab.read_runs(models, y="loss_a_val")
    result = scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False)
    assert result.y == "loss_a_val"
    assert json.loads(result.to_json())["y"] == "loss_a_val"
    assert "y='loss_a_val'" in python_call(result, y=result.y)  # the card's call reads it
    again = report_runs(result, models, y=result.y)  # as write_report reads the file
    assert again.runs == runs.runs
    # the same as the fit given the path and y=, as `fit --y` records it
    direct = scalinglab.fit("chinchilla", models, y="loss_a_val", bootstrap=0, compare=False)
    assert direct.y == result.y


def test_a_column_named_loss_is_recorded_as_loss(models: Path) -> None:
    frame = pd.read_csv(models).rename(columns={"loss_a_val": "loss"})
    plain = scalinglab.read_runs(frame)
    assert scalinglab.fit("chinchilla", plain, bootstrap=0, compare=False).y == "loss"


def test_the_conventions_name_the_loss_column(
    capsys: pytest.CaptureFixture[str], models: Path, tmp_path: Path
) -> None:
    """A plan said only 'loss  as given in the run table': of a file of several validation
    losses, not which one its losses are of."""
    saved = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", str(models), "--y", "loss_b_val", "--bootstrap", "0",
                       "--no-compare", "--out", str(saved))  # fmt: skip
    assert code == 0, err
    said = "as given in the run table (column 'loss_b_val')"
    assert json.loads(saved.read_text(encoding="utf-8"))["conventions"]["loss"] == said
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22")
    assert code == 0, err
    assert f" loss    {said}" in out
    runs = scalinglab.read_runs(models, y="loss_a_val")
    fitted = scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False)
    assert fitted.conventions.loss == "as given in the run table (column 'loss_a_val')"
    named = pd.read_csv(models).rename(columns={"loss_a_val": "loss"})
    plain = scalinglab.fit("chinchilla", named, bootstrap=0, compare=False)
    assert plain.conventions.loss == "as given in the run table"  # the column is 'loss'
