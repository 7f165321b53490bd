"""Schedules refused with a clear message rather than built wrong: logged steps that are
not steps, one rate per step, a run too long to hold, warm-ups and step counts that are not
whole, rates that leave nothing to predict, specs whose peak or end cannot be a schedule's;
and what a spec means said in its canonical form."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import ConfigError, CurveFit, DataError, Schedule, fit_curves, parse_schedule
from scalinglab.curves import Tissue


@pytest.mark.parametrize(
    ("step", "lr", "message"),
    [
        ([0, 100, 200], [1e-4, 2e-4], "3 steps and 2 learning rates: one rate per logged step"),
        ([-5, 100], [3e-4, 3e-5], "step -5 is not a step: steps are whole counts from 0"),
        ([2160.5, 3000], [3e-4, 3e-5], "step 2160.5 is not a step"),
        ([2160, 2e9], [3e-4, 3e-5], "steps=2,000,000,001 is more than the 10,000,000"),
        ([0, 100], [0.0, 0.0], "the learning rate is 0 at every step after the warm-up"),
    ],
)
def test_logged_schedules_that_cannot_be_built_are_refused(step, lr, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((DataError, ConfigError), match=message) as err:
        Schedule.from_logged(step, lr, source="lr.csv")
    assert str(err.value).startswith("lr.csv")  # the source named
    if "10,000,000" in message:
        assert "count optimizer steps, not tokens" in err.value.hint


def test_counts_are_whole_and_a_shorter_run_is_not_a_silent_cut() -> None:
    with pytest.raises(ConfigError, match="steps=50 ends at or before the last logged step 200"):
        Schedule.from_logged([0, 100, 200], [1e-4, 2e-4, 1e-4], steps=50)
    with pytest.raises(ConfigError, match=r"warmup=2.5 is not a whole number of steps"):
        Schedule([1e-4] * 10, warmup=2.5)  # type: ignore[arg-type]
    assert Schedule([1e-4] * 10, warmup=2.0).warmup == 2  # type: ignore[arg-type]
    with pytest.raises(
        ConfigError,
        match=r"one learning rate per step \(a 1-D array\), got an array of shape \(2, 3\)",
    ):
        Schedule(np.ones((2, 3)))
    with pytest.raises(ConfigError, match="warm-up of 30000 steps does not fit in the 23999 steps"):
        Schedule.from_logged([2160, 23998], [3e-4, 3e-5], warmup=30000, source="lr.csv")
    with pytest.raises(ConfigError, match="steps=1,000,000,000 is more than"):
        Schedule.from_function(lambda s: 3e-4, steps=10**9)


def test_predict_takes_whole_steps_and_never_returns_a_loss_that_is_not_finite() -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue")
    with pytest.raises(ConfigError, match=r"steps: 2000.7 is not a whole step"):
        fit.predict("cosine:steps=3000", steps=[2000.7])  # type: ignore[list-item]
    assert fit.predict("cosine:steps=3000", steps=[2000.0]).step.tolist() == [2000]  # type: ignore[list-item]
    broken = replace(fit, coefs={**fit.coefs, "A": float("inf")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no RuntimeWarning on the way
        with pytest.raises(ConfigError, match=r"tissue gives no finite loss under cosine:end"):
            broken.predict("cosine:steps=3000")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("cosine:peak=inf,steps=3000", "peak=inf is not a finite number"),
        ("cosine:peak=nan,steps=3000", "peak=nan is not a finite number"),
        ("cosine:peak=1e-300,steps=3000", "peak=1e-300 is below 1e-12"),
        ("cosine:peak=0,steps=3000", "peak=0 must be > 0"),
        ("linear:peak=3e-4,end=6e-4,steps=3000", "end=0.0006 is above peak=0.0003: a linear"),
        ("wsd:peak=3e-4,end=-1,steps=3000", "end=-1 must be >= 0"),
    ],
)
def test_a_peak_or_end_no_schedule_can_have_is_refused(spec, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message):
        parse_schedule(spec)


def test_an_end_from_the_defaults_is_said_to_be_one() -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue")
    with pytest.raises(ConfigError) as err:
        fit.schedule("linear:end=6e-4,steps=3000")
    assert "end=0.0006 is above peak=0.0003 (a default: the spec gives none)" in err.value.message


def test_canonical_specs_name_what_the_kind_reads() -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue")
    assert fit.schedule("constant:steps=3000").spec == "constant:peak=0.0003,steps=3000,warmup=200"
    multi = fit.schedule("multistep:at=100;1.5K,lr=1e-4;3e-5,steps=3K")
    assert multi.spec == ("multistep:at=100;1500,lr=1e-4;3e-5,peak=0.0003,steps=3000,warmup=200")
    assert multi.notes == (
        "multistep: the step change at 100 lies within the warm-up (200 steps): the warm-up "
        "still rises to the peak, and the lowered rate starts when it ends, at step 200",
    )
    assert multi.lr[200] == pytest.approx(1e-4) and multi.lr[199] > 1e-4


@pytest.mark.parametrize(
    ("spec", "message", "hint"),
    [  # a decay as a percentage: the hint gives the fraction (it had no hint)
        ("wsd:decay=20%,steps=6000,peak=3e-4", "decay='20%' is not a number", "decay=0.2"),
        # a decay is no learning rate (the hint said "give decay as a learning rate")
        ("wsd:decay=inf,steps=6000,peak=3e-4", "decay=inf is not a finite number", "fraction"),
    ],
)
def test_a_decay_that_is_no_fraction_is_refused_with_what_was_meant(spec, message, hint) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as err:
        parse_schedule(spec)
    assert message in err.value.message
    assert err.value.hint is not None and hint in err.value.hint


def test_steps_within_a_default_warmup_say_the_spec_gave_none() -> None:
    """``parse_schedule(spec, defaults=...)``: a warm-up from the defaults is said to be one
    (it said "steps=50 must exceed warmup=100", a warm-up the spec never gave)."""
    with pytest.raises(ConfigError) as err:
        parse_schedule("cosine:peak=1e-3,steps=50", defaults={"warmup": 100})
    assert err.value.message == (
        "schedule 'cosine:peak=1e-3,steps=50': steps=50 must exceed warmup=100 (a default: "
        "the spec gives none): steps counts the whole run, warm-up included"
    )
    with pytest.raises(ConfigError) as err:  # the spec's own: no such words
        parse_schedule("cosine:peak=1e-3,steps=50,warmup=100")
    assert "steps=50 must exceed warmup=100: steps counts" in err.value.message


@pytest.fixture(scope="module")
def short_warmup_fit() -> CurveFit:
    """A Tissue fit whose curves warm up over 200 steps."""
    curves = _synthetic(Tissue(), TISSUE, SPECS[:3], noise=0, seed=0, every=100)
    return fit_curves(curves, law="tissue", bootstrap=0)


def test_steps_within_the_fits_warmup_say_whose_warmup_it_is(short_warmup_fit: CurveFit) -> None:
    fit = short_warmup_fit
    assert fit.defaults["warmup"] == 200
    # it said "steps=150 must exceed warmup=200", a warm-up the spec never gave, and no hint
    with pytest.raises(ConfigError) as err:
        fit.predict("cosine:steps=150")
    assert err.value.message == (
        "schedule 'cosine:steps=150': steps=150 is within the fit's warm-up of 200 steps (the "
        "fitted curves' median, used where a spec gives none)"
    )
    assert err.value.hint == (
        "give more than 200 steps, or the spec a shorter warm-up of its own "
        "(cosine:steps=150,warmup=15)"
    )
    told = fit.predict("cosine:steps=150,warmup=15")  # the hint's spec predicts
    assert told.schedule.warmup == 15 and told.step[-1] == 149
    # a rate that is no number is named first (it said the steps were within the warm-up)
    for spec, said in (
        ("wsd:peak=abc,steps=150", "peak='abc' is not a number"),
        ("cosine:steps=150,end=inf", "end=inf is not a finite number"),
    ):
        with pytest.raises(ConfigError) as err:
            fit.predict(spec)
        assert err.value.message == f"schedule {spec!r}: {said}"


def test_a_step_count_below_one_or_a_negative_step_is_refused_as_such(
    short_warmup_fit: CurveFit,
) -> None:
    """steps=0 said "must exceed warmup=0 ... or a shorter warmup="; steps=-5 against a
    fit's warm-up hinted ``warmup=-1``; ``at=-5`` was taken, with a note that the change
    lies within the warm-up."""
    for spec, said in (
        ("cosine:peak=1e-3,steps=0", "steps=0 must be 1 or more (a count of steps)"),
        ("cosine:peak=1e-3,steps=-5,warmup=0", "steps=-5 must be 1 or more (a count of steps)"),
        ("cosine:peak=1e-3,steps=100,warmup=-10", "warmup=-10 must be 0 or more"),
        ("multistep:peak=1e-3,steps=100,at=-5;50,lr=1e-4;1e-5",
         "a step at -5 is before the run's first step, 0"),
    ):  # fmt: skip
        with pytest.raises(ConfigError) as err:
            parse_schedule(spec)
        assert err.value.message.startswith(f"schedule {spec!r}: {said}")
    for steps in ("0", "-5"):  # before the fit's warm-up is compared (warmup=-1, warmup=0)
        with pytest.raises(ConfigError) as err:
            short_warmup_fit.predict(f"cosine:steps={steps}")
        assert err.value.message == (
            f"schedule 'cosine:steps={steps}': steps={steps} must be 1 or more (a count of steps)"
        )
        assert err.value.hint == "pass e.g. steps=24K"
    # the least a spec takes: one step, no warm-up; a change at step 0 is a step of the run
    assert parse_schedule("cosine:peak=1e-3,steps=1").lr.shape == (1,)
    assert parse_schedule("multistep:peak=1e-3,steps=10,at=0,lr=1e-4").lr[0] == 1e-4


def test_curves_predict_and_compare_within_the_fits_warmup_say_what_to_give(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, short_warmup_fit: CurveFit
) -> None:
    saved = tmp_path / "fit.json"
    short_warmup_fit.save(saved)
    code, _, said = cli(
        capsys, "curves", "predict", "--fit", str(saved), "--schedule", "cosine:steps=150"
    )
    assert code == 2 and "steps=150 is within the fit's warm-up of 200 steps" in said
    # compare's example warm-up is one shorter than the steps compared (it said warmup=100)
    code, _, said = cli(capsys, "curves", "compare", "--fit", str(saved), "--steps", "150")
    assert code == 2 and "(baseline='cosine:warmup=15';" in said
    assert short_warmup_fit.schedule("cosine:warmup=15,steps=150").warmup == 15


def test_a_warmup_longer_than_the_run_says_what_steps_counts() -> None:
    with pytest.raises(ConfigError) as err:
        parse_schedule("cosine:peak=3e-4,warmup=3000,steps=2000")
    assert err.value.message == (
        "schedule 'cosine:peak=3e-4,warmup=3000,steps=2000': steps=2000 must exceed "
        "warmup=3000: steps counts the whole run, warm-up included"
    )
    assert err.value.hint == "give steps= above 3000 (the total steps), or a shorter warmup="
