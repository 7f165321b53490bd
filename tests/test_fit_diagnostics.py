"""Diagnostics on constructed degenerate fits: each one is flagged, and a sound fit is not.

Every case is built so that the diagnostic's condition holds by construction (a law with a
floor fitted to data that has none, a power law fitted to a rising curve, two coefficients
that only enter as a product, five runs for four parameters), and the same check on a fit
of data drawn from the law it fits must stay silent.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from conftest import TRUTH, chinchilla_runs
from scalinglab.fit._diagnostics import diagnose, outside_interval
from scalinglab.laws import get_law
from scalinglab.validate._powerlaw import estimate, excludes


def _power(
    x: np.ndarray, *, e: float, a: float, alpha: float, seed: int = 0, noise: float = 0.002
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    loss = (e + a * x**-alpha) * np.exp(noise * rng.standard_normal(len(x)))
    return pd.DataFrame({"params": x, "loss": loss})


def test_sound_fit_draws_no_warning() -> None:
    result = sl.fit("chinchilla", chinchilla_runs(seed=1, outliers=0), bootstrap=60)
    assert result.warnings == () and result.trusted
    assert result.to_dict()["trusted"] is True


def test_noise_free_runs_are_not_called_confounded() -> None:
    # every resample fits the same exact law: the spread is rounding, and so are its
    # correlations (which read +1.000 between E and alpha before)
    runs = chinchilla_runs(seed=1, noise=0.0, outliers=0)
    result = sl.fit("chinchilla", runs, bootstrap=30)
    assert result.coefs["alpha"] == pytest.approx(TRUTH["alpha"], rel=1e-6)
    assert not any("confounded" in w for w in result.warnings), result.warnings


def test_irreducible_loss_collapsing_to_zero_is_flagged() -> None:
    # a pure power law (no floor) fitted with a floor: E runs to its lower wall
    runs = _power(np.geomspace(1e6, 1e9, 30), e=0.0, a=30.0, alpha=0.15, noise=0.0)
    result = sl.fit("power-law-plus-constant", runs, bootstrap=0)
    assert result.coefs["E"] < 1e-3
    assert any(w.startswith("E = ") and "collapsed" in w for w in result.warnings)
    assert not result.trusted


def test_negative_exponent_and_collapsed_coefficient_are_flagged() -> None:
    # a loss that RISES with x, fitted by a formula whose exponent is free in sign
    x = np.geomspace(1e3, 1e6, 20)
    runs = pd.DataFrame({"params": x, "loss": 0.5 * x**0.05})
    result = sl.fit("A*N**-alpha", runs, bootstrap=0)
    assert result.coefs["alpha"] < 0
    assert any("alpha" in w and "negative" in w for w in result.warnings)
    warnings = diagnose(
        get_law("A*N**-alpha"),
        {"A": 3e-160, "alpha": 0.3},
        {},
        None,
        n_runs=50,
        min_loss=2.0,
    )
    assert any("A = 3e-160 is outside" in w for w in warnings)


def test_implausible_exponent_is_flagged() -> None:
    law = get_law("chinchilla")
    params = {"E": 1.8, "A": 2e7, "B": 400.0, "alpha": 1.09, "beta": 0.3}
    warnings = diagnose(law, params, {}, None, n_runs=100, min_loss=2.0)
    assert len(warnings) == 1 and "alpha = 1.09 is implausible" in warnings[0]


def test_too_few_runs_per_parameter_warns_above_the_hard_minimum() -> None:
    runs = chinchilla_runs(seed=3, outliers=0).iloc[::12]  # 6 runs, 5 parameters: allowed
    result = sl.fit("chinchilla", runs, bootstrap=0)
    assert any(w.startswith("too few runs: 6 for 5 parameters") for w in result.warnings)


@pytest.mark.heavy  # 3.2 s in the suite on a 2-core AMD EPYC
def test_confounded_and_unidentified_parameters_are_flagged() -> None:
    # A and K only enter as the product A*K: the data fix it, not each
    x = np.geomspace(1e6, 1e9, 25)
    runs = _power(x, e=1.5, a=40.0, alpha=0.3, seed=2)
    result = sl.fit("E + A*K*N**-alpha", runs, bootstrap=40)
    assert any("A and K are confounded" in w for w in result.warnings)
    assert any("is not identified" in w for w in result.warnings)


def test_interval_that_excludes_its_estimate_is_flagged() -> None:
    law = get_law("chinchilla")
    warnings = diagnose(law, dict(TRUTH), {"alpha": (0.30, 0.35)}, None, n_runs=100, min_loss=2.0)
    assert warnings == (
        # the value and its interval as the fit's table writes them (0.36000 [0.30000, 0.35000])
        "alpha = 0.36000 lies outside its own interval [0.30000, 0.35000]: the bootstrap fits are "
        "shifted from the fit (unstable or biased)",
    )


def test_an_estimate_on_its_intervals_end_within_solver_tolerance_is_not_flagged() -> None:
    # a sized curve fit's gamma: 2.0671927509 below its interval's lower end 2.0671927933
    # (resamples that solved to the fit's own optimum), warned as "gamma = 2.0672 lies
    # outside its own interval [2.0672, 2.5014]"; 1e-7 of the width is no shift
    band = (2.0671927933295966, 2.501414087824769)
    assert outside_interval("gamma", 2.0671927509312686, band) is None
    assert outside_interval("gamma", band[1] + 4e-8, band) is None
    # a shift of a thousandth of the width is one, and is said as before
    said = outside_interval("gamma", band[0] - 4.3e-4, band)
    assert said is not None and said.startswith("gamma = 2.0668 lies outside its own interval")


def test_isoflop_estimate_is_inside_its_interval() -> None:
    # the case of the issue: samples shifted below the estimate 0.8652
    samples = np.random.default_rng(0).uniform(0.6918, 0.8628, 500)
    assert excludes(0.8652, samples, 0.9)
    e = estimate(0.8652, samples, 0.9)
    assert e.lower <= e.value <= e.upper and e.upper == 0.8652
    assert e.lower == pytest.approx(np.percentile(samples, 5))


def test_plan_rows_carry_their_distance_beyond_the_data() -> None:
    result = sl.fit("chinchilla", chinchilla_runs(seed=1, outliers=0), bootstrap=40)
    near, far = (sl.optimal_allocation(result, flops=c) for c in (1e20, 1e24))
    reach = result.extrapolation.reach if result.extrapolation else {}
    expected = max(
        math.log10(far.params.value / reach["N"]),
        math.log10(far.tokens.value / reach["D"]),
        math.log10(far.params.value * far.tokens.value / reach["N*D"]),
    )
    assert far.distance == pytest.approx(expected) and far.distance > 2
    assert any("beyond the fitted runs" in n for n in far.notes)
    assert near.distance < far.distance and near.to_dict()["distance"] == near.distance
    target = sl.compute_for_loss(result, target_loss=far.loss.value)
    assert target.distance == pytest.approx(far.distance, rel=1e-3)  # the same optimum
    assert math.isnan(sl.optimal_allocation("hoffmann2022", flops=1e24).distance)  # no data
    floor = result.extrapolation.floor if result.extrapolation else {}
    tiny = sl.optimal_allocation(result, flops=floor["N*D"] * 6 / 1e3)  # N·D 3 decades below
    assert tiny.distance == pytest.approx(3.0)
    assert any("below the smallest fitted runs" in n for n in tiny.notes)
    assert not any("beyond the fitted runs" in n for n in tiny.notes)


def test_a_handful_of_resamples_gets_one_warning_not_one_per_parameter() -> None:
    runs = chinchilla_runs(seed=1, outliers=0)
    one = sl.fit("chinchilla", runs, bootstrap=1, extrapolation=False)
    assert any(w.startswith("intervals from 1 resample only") for w in one.warnings)
    assert not any("outside its own interval" in w for w in one.warnings)
    many = sl.fit("chinchilla", runs, bootstrap=40, extrapolation=False)
    assert not any(w.startswith("intervals from") for w in many.warnings)


def test_distances_print_as_factors_and_huge_ones_in_powers_of_ten() -> None:
    from scalinglab.cli._fit_views import beyond

    assert beyond(0.0).plain == "inside"
    assert beyond(math.log10(22)).plain == "x22\n1.34 dec"
    assert beyond(math.log10(3074)).plain == "x3,074\n3.49 dec"
    assert beyond(26.46).plain == "x2.9e26\n26.46 dec"  # not 27 digits


def test_levels_print_with_the_digits_they_have(capsys: pytest.CaptureFixture[str]) -> None:
    from scalinglab._format import format_level
    from scalinglab.cli import main

    assert [format_level(v) for v in (0.9, 0.999, 0.5, 0.683)] == ["90%", "99.9%", "50%", "68.3%"]
    assert main(["plan", "--preset", "hoffmann2022", "--compute", "1e21", "--level", "0.999"]) == 0
    assert "100%" not in capsys.readouterr().out


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_enough_resamples_depend_on_the_level() -> None:
    """A 99% interval from 100 resamples has its ends at the extreme resamples: warned, with
    ten times more asked for than at 90%, where 100 are enough."""
    from scalinglab.fit._diagnostics import few_resamples

    assert [few_resamples(x) for x in (0.5, 0.8, 0.9, 0.95, 0.99)] == [20, 20, 20, 40, 200]
    runs = chinchilla_runs(seed=1, outliers=0)
    wide = sl.fit("chinchilla", runs, bootstrap=100, level=0.99, extrapolation=False)
    assert (
        "intervals from 100 resamples only: their ends are noise at 99% (use 1000 or more; the "
        "estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do"
    ) in wide.warnings
    usual = sl.fit("chinchilla", runs, bootstrap=100, level=0.9, extrapolation=False)
    assert not any(w.startswith("intervals from") for w in usual.warnings)


def test_a_law_that_does_not_follow_the_runs_is_flagged() -> None:
    """``log(N) - A`` rises with N where the runs' loss falls: converged, sound-looking
    coefficients, yet it explains none of the runs' spread; the Chinchilla law on the same
    runs (3 diverged among them) explains nearly all of it and is not flagged."""
    from scalinglab.fit._goodness import misfit

    runs = chinchilla_runs(seed=1)
    wrong = sl.fit("log(N) - A", runs, bootstrap=0, extrapolation=False)
    assert wrong.ok and not wrong.trusted and wrong.to_dict()["trusted"] is False
    # after the warning of the diverged run the runs keep (chinchilla_runs flags one)
    line = wrong.warnings[1]
    assert line.startswith("the law does not follow the runs: it explains 0% of the spread ")
    assert "(under 50%;" in line and "its loss moves against the runs' (correlation -" in line
    sound = sl.fit("chinchilla", runs, bootstrap=0, extrapolation=False)
    assert not any("does not follow" in w for w in sound.warnings)
    # closed form: log y of MAD 0.1 around its median; the law E·N^b with log N = log y / 2
    # leaves residuals (1 - b/2)·log y: at b = 1 of MAD 0.05, explained 1 - (0.05/0.1)² = 75%
    law = get_law("E * N**b")
    y = np.exp(np.array([-0.2, -0.1, 0.0, 0.1, 0.2]))
    data = {"N": np.sqrt(y)}
    assert misfit(law, {"E": 1.0, "b": 1.0}, data, y) is None  # 75%: silent
    flat = misfit(law, {"E": 1.0, "b": 0.0}, data, y)  # residuals log y: MAD 0.1, 0%
    assert flat is not None and "explains 0% of" in flat and "against" not in flat
    against = misfit(law, {"E": 1.0, "b": -1.0}, data, y)
    assert against is not None and "(correlation -1.00)" in against
    assert misfit(law, {"E": 1.0, "b": 0.0}, data, y**0.05) is None  # spread under 1%: noise
    # the law reaches 3 of 7 runs (N < 0: a negative loss), which share one loss: explained
    # none, and no correlation (0/0) is tried, said or warned of
    y = np.exp(np.array([0.0, 0.0, 0.0, -0.3, -0.1, 0.1, 0.3]))
    data = {"N": np.array([1.0, 2.0, 3.0, -1.0, -1.0, -1.0, -1.0])}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        few = misfit(law, {"E": 1.0, "b": 1.0}, data, y)
    assert few is not None and "explains none of" in few and "correlation" not in few
