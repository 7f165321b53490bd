"""A new user's sweep of the hparams laws, continued: a fit without bootstrap, a sweep of lr
alone, and cells whose valley is bounded above by diverged runs."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, optimum

from scalinglab.cli import main

SIZES = (1e8, 2e8, 4e8, 8e8)
BUDGETS = (4e9, 1e10, 3e10)


def grid(*, batches: int = 5, top: int = 5, seed: int = 0) -> pd.DataFrame:
    """A 9-lr (``top`` of them at and above the optimum's grid point, counting it) x
    ``batches``-batch grid per (N, D) cell about the true optimum, a bowl in log space."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in SIZES:
        for d in BUDGETS:
            lr0, b0 = optimum(n, d)
            best = 2 + 300 * n**-0.3 + 500 * d**-0.3
            half = (batches - 1) / 2
            for lr in lr0 * np.sqrt(2.0) ** np.arange(-4, top):
                for bs in b0 / SEQ_LEN * np.sqrt(2.0) ** (np.arange(batches) - half):
                    u, v = np.log(lr / lr0), np.log(bs * SEQ_LEN / b0)
                    loss = best + 0.02 * u * u + 0.01 * v * v + rng.normal(0, 1e-4)
                    rows.append({"N": n, "D": d, "lr": lr, "bs": round(bs), "loss": loss})
    return pd.DataFrame(rows)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_fit_without_bootstrap_drops_every_interval_column_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sweep, fit = tmp_path / "sweep.csv", tmp_path / "hp0.json"
    grid().to_csv(sweep, index=False)
    args = ("--seq-len", str(SEQ_LEN), "--law", "steplaw")
    out = cli(capsys, "hparams", "fit", str(sweep), *args, "--bootstrap", "0", "--out", str(fit))
    assert "cells: optimum on a local surface\n" in re.sub(r" +\n", "\n", out)
    header = next(line for line in out.split("\n") if "coef" in line)
    assert "value" in header and "interval" not in header
    # what to run: hparams fit's own default, 1000 resamples
    assert "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 1000" in out
    predict = ("hparams", "predict", "--params", "7B", "--tokens", "1.4T", "--fit", str(fit))
    out = cli(capsys, *predict)
    header = next(line for line in out.split("\n") if "quantity" in line)
    assert "value" in header and "interval" not in header
    assert (
        "no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with "
        "scalinglab hparams fit --bootstrap 1000"
    ) in out
    assert "its interval" not in out and "their intervals" not in out
    assert "a local power law K * N**a * D**b of the cells' minima (which scatter" in out
    # the JSON keeps its keys: the intervals are there, as NaN
    data = json.loads(cli(capsys, *predict, "--json"))
    assert data["lr_interval"] == ["nan", "nan"] and data["loss_interval"] == ["nan", "nan"]
    cli(capsys, "hparams", "fit", str(sweep), *args, "--bootstrap", "20", "--out", str(fit))
    with_bootstrap = json.loads(cli(capsys, *predict, "--json"))
    assert set(with_bootstrap) == set(data)
    assert all(math.isfinite(t) for t in with_bootstrap["lr_interval"])
    out = cli(capsys, *predict)
    assert "90% interval" in out and "no intervals" not in out


@pytest.mark.parametrize("batch_column", [True, False])
@pytest.mark.heavy
def test_a_sweep_over_lr_alone_says_at_which_batch_its_lr_star_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch_column: bool
) -> None:
    frame = grid(batches=1)  # one batch per cell, growing with D
    if not batch_column:
        frame = frame.drop(columns=["bs"])
    sweep, fit = tmp_path / "lronly.csv", tmp_path / "hplr.json"
    frame.to_csv(sweep, index=False)
    args = ("--seq-len", str(SEQ_LEN), "--law", "steplaw", "--bootstrap", "5")
    out = cli(capsys, "hparams", "fit", str(sweep), *args, "--out", str(fit))
    header = next(line for line in out.split("\n") if "status" in line)
    assert "B*" not in header and "nan" not in out
    if batch_column:  # the batch each cell ran at, as the sweep's, not as a located B*
        assert "batch (tokens, fixed)" in header
        assert (
            "no cell sweeps the batch (one batch per cell, 176K to 557K tokens): each lr* " in out
        )
    else:
        assert "batch" not in header
        assert "the sweep has no batch column: each lr* is the optimal peak lr at whatever" in out
    predict = ("hparams", "predict", "--params", "1B", "--tokens", "20B", "--fit", str(fit))
    out = cli(capsys, *predict)
    said = (
        "the batch the sweep used (one batch per cell, 176K to 557K tokens)"
        if batch_column
        else "the batch the sweep's runs used (it records none)"
    )
    assert f"peak lr*: optimal at {said}, not at any batch" in out
    assert "with lr x2 or /2" in out  # no batch moves on the flatness line
    notes = json.loads(cli(capsys, *predict, "--json"))["notes"]
    assert notes[0].startswith(f"peak lr*: optimal at {said}")

    from scalinglab.hparams import HparamFit

    hp = HparamFit.load(fit)
    assert hp.predict(params="1B", tokens="20B").notes[0] == notes[0]
    assert ("batch=1.7613e5 (fixed)" in repr(hp.cells[0])) is batch_column
    assert "batch*" not in repr(hp.cells[0]) and "B*" not in repr(hp.cells[0])
    # the report's cells table heads the batch as hparams fit does
    page = tmp_path / "hp.html"
    cli(
        capsys, "report", str(sweep), "--hparams", *args[:2], "--bootstrap", "5", "--out", str(page)
    )
    heads = re.findall(r"<th>([^<]*)</th>", page.read_text())
    assert "B* (tokens)" not in heads
    assert ("batch (tokens, fixed)" in heads) is batch_column


def test_a_valley_bounded_above_by_diverged_runs_is_kept_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab._errors import DataError
    from scalinglab.hparams import fit_hparams
    from scalinglab.hparams._bracket import BOUNDED

    full = grid()
    lr0 = np.array([optimum(n, d)[0] for n, d in zip(full.N, full.D, strict=True)])
    above = full.lr > lr0 * 1.01  # every run above the optimum's grid point
    diverged = full.assign(loss=np.where(above, 11.1, full.loss))
    absent = full[~above]  # the same usable runs, with nothing tried above them
    options = {"seq_len": SEQ_LEN, "law": "steplaw", "bootstrap": 0}
    hp = fit_hparams(diverged, **options)
    assert [c.status for c in hp.cells] == [BOUNDED] * 12 and all(c.bracketed for c in hp.cells)
    assert BOUNDED.startswith("ok, bounded by divergence: every run above its best lr diverged")
    said = next(n for n in hp.notes if "bounded by divergence:" in n)
    assert said.startswith("N=100M D=4B, N=100M D=10B, ")
    assert "lr* there is the best lr below divergence" in said
    assert hp.predict(params="1B", tokens="20B").lr == pytest.approx(
        optimum(1e9, 2e10)[0], rel=0.05
    )
    # nothing above the best run: unbracketed, refused as before
    with pytest.raises(DataError, match="every one of the 12 cells is unbracketed"):
        fit_hparams(absent, **options)
    # runs above that trained: a plain "ok"
    assert {c.status for c in fit_hparams(full, **options).cells} == {"ok"}

    sweep = tmp_path / "diverged.csv"
    diverged.to_csv(sweep, index=False)
    args = ("hparams", "fit", str(sweep), "--seq-len", str(SEQ_LEN), "--law", "steplaw")
    out = cli(capsys, *args, "--bootstrap", "0")
    assert out.count("ok, bounded by divergence ") == 12  # the status column
    assert f"note: {said}" in out.replace("\n", " ")
    data = json.loads(cli(capsys, *args, "--bootstrap", "0", "--json"))
    assert data["cells"][0]["status"] == BOUNDED and data["cells"][0]["bracketed"] is True
    assert said in data["notes"]
