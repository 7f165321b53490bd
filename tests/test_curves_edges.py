"""Curve inputs a user gets wrong: a schedule given for runs that log their own lr, a schedule
shorter than the run, a spec that repeats a key or holds too many steps, a wsd decay to 0 of
a shape that never gets there, a compared schedule of another length, and a model size asked
of a fit of one size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, DataError, fit_curves, parse_schedule
from scalinglab.curves import Tissue, compare_schedules, read_lr_curves
from scalinglab.curves._schedule_spec import MAX_STEPS

SPEC = "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000"
TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def _frame(spec: str, *, lr: bool) -> pd.DataFrame:
    law = Tissue()
    s = parse_schedule(spec)
    steps = np.arange(s.warmup, s.steps, 50)
    p = np.array([[TRUTH[n] for n in law.param_names]])
    loss, _ = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)
    frame = pd.DataFrame({"run": "a", "step": steps, "loss": loss[0]})
    return frame.assign(lr=s.lr[steps]) if lr else frame


def test_a_logged_lr_wins_and_a_schedule_no_run_needs_is_refused(tmp_path: Path) -> None:
    logged = tmp_path / "logged.csv"
    _frame(SPEC, lr=True).to_csv(logged, index=False)
    bare = tmp_path / "bare.csv"
    _frame(SPEC.replace("cosine", "linear"), lr=False).assign(run="b").to_csv(bare, index=False)
    other = "constant:peak=3e-4,warmup=200,steps=3000"
    with pytest.raises(ConfigError, match="every run has a logged lr column"):
        read_lr_curves(logged, schedule=other)
    both = {c.run: c for c in read_lr_curves([logged, bare], schedule=SPEC)}
    # run a keeps its logged cosine (not the constant schedule it was given before); run b,
    # with no lr, takes the schedule given
    logged, cosine = both["a"].schedule.lr, parse_schedule(SPEC).lr
    np.testing.assert_allclose(logged, cosine[: len(logged)], rtol=2e-3)  # sampled every 50
    assert both["b"].schedule.spec.startswith("cosine")
    assert len(both["a"].step) == len(both["b"].step) == 56  # no point dropped


def test_a_schedule_shorter_than_the_run_is_refused_not_cut(tmp_path: Path) -> None:
    bare = tmp_path / "bare.csv"
    _frame(SPEC, lr=False).to_csv(bare, index=False)
    with pytest.raises(DataError, match="logged up to step 2950, beyond the 2000 steps") as err:
        read_lr_curves(bare, schedule=SPEC.replace("3000", "2000"))
    assert "steps= is at least 2951" in (err.value.hint or "")


def test_specs_that_repeat_a_key_or_exceed_the_step_limit_are_refused() -> None:
    with pytest.raises(ConfigError, match="steps= is given twice"):
        parse_schedule("cosine:peak=3e-4,steps=24000,steps=30000")
    with pytest.raises(ConfigError, match="more than the 10,000,000"):
        parse_schedule(f"cosine:peak=3e-4,steps={MAX_STEPS + 1}")


def test_compare_refuses_a_schedule_of_another_length_and_size_on_a_one_size_fit() -> None:
    curves = read_lr_curves(_frame_curves())
    fit = fit_curves(curves, law="tissue", bootstrap=0)
    rows = compare_schedules(fit, steps=3000, schedules=["cosine", "wsd:0.2,steps=3000"])
    assert len(rows) == 2
    with pytest.raises(ConfigError, match="runs steps=4000, but the schedules are compared"):
        compare_schedules(fit, steps=3000, schedules=["cosine", "wsd:0.2,steps=4000"])
    with pytest.raises(ConfigError, match="a tissue fit is of the model size it was fitted on"):
        fit.final_loss("cosine:steps=3000", params=1e9)


def _frame_curves() -> pd.DataFrame:
    specs = [SPEC, SPEC.replace("cosine", "constant"), SPEC.replace("cosine", "wsd")]
    return pd.concat(
        [_frame(s, lr=True).assign(run=f"r{i}") for i, s in enumerate(specs)], ignore_index=True
    )


def test_fit_curves_takes_a_table_or_a_list_of_paths(tmp_path: Path) -> None:
    frame = _frame_curves()
    path = tmp_path / "curves.csv"
    frame.to_csv(path, index=False)
    from_frame = fit_curves(frame, law="tissue", bootstrap=0)
    from_paths = fit_curves([path], law="tissue", bootstrap=0)
    assert from_frame.coefs == pytest.approx(from_paths.coefs, rel=1e-12)
    for name, value in TRUTH.items():
        assert from_frame.coefs[name] == pytest.approx(value, rel=1e-3)


def test_curves_of_several_sizes_under_a_one_size_law_are_warned_about() -> None:
    small = _frame_curves().assign(params=25e6)
    large = _frame_curves().assign(params=1e8, run=lambda f: f["run"] + "-100M")
    both = pd.concat([small, large], ignore_index=True)
    one_law = fit_curves(both, law="tissue", bootstrap=0)
    assert any(
        w.startswith("the curves are of 2 model sizes (25M, 100M), fitted by one tissue law")
        for w in one_law.warnings
    )
    assert not any(
        "model sizes" in w for w in fit_curves(small, law="tissue", bootstrap=0).warnings
    )


def test_schedules_outside_the_fit_are_named_and_specs_read_as_written() -> None:
    fit = fit_curves(_frame_curves(), law="tissue", bootstrap=0)
    inside = fit.schedule("cosine:steps=3000")
    assert fit.outside(inside) == []
    hot = fit.outside(fit.schedule("cosine:steps=3000,peak=1e-3"), name="cosine:peak=1e-3")
    assert hot == [
        "cosine:peak=1e-3: peak lr 0.001 is 0.52 decades above the fitted curves' (0.0003): "
        "the law is extrapolated in learning rate"
    ]
    # past a decade (FAR, as a model size beyond the fitted ones), a warning
    far = fit.outside(fit.schedule("cosine:steps=300000"), name="long")
    assert far == [
        "warning: long: 300,000 steps, 2.01 decades beyond the longest fitted curve's 2,951: "
        "the law is extrapolated in steps"
    ]
    (cold,) = fit.outside(fit.schedule("cosine:steps=3000,peak=1e-5"), name="cold")
    assert cold.startswith("warning: cold: peak lr 1e-5 is 1.48 decades below")
    cold = fit.outside(fit.schedule("cosine:steps=3000,warmup=0"))
    assert len(cold) == 1 and "a warm-up of 0 steps where the fitted curves had 200" in cold[0]
    # the spec of a schedule built from the fit's defaults reads as people write numbers
    assert inside.spec == "cosine:end=3e-05,peak=0.0003,steps=3000,warmup=200"


def test_a_given_warmup_is_said_as_it_is_used(tmp_path: Path) -> None:
    from scalinglab import Schedule

    steps = np.arange(200, 3000, 50)
    lr = parse_schedule(SPEC).lr[steps]
    long = Schedule.from_logged(steps, lr, warmup=500)
    assert long.warmup == 500 and (
        "not logged before step 200: a linear rise from 0 over 200 steps assumed; the warm-up "
        "counted as 500 steps, as given, past the first logged step" in long.notes
    )
    # warmup=0: step 0 is still 0, the first logged rate held from step 1 (said so)
    none = Schedule.from_logged(steps, lr, warmup=0)
    assert none.lr[0] == 0 and none.lr[1] == none.lr[199] == lr[0]
    assert (
        "not logged before step 200: step 0's rate taken as 0, the first logged rate held "
        "from step 1 (a warm-up of 0 steps, as given)" in none.notes
    )
    with pytest.raises(ConfigError, match="a warm-up of -5 steps is negative"):
        Schedule.from_logged(steps, lr, warmup=-5)


def test_a_curve_logged_from_step_1_inside_its_warmup_says_only_step_0_was_filled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    # said "the first logged rate assumed from step 1 (no warm-up); the warm-up counted as
    # 200 steps": no warm-up and a warm-up in one sentence, where only step 0 (0) is filled
    s = parse_schedule(SPEC)
    steps = np.arange(1, s.steps, 10)
    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    loss, _ = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)
    path = tmp_path / "from1.csv"
    frame = pd.DataFrame({"run": "a", "step": steps, "lr": s.lr[steps], "loss": loss[0]})
    frame.to_csv(path, index=False)
    args = ["curves", "fit", str(path), "--law", "tissue", "--bootstrap", "0"]
    assert main([*args, "--warmup", "200"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "note: a: not logged before step 1: step 0's rate taken as 0 (a rise from 0 to the "
        "first logged rate); the warm-up counted as 200 steps, as given, past the first "
        "logged step" in out
    )
    assert "no warm-up" not in out


def test_backtest_bootstrap_without_a_plot_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    path = tmp_path / "curves.csv"
    _frame_curves().to_csv(path, index=False)
    code = main(["curves", "backtest", str(path), "--train", "r0,r1", "--bootstrap", "5"])
    assert code == 2 and "no --plot was given" in capsys.readouterr().err
    code = main(["curves", "backtest", str(path), "--train", "r0,r1", "--law", "tissue"])
    assert code == 0 and "r2" in capsys.readouterr().out


def test_wsd_to_zero_needs_a_shape_that_gets_there() -> None:
    with pytest.raises(ConfigError, match="never reaches end=0") as err:
        parse_schedule("wsd:peak=1e-3,end=0,steps=1000")
    assert "shape=linear or shape=sqrt" in err.value.hint
    with pytest.raises(ConfigError, match="never reaches end=0"):
        parse_schedule("wsd:peak=1e-3,end=0,shape=exp,steps=1000")
    s = parse_schedule("wsd:peak=1e-3,end=0,shape=linear,decay=0.2,steps=1000")
    assert s.lr[-1] == pytest.approx(1e-3 / 200) and s.lr[800] == pytest.approx(1e-3)


def test_a_fits_end_of_0_with_shape_exp_says_the_end_is_the_fits() -> None:
    from scalinglab.curves._schedule_defaults import fill

    decayed = {"peak": 3e-4, "end": 0.0, "warmup": 200}
    with pytest.raises(ConfigError) as err:
        fill("wsd:shape=exp,steps=3000", decayed)
    assert err.value.message == (
        "schedule 'wsd:shape=exp,steps=3000': the fit's default end is 0 (its curves decayed "
        "to 0), which an exponential decay (shape=exp) never reaches"
    )
    assert err.value.hint == (
        "give the spec an end above 0 (wsd:shape=exp,steps=3000,end=3e-6), or decay to 0 "
        "with shape=linear or shape=sqrt (1-sqrt)"
    )
    # either way out works; without shape= the decay is linear, and the spec says so
    given = fill("wsd:shape=exp,steps=3000,end=3e-6", decayed)
    assert given.spec == "wsd:end=3e-06,peak=0.0003,shape=exp,steps=3000,warmup=200"
    assert fill("wsd:0.2,steps=3000", decayed).spec == (
        "wsd:decay=0.2,end=0,peak=0.0003,shape=linear,steps=3000,warmup=200"
    )
    # the keys are read as parse_schedule reads them: its errors, not a second parser's
    with pytest.raises(ConfigError, match="wsd takes no at="):
        fill("wsd:at=5,steps=3000", decayed)
