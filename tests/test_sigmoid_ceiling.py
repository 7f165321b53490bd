"""A sigmoid fitted with no chance level known holds its ceiling ``a + b`` at or below 100%
(``downstream/_sigmoid.py``: the solver fits ``a`` as its share of ``1 − b``), recovers
known parameters as before, and a chain saved before the ceiling was held (``a + b`` above
100%: ``tests/data/sigmoid_before_held``) loads and predicts as it did."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from scalinglab.downstream import DownstreamFit, Sigmoid
from scalinglab.downstream._refit import fit_step, resample_weights

_OLD = Path(__file__).parent / "data" / "sigmoid_before_held" / "chain.json"


def _sigmoid(loss: np.ndarray, a: float, k: float, l0: float, b: float) -> np.ndarray:
    return np.asarray(a / (1 + np.exp(-k * (loss - l0))) + b)


def test_an_untied_sigmoid_fitted_past_100_percent_is_held_at_it() -> None:
    """Points on the lower part of a curve rising from 0.3 by 1.0 (a ceiling of 130%): the
    least-squares optimum lies past a + b = 1; the fit, every resample and every prediction
    down to zero loss stay at or below 1."""
    rng = np.random.default_rng(3)
    loss = np.sort(rng.uniform(2.5, 4.6, 40))
    truth = (1.0, -3.0, 2.4, 0.3)
    acc = _sigmoid(loss, *truth) + rng.normal(0, 0.005, loss.size)
    law = Sigmoid(column="loss")
    weights = resample_weights(loss.size, 100, seed=1)
    step = fit_step(law, {"L": loss}, acc, space="linear", delta=0.02, weights=weights)
    c = step.coefs
    fitted = (c["a"], c["k"], c["L0"], c["b"])
    assert c["a"] + c["b"] <= 1.0
    assert c["a"] + c["b"] == pytest.approx(1.0)  # pressed against the ceiling
    # the data ask for more: the generating curve fits them better than the held fit
    sse = [float(np.sum((_sigmoid(loss, *p) - acc) ** 2)) for p in (truth, fitted)]
    assert sse[0] < sse[1]
    samples = step.samples[np.all(np.isfinite(step.samples), axis=1)]
    assert len(samples) >= 90
    assert np.all(samples[:, 0] + samples[:, 3] <= 1.0)
    grid = np.linspace(0.0, 6.0, 61)
    assert np.all(step.evaluate(step.theta, {"L": grid}) <= 1.0)
    assert np.all(law.rows(samples, np.broadcast_to(grid, (len(samples), grid.size))) <= 1.0)


def test_an_untied_sigmoid_recovers_known_parameters() -> None:
    """A curve whose ceiling is below 100% (0.2 + 0.5), sampled across its rise."""
    rng = np.random.default_rng(7)
    loss = np.sort(rng.uniform(2.0, 4.6, 40))
    acc = _sigmoid(loss, 0.5, -3.0, 3.2, 0.2) + rng.normal(0, 0.003, loss.size)
    step = fit_step(
        Sigmoid(column="loss"), {"L": loss}, acc, space="linear", delta=0.02, weights=None
    )
    c = step.coefs
    assert step.status == "converged"
    assert c["a"] == pytest.approx(0.5, rel=0.05)
    assert c["b"] == pytest.approx(0.2, abs=0.01)
    assert c["k"] == pytest.approx(-3.0, rel=0.1)
    assert c["L0"] == pytest.approx(3.2, abs=0.05)


def test_only_the_fitted_space_of_an_untied_sigmoid_changes() -> None:
    """Untied, the solver's first coordinate is a's share of 1 − b, mapped both ways; tied,
    the fitted space is the natural one."""
    law = Sigmoid(column="loss")
    natural = np.array([[0.6, -3.0, 2.5, 0.25], [0.2, -1.0, 3.0, 0.5]])
    fitted = law.to_fitted(natural)
    np.testing.assert_allclose(fitted[:, 0], [0.8, 0.4], rtol=1e-15)
    np.testing.assert_array_equal(fitted[:, 1:], natural[:, 1:])
    np.testing.assert_allclose(law.to_natural(fitted), natural, rtol=1e-15)
    assert law.param_names == ("a", "k", "L0", "b")
    tied = Sigmoid(column="loss", chance=0.25)
    np.testing.assert_array_equal(tied.to_fitted(natural[:, :3]), natural[:, :3])
    np.testing.assert_array_equal(tied.to_natural(natural[:, :3]), natural[:, :3])


def test_a_chain_saved_before_the_ceiling_was_held_predicts_as_it_did() -> None:
    """Written by the code before the change (its ceiling a + b = 1.3): the file's
    coefficients keep their names and meaning, the point prediction is its sigmoid at the
    predicted loss, and a prediction past 100% is still said by that cause, with a refit as
    the way out."""
    saved = json.loads(_OLD.read_text())["tasks"]["mytask"]["step"]
    chain = DownstreamFit.load(_OLD)
    step = chain.tasks["mytask"].step
    assert step is not None
    assert dict(step.coefs) == saved["coefs"]
    np.testing.assert_array_equal(step.samples, np.array(saved["samples"]))
    c = saved["coefs"]
    assert c["a"] + c["b"] > 1
    near = chain.predict(params=1e8, tokens=2e9)["mytask"]
    want = _sigmoid(np.array([near.loss]), c["a"], c["k"], c["L0"], c["b"])[0]
    assert near.accuracy == pytest.approx(want, rel=1e-12)
    assert near.lower < near.accuracy < near.upper < 1
    capped = chain.predict(params=3e10, tokens=6e11)["mytask"]
    assert capped.upper == 1.0
    (note,) = (n for n in capped.notes if "the interval's upper end is 1" in n)
    assert "ceiling a + b = 1.3 lying above 100%" in note
    assert "a chain fitted before scalinglab held that ceiling" in note
    past = chain.predict(params=1e11, tokens=2e12)["mytask"]
    assert math.isnan(past.accuracy)
    assert "ceiling a + b = 1.3 lies above 100%, as it could in a chain fitted before" in (
        past.reason
    )
    assert "refit the chain to hold it there" in past.reason
