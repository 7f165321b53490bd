"""Curve fits in Python say what to read with their numbers: sizes with units and how far
beyond the fitted sizes, an estimate outside its own interval, coefficients at a bound;
step counts with units; W&B column names (the command line: tests/test_cli_curves_notes.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, DataError, fit_curves, parse_schedule
from scalinglab.curves import Curve, CurveFit, FinalLoss, PowerS1, Tissue, read_lr_curves
from scalinglab.curves._caveats import COVERS
from scalinglab.curves._sized import SizedLaw

TISSUE = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SIZED = {**TISSUE, "l0_N": 0.08, "A_N": 0.05}
WSD = "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000"


def sized_curves() -> tuple[list[Curve], SizedLaw, np.ndarray]:
    """Noise-free Tissue curves of 25M and 100M models (3 schedules each)."""
    law = SizedLaw(Tissue()).with_sizes([2.5e7] * 3 + [1e8] * 3, n_ref=1e8)
    scheds = [parse_schedule(s) for _ in range(2) for s in SPECS[:3]]
    steps = [np.arange(s.warmup, s.steps, 50) for s in scheds]
    p = np.array([[SIZED[n] for n in law.param_names]])
    val = law.evaluate(p, law.prepare(scheds, steps), jacobian=False)[0][0]
    curves, i = [], 0
    for n, s, t in zip(law.sizes, scheds, steps, strict=True):
        curves.append(Curve(f"{n:g}-{s.spec[:6]}", t, val[i : i + len(t)], s, n))
        i += len(t)
    return curves, law, p


def test_sizes_take_units_and_a_size_far_beyond_the_fitted_ones_is_a_warning() -> None:
    curves, law, p = sized_curves()
    fit = fit_curves(curves, law="sized:tissue", bootstrap=0)
    assert fit.sizes == (2.5e7, 1e8)
    big = law.with_sizes([4e8], n_ref=1e8)
    s = parse_schedule(WSD)
    expect = big.evaluate(p, big.prepare([s], [np.array([2999])]), jacobian=False)[0][0, 0]
    got = fit.final_loss(WSD, params="400M")
    assert isinstance(got, FinalLoss) and got.loss == pytest.approx(expect, rel=1e-6)
    assert got.loss == fit.final_loss(WSD, params=4e8).loss  # "400M" is 4e8
    assert got.notes[0] == (
        "params 400M is 0.60 decades beyond the fitted sizes (25M–100M): L0 and A are "
        "extrapolated as powers of N from 2 sizes"
    )
    far = fit.predict(WSD, params="7B")
    assert far.warnings[0].startswith("params 7B is 1.85 decades beyond the fitted sizes")
    assert not any("decades" in n for n in far.notes) and far.params == 7e9
    assert not any("decades" in n for n in fit.final_loss(WSD, params="50M").notes)
    assert "0.40 decades below" in fit.final_loss(WSD, params="10M").notes[0]
    with pytest.raises(ConfigError, match=r"params='25Q' is not a number"):
        fit.final_loss(WSD, params="25Q")
    with pytest.raises(ConfigError) as err:
        fit.final_loss(WSD)
    assert err.value.hint == "sizes fitted: 25M–100M"


def test_final_loss_says_when_its_estimate_lies_outside_its_interval() -> None:
    fit = fit_curves(
        _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue", bootstrap=0
    )
    p = np.array([fit.coefs[n] for n in Tissue().param_names])
    # resamples shifted up from the fit: every draw's L0 is 0.01 to 0.02 above it
    draws = np.tile(p, (40, 1))
    draws[:, 0] += np.linspace(0.01, 0.02, 40)
    shifted = replace(fit, samples=draws)
    loss, lower, upper = got = shifted.final_loss("cosine:steps=3000")
    assert lower > loss and got.level == 0.9
    assert got.notes == (COVERS,)  # what the interval holds, as `curves predict` says it
    assert got.warnings == (  # as a fitted coefficient outside its interval is one
        "the estimate lies outside its interval (the resamples are shifted from the fit): "
        "read the interval",
    )
    # counted in the repr, as a loss-to-loss prediction's (test_final_loss_repr_counts_...)
    assert repr(got).endswith(", notes=1, warnings=1)")
    # level= as FitResult.predict has it: a narrower interval at 50%
    half = shifted.final_loss("cosine:steps=3000", level=0.5)
    assert half.level == 0.5 and half.upper - half.lower < upper - lower
    assert shifted.predict("cosine:steps=3000", level=0.5).level == 0.5
    with pytest.raises(ConfigError, match="level must be between 0 and 1"):
        shifted.final_loss("cosine:steps=3000", level=90)
    assert fit.final_loss("cosine:steps=3000").notes == (
        "no interval: the fit has no bootstrap (curves fit --bootstrap 100; "
        "fit_curves(..., bootstrap=100))",
    )


def test_a_coefficient_at_its_bound_is_reported() -> None:
    curves = _synthetic(PowerS1(), {"L0": 0.0, "A": 3.0, "alpha": 0.3}, SPECS[:2], noise=0, seed=0)
    # below a pure power law: the law wants L0 < 0, and stops at its bound 0
    fit = fit_curves([replace(c, loss=c.loss - 0.2) for c in curves], law="power-s1", bootstrap=0)
    assert fit.coefs["L0"] == 0.0 and fit.at_bound == ("L0",)
    assert "at_bound=['L0']" in repr(fit)
    assert fit.to_dict()["at_bound"] == ["L0"]
    good = fit_curves(
        _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue", bootstrap=0
    )
    assert good.at_bound == () and "at_bound" not in repr(good)


def test_step_counts_take_units_and_must_be_whole() -> None:
    s = parse_schedule("cosine:peak=3e-4,warmup=2.16K,steps=24K")
    assert (s.steps, s.warmup) == (24000, 2160)
    assert s.spec == "cosine:peak=0.0003,steps=24000,warmup=2160"
    m = parse_schedule("multistep:peak=3e-4,at=8K,lr=9e-5,steps=16K")
    assert (m.lr[7999], m.lr[8000]) == (3e-4, 9e-5)
    with pytest.raises(ConfigError, match=r"steps=24.0005K \(24000.5\) is not a whole number"):
        parse_schedule("cosine:peak=3e-4,steps=24.0005K")
    with pytest.raises(ConfigError, match=r"steps=24Q is not a number"):
        parse_schedule("cosine:peak=3e-4,steps=24Q")


def test_wandb_column_names_read_as_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = ["run_name,iteration,learning_rate,train/loss"]
    for run in ("a", "b"):
        lines += [f"{run},{k},0.001,{4 - k / 1000}" for k in range(100, 600, 100)]
    path = tmp_path / "wandb.csv"
    path.write_text("\n".join(lines) + "\n")
    curves = read_lr_curves(path)
    assert [c.run for c in curves] == ["a", "b"]
    assert list(curves[1].step) == [100, 200, 300, 400, 500]
    assert curves[1].loss[-1] == pytest.approx(3.5)


def test_steps_restarting_in_one_run_name_the_column_that_could_be_the_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = ["experiment,step,lr,loss"]
    for run in ("a", "b"):
        lines += [f"{run},{k},0.001,{4 - k / 1000}" for k in range(100, 600, 100)]
    (tmp_path / "two.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as err:
        read_lr_curves(tmp_path / "two.csv")
    assert "steps must increase, but step 100 follows 500: the file may hold several runs" in (
        err.value.message
    )
    assert err.value.hint.startswith(
        "column 'experiment' changes where the steps restart and could name the runs"
    )


def test_a_fit_file_keeps_its_sizes_bounds_and_resampling(tmp_path) -> None:  # type: ignore[no-untyped-def]
    curves, _, _ = sized_curves()
    fit = fit_curves(curves, law="sized:tissue", bootstrap=8)
    fit.save(tmp_path / "f.json")
    again = CurveFit.load(tmp_path / "f.json")
    assert (again.sizes, again.at_bound, again.resample) == (fit.sizes, fit.at_bound, "curves")


def test_final_loss_repr_counts_its_notes_and_warnings_as_other_predictions_do() -> None:
    """The repr wrote each note and warning out (412 characters for one number and two
    lines); it counts them, as ``LossToLossPrediction`` does, the text a field away."""
    long = "the schedule runs 3.0 decades past the fitted curves' longest: " + "x" * 200
    got = FinalLoss(
        3.2074, 3.1849, 3.2071, level=0.9, notes=("a note", "another"), warnings=(long,),
        schedule="cosine:steps=72000",
    )  # fmt: skip
    assert repr(got) == (
        "FinalLoss(loss=3.2074 [3.1849, 3.2071] at 90%, schedule='cosine:steps=72000', "
        "notes=2, warnings=1)"
    )
    assert got.warnings == (long,) and got.notes == ("a note", "another")
    assert (
        repr(FinalLoss(3.2, 3.1, 3.3, level=0.9))
        == "FinalLoss(loss=3.2000 [3.1000, 3.3000] at 90%)"
    )
