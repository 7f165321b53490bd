"""The normal and t quantiles from scipy.special (ndtri, ndtr, stdtrit) are the numbers
scipy.stats gave, which curves and downstream no longer import (0.8 s of start-up)."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from scalinglab.curves._bootstrap import interval_tail
from scalinglab.downstream._noise import noisy_threshold


@pytest.mark.parametrize("clusters", [2, 3, 9, 30])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.95])
def test_interval_tail_is_scipy_stats(level: float, clusters: int) -> None:
    z = math.sqrt(clusters / (clusters - 1)) * stats.t.ppf(1 - (1 - level) / 2, clusters - 1)
    assert interval_tail(level, clusters) == float(stats.norm.sf(z))


def test_nine_curves_at_90_percent_leave_2_4_percent_a_side() -> None:
    assert interval_tail(0.9, 9) == pytest.approx(0.024, abs=5e-4)


@pytest.mark.parametrize("ratio", [0.0, 0.3, 1.0, 4.0])
def test_noisy_threshold_is_the_folded_normal_mean(ratio: float) -> None:
    noise = 0.02
    r = ratio
    want = noise * math.sqrt(2 / math.pi) * math.exp(-0.5 * r * r) + ratio * noise * (
        1.0 - 2.0 * float(stats.norm.cdf(-r))
    )
    assert noisy_threshold(ratio * noise, noise) == want
