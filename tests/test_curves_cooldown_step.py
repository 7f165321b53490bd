"""A cooldown from checkpoint ``at`` keeps the base run's rate through step ``at``: curve
steps are 0-based (the loss at step ``t`` is after the schedule's steps ``0..t``), so the
checkpoint logged at ``at`` has already taken step ``at`` at the base rate, and the cooled-down
run read at ``at`` is the base run."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_curves import _synthetic
from tests.test_curves_notes import TISSUE, WSD

from scalinglab import ConfigError
from scalinglab.curves import Curve, Tissue, cooldown_runs, fit_curves, parse_schedule
from scalinglab.curves._cooldown import cooldown_schedule


def _tissue(schedule: object, steps: list[int]) -> np.ndarray:
    law = Tissue()
    p = np.array([[TISSUE[n] for n in law.param_names]])
    values, _ = law.evaluate(p, law.prepare([schedule], [np.array(steps)]), jacobian=False)
    return np.asarray(values[0])


@pytest.mark.parametrize("at", [200, 1234, 2400])
def test_the_cooled_run_read_at_its_checkpoint_is_the_base_run(at: int) -> None:
    base = parse_schedule(WSD)  # flat at the peak over steps 200..2400, decaying from 2401
    cooled = cooldown_schedule(base, at, cooldown=0.2, end=3e-5)
    assert np.array_equal(cooled.lr[: at + 1], base.lr[: at + 1])
    assert cooled.lr[at + 1] < base.peak  # the decay starts the step after
    # cumsum(lrs)[at] by hand: the same rates through step at, so the same loss there
    assert np.cumsum(cooled.lr)[at] == np.cumsum(base.lr)[at]
    assert _tissue(cooled, [at])[0] == _tissue(base, [at])[0]
    # updates done: at + 1 at the base rate, c cooling down, c / total the fraction asked
    c = cooled.steps - (at + 1)
    assert c == round(0.25 * (at + 1))


def test_a_constant_cooldown_of_a_constant_run_is_the_run() -> None:
    base = parse_schedule("constant:peak=3e-4,warmup=200,steps=3000")
    at = 1999
    held = cooldown_schedule(base, at, cooldown=0.2, end=3e-4, shape="linear")
    assert held.steps == 2500
    steps = list(range(at, held.steps))
    assert np.array_equal(_tissue(held, steps), _tissue(base, steps))


def test_the_predicted_row_is_the_cooldown_from_the_logged_checkpoint() -> None:
    """A fit to noise-free curves predicts at checkpoint ``at`` the run that holds the peak
    through ``at`` (``at + 1`` updates) and decays over the next ``0.25 (at + 1)`` steps."""
    curves = _synthetic(Tissue(), TISSUE, [WSD], noise=0.0, seed=0, every=1)
    fit = fit_curves(curves, law="tissue", bootstrap=0)
    frame = cooldown_runs(fit, curves, checkpoints=3, end=3e-5)
    assert list(frame["run"]) == ["run0@201+cooldown", "run0@695+cooldown", "run0@2400+cooldown"]
    assert list(frame["steps"]) == [252, 870, 3001]  # at + 1 + round(0.25 (at + 1))
    for at, loss in [(201, frame["loss"][0]), (2400, frame["loss"][2])]:
        sched = cooldown_schedule(curves[0].schedule, at, cooldown=0.2, end=3e-5)
        truth = _tissue(sched, [sched.steps - 1])
        assert loss == pytest.approx(truth[0], rel=1e-6)


def test_a_step_after_the_rate_left_its_peak_is_no_checkpoint() -> None:
    base = parse_schedule(WSD)
    # step 2401's loss is after the first decayed rate: the last checkpoint is 2400
    curve = Curve("wsd", np.arange(201, 2402), np.full(2201, 3.0), base)
    fit = fit_curves(_synthetic(Tissue(), TISSUE, [WSD], noise=1e-3, seed=1), law="tissue",
                     bootstrap=0)  # fmt: skip
    frame = cooldown_runs(fit, [curve], checkpoints=2, end=3e-5)
    assert list(frame["run"]) == ["wsd@201+cooldown", "wsd@2400+cooldown"]


def test_a_checkpoint_outside_the_run_is_refused_in_its_0_based_steps() -> None:
    base = parse_schedule(WSD)
    with pytest.raises(ConfigError, match=r"0-based: 200 to 2999\), got step 3000"):
        cooldown_schedule(base, 3000, cooldown=0.2, end=3e-5)
