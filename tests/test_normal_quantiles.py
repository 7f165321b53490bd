"""The normal, t and F tails from scipy.special (ndtri, ndtr, stdtrit, fdtrc) are the numbers
scipy.stats gave, which curves, downstream and isoflop no longer import (0.8 s of start-up)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import fdtrc

from scalinglab.curves._bootstrap import interval_tail
from scalinglab.downstream._noise import noisy_threshold
from scalinglab.validate._isoflop_window import _cubic_p


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


@pytest.mark.parametrize(
    ("dfn", "dfd", "x"), [(1, 1, 0.5), (1, 3, 4.2), (1, 20, 11.0), (2, 7, 0.0)]
)
def test_f_tail_is_scipy_stats(dfn: int, dfd: int, x: float) -> None:
    assert float(fdtrc(dfn, dfd, x)) == float(stats.f.sf(x, dfn, dfd))


def test_cubic_term_p_value_is_the_f_test_scipy_stats_gave() -> None:
    """isoflop's misfit test (validate/_isoflop_window.py): one F test per budget."""
    x = np.linspace(7.0, 9.0, 9)
    y = 2.0 + 0.1 * (x - 8.0) ** 2 + 0.01 * (x - 8.0) ** 3 + 0.002 * np.sin(7 * x)
    u = (x - x.mean()) / x.std()
    rss = []
    for degree in (2, 3):
        design = np.vander(u, degree + 1, increasing=True)
        rss.append(float(((y - design @ np.linalg.lstsq(design, y, rcond=None)[0]) ** 2).sum()))
    want = float(stats.f.sf((rss[0] - rss[1]) / (rss[1] / 5), 1, 5))
    assert 0 < want < 1 and _cubic_p(x, y) == want
