"""A downstream prediction past the farthest distance the loss law's backtests reached says
that its interval's width there is not measured, as ``predict`` says of a loss: 6.27
decades out, the warning said the intervals "hold the loss law's measured extrapolation
error" though the backtests reached 1.46 decades."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamFit, fit_downstream, read_evals
from scalinglab.downstream._result import predict_model

HOLD = "the intervals hold the loss law's measured extrapolation error"
EXTEND = "the intervals extend the loss law's extrapolation error measured by its backtests"


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS))
    return fit_downstream(evals, law="chinchilla", bootstrap=50)


def test_past_the_backtests_reach_the_width_is_said_unmeasured(chain: DownstreamFit) -> None:
    ex = chain.extrapolation
    assert ex is not None and ex.calibrated
    got = predict_model(chain, params=1e12, tokens=1e14)
    assert got.distance > ex.measured + 1
    said = [*got.notes, *got.warnings]
    assert not any(HOLD in s for s in said)
    assert any(EXTEND in s for s in said)
    assert (
        f"past {ex.measured:.2f} decades beyond the fitted runs (the farthest its backtests "
        "reached), loss intervals extend the error's measured growth with distance: their "
        "width there is not measured"
    ) in said


def test_within_the_backtests_reach_the_intervals_hold_it(chain: DownstreamFit) -> None:
    ex = chain.extrapolation
    assert ex is not None
    near = predict_model(chain, params=2 * max(SIZES), tokens=40 * max(SIZES))
    assert 0 < near.distance < ex.measured
    said = [*near.notes, *near.warnings]
    assert any(HOLD in s for s in said)
    assert not any("width there is not measured" in s for s in said)
