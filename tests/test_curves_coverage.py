"""Interval rules of curve fits: the percentile rule itself, and a coverage study per law
(Tissue's is ``tests/test_curves.py::test_interval_coverage``, the multi-power law's
``tests/test_curves_multipower.py::test_multipower_interval_coverage``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests._curve_coverage import curve_coverage

from scalinglab.curves._bootstrap import percentile_interval


def test_plain_and_expanded_percentiles_against_a_t_table() -> None:
    # draws whose q-quantile is q, so each bound reads off the tail it was taken at
    draws = np.linspace(0.0, 1.0, 1_000_001)[:, None]
    lo, hi = percentile_interval(draws, 0.9, 12, expand=False)
    assert (lo[0], hi[0]) == pytest.approx((0.05, 0.95), abs=1e-9)
    # expanded for 12 clusters: z = sqrt(12/11) * t_{11, 0.95}, t from a printed table
    z = math.sqrt(12 / 11) * 1.795885
    tail = 0.5 * math.erfc(z / math.sqrt(2))  # 0.0303: the plain percentiles of a 93.9% level
    lo, hi = percentile_interval(draws, 0.9, 12)
    assert (lo[0], hi[0]) == pytest.approx((tail, 1 - tail), abs=1e-6)
    assert 1 - 2 * tail == pytest.approx(0.9393, abs=1e-4)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="the held-out final loss (an extrapolation to 8,000 steps from curves of at most "
    "6,000) is covered by 50 of 60 fits (83.3%); L0, A, alpha 88.3/91.7/90.0% "
    "(benchmarks/RESULTS.md, issue 14 coverage round)",
)
def test_power_s1_interval_coverage() -> None:
    """90% intervals of the power law in S1 over 60 synthetic fits (the protocol of
    ``tests/_curve_coverage.py``) should cover the truth within ±5 points: each coefficient
    and the final loss of a schedule not fitted. About 0.6 s CPU per fit."""
    truth = {"L0": 3.0, "A": 0.5, "alpha": 0.5}
    shares = curve_coverage("power-s1", truth, every=50)
    for k, share in shares.items():
        assert abs(share - 0.9) <= 0.05, (k, share)
