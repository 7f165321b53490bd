"""A sweep's messages in the user's words: a missing tokens column lists the columns as the
file names them (``params (from N)``), the names tried for tokens and how to map one; a loss
cell that reads ``n/a`` is said to read so, not called blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep

from scalinglab.hparams import fit_hparams


def test_a_sweep_without_tokens_names_its_columns_and_the_names_tried(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "noD.csv"
    sweep(0).drop(columns="tokens").rename(columns={"params": "N"}).to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: {path}: no column 'tokens': none is named tokens, d, n_tokens, num_tokens, "
        "tokens_seen, training_tokens, train_tokens, total_tokens (numeric columns: params "
        "(from N), loss, lr, bs)",
        "hint: map a column to it, e.g. --map tokens=COLUMN (read_runs(..., "
        "columns={'tokens': COLUMN}) in Python)",
    ]


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (("n/a", "n/a"), "a cell reading 'n/a'"),
        (("", ""), "a blank cell"),
        (("", "null"), "a blank cell, or one reading 'null'"),
        (("N/A", "-"), "a cell reading 'N/A' or '-'"),
    ],
)
def test_a_loss_not_recorded_is_said_as_written(
    tmp_path: Path, cells: tuple[str, str], said: str
) -> None:
    frame = sweep(0).astype({"loss": object})
    frame = frame[frame["loss"].notna()].reset_index(drop=True)
    frame.loc[3, "loss"], frame.loc[50, "loss"] = cells
    path = tmp_path / "sweep.csv"
    frame.to_csv(path, index=False)
    hp = fit_hparams(path, bootstrap=0)
    assert (
        f"2 runs with no loss in 'loss' ({said}) read as diverged, as a NaN loss is "
        "(DataFrame.to_csv writes NaN as a blank cell): rows 5, 52; if they are unfinished "
        "rather than diverged, remove them from the sweep"
    ) in hp.notes
