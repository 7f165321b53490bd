"""Curves with no point to read (each lacks a loss or lies at 0 tokens) say which points and
why, and a file of one point says it is one point, no curve: not "check the columns"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused


def test_one_point_says_it_is_one_point_and_what_to_give(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "one.csv"
    path.write_text("run,params,step,tokens,loss\nm0,1e8,0,0,3.1\n")
    error, hint = refused(capsys, ["envelope", str(path)])
    assert error == (
        f"error: {path}: one point (row 2), with 0 tokens in column 'tokens' (the start of "
        "training): the envelope needs loss curves: several checkpoints per run (tokens > 0, "
        "each with a loss), for runs of 3+ model sizes"
    )
    assert hint == (
        "hint: give the runs' loss curves; for final losses (one row per run) use isoflop or fit"
    )
    path.write_text("run,params,tokens,loss\nm0,1e8,2e9,\n")
    error, _ = refused(capsys, ["envelope", str(path)])
    assert error.startswith(f"error: {path}: one point (row 2), with no loss in column 'loss': ")


def test_points_without_a_loss_or_tokens_are_counted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "curves.csv"
    path.write_text("run,params,tokens,val\nm0,1e8,0,3.1\nm0,1e8,2e9,\nm0,1e8,4e9,\n")
    frame = pd.read_csv(path)
    assert int(np.sum(frame["tokens"] == 0)) == 1 and int(frame["val"].isna().sum()) == 2
    error, hint = refused(capsys, ["envelope", str(path), "--map", "loss=val"])
    assert error == (
        f"error: {path}: no point has both a loss and tokens > 0: of the 3 points, 2 have no "
        "loss in column 'val' and 1 lies at 0 tokens in column 'tokens' (the start of training)"
    )
    assert "--map loss=COLUMN" in hint and "check the columns" not in hint
    code, _, err = cli(capsys, "envelope", str(path), "--map", "loss=val")
    assert code == 2 and "Traceback" not in err
