"""A cell no optimum can be located in (one lr, one run, no finite loss) is left out with a
note, as an unbracketed cell is; the sweep is refused only when too few cells remain."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._errors import DataError
from scalinglab.hparams import fit_hparams, read_sweep

ONE_RUN = {"params": 1.6e9, "tokens": 4e9, "lr": 5e-4, "bs": 86.0, "loss": 3.1}


def test_a_cell_of_one_run_is_left_out_with_a_note_and_the_others_fit() -> None:
    frame = sweep(0)
    whole = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    more = pd.concat([frame, pd.DataFrame([ONE_RUN])], ignore_index=True)
    hp = fit_hparams(more, seq_len=SEQ_LEN, bootstrap=0)
    assert len(hp.cells) == 12 and hp.lr_law.coefs == whole.lr_law.coefs
    assert (
        "1 cell left out, no optimum to locate: N=1.6B D=4B: a single learning rate "
        "(0.0005) in its 1 run"
    ) in hp.notes
    assert hp.source == "<DataFrame> (1152 runs)"  # the runs read, less the cell's one


def test_a_cell_of_no_finite_loss_is_left_out_and_its_csv_alike(tmp_path: Path) -> None:
    frame = sweep(0)
    gone = (frame["params"] == 2e8) & (frame["tokens"] == 2e8 * 30)
    frame.loc[gone, "loss"] = np.nan  # a cell not run yet: blank in its CSV
    frame.to_csv(tmp_path / "s.csv", index=False)
    for source in (frame, tmp_path / "s.csv"):
        s = read_sweep(source, seq_len=SEQ_LEN)
        assert s.n_cells == 11 and len(s.table) == len(frame) - int(gone.sum())
        assert s.notes[-1] == (
            f"1 cell left out, no optimum to locate: N=200M D=6B: no finite loss in its "
            f"{int(gone.sum())} runs (every one diverged or recorded none)"
        )
        assert fit_hparams(s, bootstrap=0).lr_law.formula == "A * N**alpha * D**beta"


def test_too_few_cells_left_is_refused_naming_those_left_out() -> None:
    frame = sweep(0)
    frame = frame[frame["tokens"] == frame["params"] * 30]  # 4 cells, one per size
    small = frame["params"] <= 2e8
    lowest = frame["lr"] == frame.groupby("params")["lr"].transform("min")
    frame = frame[~small | lowest]  # the two smallest cells keep their lowest lr alone
    with pytest.raises(DataError) as caught:
        fit_hparams(frame, lr_law="A*N**alpha", batch_law="B*N**delta", bootstrap=0)
    message = caught.value.message
    assert message.startswith("<DataFrame>: 2 cells for the lr law 'A*N**alpha', which has 2 ")
    a, b = (frame.loc[frame["params"] == n, "lr"].iloc[0] for n in (1e8, 2e8))
    assert message.endswith(
        "a fit needs at least 3 (besides, 2 cells left out, no optimum to locate: "
        f"N=100M D=3B: a single learning rate ({a:.3g}) in its 8 runs; N=200M D=6B: a "
        f"single learning rate ({b:.3g}) in its 8 runs)"
    )


def test_a_sweep_of_no_cell_with_two_lrs_is_refused_saying_what_a_cell_needs() -> None:
    frame = sweep(0)
    mid = frame.groupby(["params", "tokens"])["lr"].transform(lambda lr: sorted(set(lr))[4])
    batch_only = frame[frame["lr"] == mid]  # the batch swept at one lr per cell
    assert read_sweep(batch_only).n_cells == 12  # read as it is: nothing to leave out for
    with pytest.raises(DataError) as caught:
        fit_hparams(batch_only, bootstrap=0)
    assert caught.value.message.startswith(
        "<DataFrame>, column 'lr': no optimum can be located in any of the 12 cells: "
        "N=100M D=1B: a single learning rate ("
    )
    assert caught.value.message.endswith("; and 9 more")
    assert caught.value.hint == (
        "a cell (runs sharing params, tokens) needs runs with a finite loss at two or more "
        "learning rates (a sweep of the batch alone locates no lr*): group the runs into such "
        "cells (--by, by=), or name the learning-rate column (--lr, lr=)"
    )


def test_hparams_fit_says_the_cell_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    pd.concat([sweep(0), pd.DataFrame([ONE_RUN])]).to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0")
    assert code == 0, err
    assert "note: 1 cell left out, no optimum to locate: N=1.6B D=4B: a single" in out


def test_report_refuses_a_sweep_of_no_locatable_cell_before_locating_any(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = sweep(0)
    mid = frame.groupby(["params", "tokens"])["lr"].transform(lambda lr: sorted(set(lr))[4])
    path, out = tmp_path / "s.csv", tmp_path / "hp.html"
    frame[frame["lr"] == mid].to_csv(path, index=False)
    code, _, err = cli(capsys, "report", str(path), "--hparams", "--out", str(out))
    assert code == 2 and not out.exists()
    assert "no optimum can be located in any of the 12 cells" in err
    assert "locating the optima" not in err
