"""An ``Estimate`` (``plan.params``) and a one-point ``Prediction`` read as numbers in a
notebook: ``float()`` and a format spec give the value; no arithmetic beyond ``float()``."""

from __future__ import annotations

import math

import pytest

import scalinglab
from scalinglab import ConfigError
from scalinglab.plan import Estimate


def test_an_estimate_is_a_float_and_formats_its_value() -> None:
    e = Estimate(69.8e9, 50e9, 90e9)
    assert float(e) == 69.8e9 and float(e) / 1e9 == pytest.approx(69.8)
    assert f"{e:.3g}" == "6.98e+10" and f"{e:,.0f}" == "69,800,000,000"
    assert f"{e}" == repr(e) == str(e)  # no spec: the repr, interval and all
    with pytest.raises(TypeError):
        e / 1e9  # type: ignore[operator]  # an interval does not divide as its value
    assert math.isinf(float(Estimate(math.inf, 1.0, math.inf)))


def test_a_plan_s_params_in_a_notebook() -> None:
    plan = scalinglab.optimal_allocation("hoffmann2022", flops=5.76e23)
    assert float(plan.params) == plan.params.value
    assert f"{plan.params:.3g}" == f"{plan.params.value:.3g}"


def test_a_one_point_prediction_is_its_loss_and_several_points_say_to_index() -> None:
    preset = scalinglab.get_preset("hoffmann2022")
    one = preset.predict(params=70e9, tokens=1.4e12)
    assert float(one) == one.loss[0] == pytest.approx(1.9367, abs=1e-4)
    two = preset.predict(params=[7e9, 70e9], tokens=[1.4e11, 1.4e12])
    with pytest.raises(ConfigError) as err:
        float(two)
    assert err.value.message == "float() of a prediction of 2 points: it has no one value"
    assert err.value.hint == "take one point's loss, p.loss[i], or all of them, p.loss.tolist()"
