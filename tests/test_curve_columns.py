"""Which column of a curve file holds each quantity, for every reader of curves (``curves
fit`` and the commands that read curve files, ``envelope``'s :func:`read_curves`, ``ingest
--history``): ``--map`` reaches every command that reads curve files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_ingest import cli
from tests.test_curves_notes import sized_curves

from scalinglab.cli._cmd_curves_use import runs_from_curves


def _frame() -> pd.DataFrame:
    """``run, params, step, lr, train_loss, val_loss`` of Tissue curves of two sizes (three
    schedules each), val 0.1 above train."""
    return pd.DataFrame(
        [
            {"run": c.run, "params": c.params, "step": int(k), "lr": c.schedule.lr[k],
             "train_loss": v, "val_loss": v + 0.1}
            for c in sized_curves()[0]
            for k, v in zip(c.step, c.loss, strict=True)
        ]
    )  # fmt: skip


def _commands(path: Path, out: Path) -> list[list[str]]:
    """The commands that read curve files besides ``curves fit`` (tested with it)."""
    runs = list(dict.fromkeys(_frame()["run"]))
    train = ",".join(runs[:2] + runs[3:5])  # two schedules of each size
    return [
        ["fit", "--from-curves", str(path), "--bootstrap", "0", "--no-compare"],
        ["curves", "backtest", str(path), "--train", train, "--law", "sized:tissue"],
        ["report", str(path), "--curves", "--train", train, "--curve-law", "sized:tissue",
         "--bootstrap", "0", "--out", str(out)],
    ]  # fmt: skip


def test_map_reaches_every_command_that_reads_curve_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "both.csv"
    _frame().to_csv(path, index=False)
    page = tmp_path / "c.html"
    for args in _commands(path, page):
        code, _, err = cli(capsys, *args, "--map", "loss=val_loss")
        assert code == 0, err
    assert "--map loss=val_loss" in page.read_text()  # the page's command reproduces it
    # fit --from-curves predicts from the curve mapped: val_loss, 0.1 above train_loss
    val, _ = runs_from_curves([path], cooldown=0.2, columns={"loss": "val_loss"})
    train, _ = runs_from_curves([path], cooldown=0.2, columns={"loss": "train_loss"})
    np.testing.assert_allclose(val.columns["loss"] - train.columns["loss"], 0.1, atol=0.01)
    # a store's curves are its train_loss: --map with --store alone is refused
    store = tmp_path / "runs.duckdb"
    for args in (
        ["curves", "backtest", "--store", str(store), "--train", "a"],
        ["fit", "--from-curves", str(store)],
    ):
        code, _, err = cli(capsys, *args, "--map", "loss=val_loss")
        assert code == 2 and "--map reads curve files: a store's curves are its train_loss" in err
