"""The calibrated half-width's floor ``z·σ_full`` (fit/_calibrated.py, fit/_prediction.py).

Oracles: the fuller noise scale counted by hand (the rms of the residuals within 4 MAD-σ of
their median over m − k degrees of freedom) and on many Gaussian draws; half-widths of a
hand-built measurement with and without the floor; JSON round trip, and a result stored
before the floor read without one.
"""

from __future__ import annotations

import math
from dataclasses import replace
from statistics import NormalDist

import numpy as np
import pytest
from tests.test_loss2loss_coverage import synthetic_runs

from scalinglab import fit_loss_to_loss, read_runs
from scalinglab.downstream import LossToLossFit
from scalinglab.fit._calibrated import Extrapolation
from scalinglab.fit._prediction import full_noise_scale, noise_scale

Z90 = NormalDist().inv_cdf(0.95)


def test_full_noise_scale_is_the_rms_within_four_mad_sigma_over_m_minus_k() -> None:
    r = np.array([-3, -2, -1, 0, 1, 2, 3, 100]) * 1e-3
    # median 0.5e-3, MAD 2e-3: 4·1.4826·MAD = 0.0119 leaves out the 0.1; 7 kept, 2 fitted
    assert full_noise_scale(r, 2) == pytest.approx(math.sqrt(28e-6 / 5))
    assert noise_scale(r, 2) == pytest.approx(1.4826 * 2e-3 * math.sqrt(8 / 6))  # unchanged
    assert full_noise_scale(r[:2], 2) == 0.0  # no degree of freedom left
    assert full_noise_scale(np.array([0.0, 0.0, 0.0, 0.0, 0.1]), 1) == 0.0  # MAD 0: s0


def test_full_noise_scale_of_gaussian_residuals_is_their_standard_deviation() -> None:
    r = np.random.default_rng(0).normal(0.0, 0.002, 20_000)
    assert full_noise_scale(r, 0) == pytest.approx(0.002, rel=0.02)  # the cut loses < 1%


def _measured(sigma_full: float) -> Extrapolation:
    """Scores 0.25 at d = 0 (σ = 0.002, residuals ±0.0005), κ = 0.1 per decade."""
    r = np.where(np.arange(19) % 2 == 0, 0.0005, -0.0005)
    return Extrapolation(
        "backtest-calibrated", "", {"N": 1.0}, np.zeros(19), r, np.zeros(19), 0.002, 0.1,
        sigma_full=sigma_full,
    )  # fmt: skip


def test_the_half_width_is_never_under_z_sigma_full() -> None:
    ex = _measured(0.0025)
    assert ex.quantile(0.9) == pytest.approx(0.25)
    half = ex.half_width(np.array([0.0, 1.0]), 0.0, 0.9)
    assert half[0] == pytest.approx(Z90 * 0.0025)  # q·σ = 0.0005 is under the floor, 0.0041
    assert half[1] == pytest.approx(0.25 * math.sqrt(0.002**2 + 0.1**2))  # over it: q·s
    assert replace(ex, sigma_full=0.0).half_width(np.array([0.0]), 0.0, 0.9)[0] == (
        pytest.approx(0.25 * 0.002)
    )
    assert math.isinf(ex.half_width(np.array([0.0]), 0.0, 0.99)[0])  # past max_level: unbounded


def test_sigma_full_round_trips_and_a_result_stored_before_it_reads_with_no_floor() -> None:
    d = _measured(0.0025).to_dict()
    assert d["sigma_full"] == 0.0025
    assert Extrapolation.from_dict(d).sigma_full == 0.0025
    old = Extrapolation.from_dict({k: v for k, v in d.items() if k != "sigma_full"})
    assert old.sigma_full is None  # not stored: its predictions say so (test_predict_notes)
    assert Extrapolation.from_dict(old.to_dict()).sigma_full is None  # and stays unstored
    assert old.half_width(np.array([0.0]), 0.0, 0.9)[0] == pytest.approx(0.25 * 0.002)


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_loss_to_loss_interval_inside_the_data_is_the_floor_and_is_saved() -> None:
    runs = synthetic_runs(103)  # σ (MAD) 0.0014, σ_full 0.0022: the floor binds at d = 0
    l2l = fit_loss_to_loss(read_runs(runs), x="loss", y="loss_other", bootstrap=20, seed=103)
    result = l2l.fits["all"]
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    assert ex.sigma == pytest.approx(result.noise_scale())  # σ is still the MAD's
    assert ex.sigma_full == pytest.approx(full_noise_scale(result.residuals, len(result.coefs)))
    inside = np.array([float(np.median(runs["loss"]))])
    pred = result.predict(L=inside, level=0.9)
    assert math.log(pred.upper[0] / pred.loss[0]) == pytest.approx(Z90 * ex.sigma_full)
    stored = l2l.to_dict()  # as `loss2loss fit --out` saves it
    back = LossToLossFit.from_dict(stored).fits["all"]
    np.testing.assert_array_equal(back.predict(L=inside, level=0.9).upper, pred.upper)
    stored["fits"]["all"]["extrapolation"].pop("sigma_full")  # as saved before the floor
    before = LossToLossFit.from_dict(stored).fits["all"].predict(L=inside, level=0.9)
    assert math.log(before.upper[0] / before.loss[0]) == pytest.approx(ex.quantile(0.9) * ex.sigma)
    assert before.upper[0] < pred.upper[0]  # q·σ: under the noise's own z·σ_full
