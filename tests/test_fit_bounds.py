"""One rule for coefficients at a bound and for the information criteria (fit/_bounds.py),
shared by scaling-law fits, curve fits and a downstream chain's loss step."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.fit._bounds import at_bound_names, information_criteria


def test_a_value_on_a_finite_bound_to_rounding_is_at_it() -> None:
    names = ("E", "A", "alpha")
    fitted = (0.0, 20.0 * (1 + 5e-7), 0.5)
    lower, upper = (0.0, -math.inf, 0.0), (10.0, 20.0, math.inf)
    assert at_bound_names(names, fitted, lower, upper) == ("E", "A")
    assert at_bound_names(names, (1e-3, 19.9, 0.5), lower, upper) == ()


def test_aic_and_bic_are_the_gaussian_closed_forms() -> None:
    aic, bic = information_criteria(rss=0.02, n=40, k=5)
    assert aic == pytest.approx(40 * math.log(0.02 / 40) + 10)
    assert bic == pytest.approx(40 * math.log(0.02 / 40) + 5 * math.log(40))


def test_a_fit_reports_the_criteria_of_its_residuals() -> None:
    result = sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0)
    rss, n = float(np.sum(np.square(result.residuals))), len(result.residuals)
    assert (result.aic, result.bic) == pytest.approx(information_criteria(rss, n, 5))
