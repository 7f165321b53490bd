"""What a loss-to-loss prediction says: the interval's own notes (unbounded past the level
the backtests calibrate), in Python and in ``loss2loss predict``, and a one-line repr."""

from __future__ import annotations

from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest
from tests.test_loss2loss_coverage import synthetic_runs

from scalinglab import LossToLossFit, fit_loss_to_loss, read_runs
from scalinglab.cli import main


@pytest.fixture(scope="module")
def l2l() -> LossToLossFit:
    """30 runs, 0.2% noise: three backtest cuts calibrate levels up to about 92%."""
    return fit_loss_to_loss(read_runs(synthetic_runs(100)), x="loss", y="loss_other", bootstrap=20)


def test_an_unbounded_interval_carries_the_predictions_note(l2l: LossToLossFit) -> None:
    pred = l2l.predict(3.0, level=0.95)["all"]
    assert pred.upper[0] == np.inf
    top = l2l.fits["all"].predict(L=3.0, level=0.95).notes
    assert top and top[0].startswith("the 95% interval is unbounded")
    assert pred.notes[0] == top[0]


def test_loss2loss_predict_prints_why_the_interval_is_unbounded(
    l2l: LossToLossFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "l2l.json"
    l2l.save(path)
    code = main(["loss2loss", "predict", "--fit", str(path), "--loss", "3", "--level", "0.95"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "note: the 95% interval is unbounded" in " ".join((out + err).split())
    assert "ask 92.3% or less" in " ".join((out + err).split())


def test_the_repr_of_many_points_is_one_line(l2l: LossToLossFit) -> None:
    text = repr(l2l.predict(np.linspace(2.6, 3.4, 400))["all"])
    assert "\n" not in text and len(text) < 200
    assert text.startswith("LossToLossPrediction(400 points, L_x 2.6-3.4 -> L_y ")
    one = repr(l2l.predict(3.0)["all"])
    assert one.startswith("LossToLossPrediction(L_x=3 -> L_y=") and "at 90%" in one


def test_notes_on_where_l_x_lies_are_in_words_of_l_x_said_once(
    l2l: LossToLossFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = l2l.fits["all"]
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    high = ex.reach["L"]
    far = high * 30.0  # past every distance the backtests measured, and > 1 decade out
    pred = l2l.predict([3.0, far])["all"]
    # none of FitResult.predict's notes for laws of N and D (x10 in N, D or N·D; runs)
    assert not any("N·D" in n or "beyond the fitted runs" in n for n in pred.notes), pred.notes
    z_sigma = NormalDist().inv_cdf(0.95) * ex.sigma_full
    assert pred.notes == (  # L_x 3 is inside the data: the noise floor sets its width
        f"the 90% interval at 1 of 2 points (L_x=3) is the run-to-run noise's own (half-width "
        f"z·σ_full = {z_sigma:.3g} in log loss), wider there than the backtests' calibrated "
        "error q·s: near the data the noise, not the extrapolation error, sets the width",
        f"L_x {far:.4g}: above the fitted L_x ({ex.floor['L']:.4g} to {high:.4g}): the law is "
        "extrapolated",
        f"L_x {far:.4g}: past the {ex.measured:.2f} decades beyond the fitted L_x that its "
        "backtests reached, where the interval's width extends the error's measured growth "
        "with distance: it is not measured",
    )
    path = tmp_path / "l2l.json"
    l2l.save(path)
    code = main(["loss2loss", "predict", "--fit", str(path), "--loss", f"3,{far:.6g}"])
    out, err = capsys.readouterr()
    assert code == 0, err
    said = " ".join((out + err).split()).split(" note: ")[1:]
    assert len(said) == 3 and "N·D" not in out + err and "fitted runs" not in out + err


def _without_floor(fit: LossToLossFit) -> LossToLossFit:
    """``fit`` as a file saved before ``extrapolation.sigma_full`` was stored reads."""
    data = fit.to_dict()
    for group in data["fits"].values():
        del group["extrapolation"]["sigma_full"]
    return LossToLossFit.from_dict(data)


def test_an_old_file_without_a_floor_names_the_loss_to_loss_refit(l2l: LossToLossFit) -> None:
    ex = l2l.fits["all"].extrapolation
    assert ex is not None and ex.sigma_full is not None and ex.sigma_full > 0  # noisy runs
    old = _without_floor(l2l)
    notes = old.predict(3.0)["all"].notes  # inside the data: the floor would set the width
    assert notes == (
        "this fit file holds no noise floor for its calibrated intervals (saved before "
        "extrapolation.sigma_full was): their width is the backtests' q·s alone, which here is "
        "narrower than the run-to-run noise; re-fit (scalinglab loss2loss fit --out, or "
        "fit_loss_to_loss(...).save) to get the floor",
    )


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_noiseless_runs_store_a_floor_of_0_and_an_old_file_says_nothing_of_it() -> None:
    # L_y an exact function of L_x: the residuals are rounding, the floor a re-fit stores 0
    frame = synthetic_runs(100)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    exact = fit_loss_to_loss(read_runs(frame), x="loss", y="loss_other", bootstrap=20)
    ex = exact.fits["all"].extrapolation
    assert ex is not None and ex.calibrated and ex.sigma_full is not None
    assert ex.sigma_full < 1e-12
    assert not any("noise floor" in n for n in _without_floor(exact).predict(3.0)["all"].notes)
