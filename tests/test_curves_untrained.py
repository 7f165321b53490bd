"""A point logged before any training (the rate summed through its step is 0: a warm-up
from 0 logged at step 0, as a W&B history's first row is) is the initial weights' loss,
where every curve law's power of the summed rate is infinite. Readers leave it out with a
note naming the run and step, so the fit recovers the law instead of failing every start
("check that the loss column holds losses"), from a logged lr or a schedule given alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.curves import fit_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45}
PEAK, WARMUP, STEPS, EVERY = 3e-4, 300, 6000, 50
NOTE = "1 point before any training left out"


def _history() -> pd.DataFrame:
    """A W&B-style history: ``_step``, ``train/loss``, ``lr`` every 50 steps from step 0,
    the rate rising linearly from 0 over the warm-up (exact between logged steps), the
    loss ``L0 + A·S1^-alpha`` of the summed rate and, at step 0, the initial loss."""
    lr = np.minimum(np.arange(STEPS) / WARMUP, 1.0) * PEAK
    step = np.arange(0, STEPS, EVERY)
    with np.errstate(divide="ignore"):
        loss = TRUTH["L0"] + TRUTH["A"] * np.cumsum(lr)[step] ** -TRUTH["alpha"]
    loss[0] = 10.8  # ln(vocabulary): what a fresh model logs
    return pd.DataFrame({"_step": step, "train/loss": loss, "lr": lr[step]})


def test_a_logged_rate_of_0_at_step_0_leaves_that_point_out(tmp_path: Path) -> None:
    path = tmp_path / "run-7f3a.csv"
    _history().to_csv(path, index=False)
    with pytest.warns(UserWarning, match=NOTE) as said:
        fit = fit_curves(path, law="power-s1", bootstrap=0)
    note = next(str(w.message) for w in said if NOTE in str(w.message))
    assert "run 'run-7f3a' at step 0" in note
    assert fit.status == "converged"
    assert len(fit.residuals) == STEPS // EVERY - 1
    for name, value in TRUTH.items():
        assert fit.coefs[name] == pytest.approx(value, rel=1e-4), name


def test_a_schedule_given_is_read_alike(tmp_path: Path) -> None:
    bare = _history().rename(columns={"_step": "step", "train/loss": "loss"}).drop(columns="lr")
    spec = f"constant:peak={PEAK},warmup={WARMUP},steps={STEPS}"
    with pytest.warns(UserWarning, match=NOTE):
        fit = fit_curves(bare, law="power-s1", schedule=spec, bootstrap=0)
    for name, value in TRUTH.items():
        assert fit.coefs[name] == pytest.approx(value, rel=1e-4), name


def test_curves_fit_says_so_and_fits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run-7f3a.csv"
    _history().to_csv(path, index=False)
    code, out, err = cli(
        capsys, "curves", "fit", str(path), "--law", "power-s1", "--bootstrap", "0",
        one_line=True,
    )  # fmt: skip
    assert code == 0, err
    assert f"{path}: {NOTE}" in " ".join((out + err).split())
    assert "power-s1 fitted to 1 curve" in out
