"""A schedule given to a curve fit's ``predict`` or ``final_loss`` as a bare function (a
rate per step) is refused with what to write, ``Schedule.from_function(f, steps=...,
warmup=...)`` filled in from the fit, not with "a schedule must be a string"."""

from __future__ import annotations

import pytest
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, Schedule
from scalinglab.curves import Tissue, fit_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def test_a_bare_function_is_told_to_be_wrapped() -> None:
    fit = fit_curves(_synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=6, every=50),
                     law="tissue", bootstrap=0)  # fmt: skip

    def flat(step: int) -> float:
        return 3e-4

    for call in (fit.predict, fit.final_loss):
        with pytest.raises(ConfigError) as refused:
            call(flat)
        assert "a schedule given as a function (flat) needs its steps and warm-up" in str(
            refused.value
        )
        assert refused.value.hint == (
            f"wrap it: Schedule.from_function(f, steps={fit.steps}, "
            f"warmup={int(fit.defaults['warmup'])})"
        )
    # the hint, as written, runs
    wrapped = Schedule.from_function(flat, steps=fit.steps, warmup=int(fit.defaults["warmup"]))
    assert fit.final_loss(wrapped).loss == pytest.approx(float(fit.predict(wrapped).loss[-1]))
