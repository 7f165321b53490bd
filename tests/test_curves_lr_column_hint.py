"""A curve file whose learning rate is under a name of its own (PyTorch Lightning's
LearningRateMonitor logs ``lr-AdamW``) is refused with the columns it has and the ``--map``
that reads that column as the lr; mapped, it reads as the file with an ``lr`` column does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import read_lr_curves
from scalinglab.cli import main


def _curve(path: Path, lr_name: str) -> Path:
    step = np.arange(10, 3001, 10)
    lr = np.where(step < 200, 3e-4 * step / 200, 3e-4 * (0.1 + 0.9 * (3000 - step) / 2800))
    loss = 3.0 + 2.0 * (np.cumsum(lr) * 10 * 1e3 + 1.0) ** -0.5
    frame = pd.DataFrame({"step": step, "train/loss": loss, lr_name: lr, "run_name": "a"})
    frame.to_csv(path, index=False)
    return path


def test_an_lr_under_another_name_is_refused_naming_it_and_its_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _curve(tmp_path / "lightning.csv", "lr-AdamW")
    assert main(["curves", "fit", str(path), "--bootstrap", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        f"error: {path}: no lr column (looked for lr, learning_rate, lr_0, train/learning_rate, "
        "train/lr; the columns are 'step', 'train/loss', 'lr-AdamW', 'run_name') and no "
        "schedule given: a curve law needs the learning rate of every step" in err
    )
    assert (
        "hint: if 'lr-AdamW' holds the learning rate, read it as the lr: --map lr=lr-AdamW "
        "(columns={'lr': 'lr-AdamW'} in Python); else pass --schedule" in err
    )
    assert "Traceback" not in err


def test_a_file_with_no_rate_like_column_says_how_to_map_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"step": [10, 20, 30], "loss": [3.2, 3.1, 3.0]}).to_csv(path, index=False)
    assert main(["curves", "fit", str(path), "--bootstrap", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "the columns are 'step', 'loss') and no schedule given" in err
    assert "hint: add an 'lr' column (or map yours: --map lr=COLUMN), or pass --schedule" in err


def test_the_mapped_column_reads_as_an_lr_column(tmp_path: Path) -> None:
    mapped = read_lr_curves(_curve(tmp_path / "a.csv", "lr-AdamW"), columns={"lr": "lr-AdamW"})
    plain = read_lr_curves(_curve(tmp_path / "b.csv", "lr"))
    assert len(mapped) == len(plain) == 1
    np.testing.assert_array_equal(mapped[0].schedule.lr, plain[0].schedule.lr)
    np.testing.assert_array_equal(mapped[0].loss, plain[0].loss)
