"""read_runs takes fit's y= and x=, and isoflop reads its runs with fit's reading options."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError, DataError


def _csv(tmp_path: Path) -> Path:
    runs = isoflop_runs(seed=0).rename(columns={"params": "width_n", "loss": "val_loss"})
    runs["dataset"] = ["c4", "pile"] * (len(runs) // 2)
    runs["train_loss"] = runs["val_loss"] + 0.1
    path = tmp_path / "runs.csv"
    runs.to_csv(path, index=False)
    return path


def test_read_runs_reads_y_and_x_as_fit_does(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    table = sl.read_runs(path, y="val_loss", x={"N": "width_n"})
    want = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(3, 0)).T
    np.testing.assert_allclose(table["loss"], want[0])
    np.testing.assert_allclose(table["params"], want[1])
    assert table.origins["loss"] == "val_loss"
    # the forms fit takes: "loss=COLUMN" and "N=COLUMN"
    same = sl.read_runs(path, y="loss=val_loss", x="N=width_n")
    np.testing.assert_array_equal(same["loss"], table["loss"])
    np.testing.assert_array_equal(same["params"], table["params"])
    assert fit_y(path) == "val_loss"


def fit_y(path: Path) -> str:
    return sl.fit("chinchilla", path, y="val_loss", x={"N": "width_n"}, bootstrap=0).y


def test_read_runs_refuses_two_loss_columns(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="name two loss columns") as err:
        sl.read_runs(_csv(tmp_path), y="val_loss", columns={"loss": "train_loss"})
    assert err.value.hint == "name the loss column once, with y="


def test_read_runs_y_names_a_column_there_is(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no column 'nope' to read loss from") as err:
        sl.read_runs(_csv(tmp_path), y="nope")
    assert err.value.hint == "pass an existing column: y=COLUMN"


def test_isoflop_reads_where_x_and_drops_outliers(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    frame = isoflop_runs(seed=0)
    whole = sl.isoflop(frame, bootstrap=0)
    read = sl.isoflop(path, y="val_loss", x="N=width_n", bootstrap=0)
    assert read.params_law.exponent.value == pytest.approx(whole.params_law.exponent.value)
    c4 = sl.isoflop(path, y="val_loss", x="N=width_n", where="dataset=c4", bootstrap=0)
    assert sum(len(b.runs) for b in c4.budgets) == len(frame) // 2
    frame.loc[3, "loss"] = np.nan  # a diverged run
    with pytest.raises(DataError, match="NaN"):
        sl.isoflop(frame, bootstrap=0)
    dropped = sl.isoflop(frame, drop_outliers=True, bootstrap=0)
    assert sum(len(b.runs) for b in dropped.budgets) == len(frame) - 1


def test_isoflop_x_names_only_what_it_reads(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    with pytest.raises(ConfigError, match=r"\['U'\] name no column it reads"):
        sl.isoflop(path, y="val_loss", x={"U": "width_n"})
    with pytest.raises(DataError, match="no column 'nope' could be read as flops") as err:
        sl.isoflop(path, y="val_loss", x={"C": "nope"})
    assert err.value.column == "nope"
