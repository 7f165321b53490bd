"""A prediction interval of a task's accuracy ends below at its chance level less ``z`` times
its evaluation noise per model (a model scores below chance only through that noise), not at
0, at every level: past what the loss law's backtests calibrate too."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.stats import norm
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals

EXAMPLES = 10000  # ±0.4 points per model near chance: less than the runs' own scatter (1 point)


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    evals = dataclasses.replace(evals, examples={"task": EXAMPLES})
    return fit_downstream(evals, law="chinchilla", tasks=["task"], bootstrap=100, seed=0)


def test_the_noise_is_the_binomial_one_at_the_largest_size(chain: DownstreamFit) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    p = frame["acc_task"][frame["params"] == SIZES[-1]].to_numpy()
    noise = float(np.sqrt(np.mean(p * (1 - p)) / EXAMPLES))
    assert chain.tasks["task"].eval_noise == pytest.approx(noise)


@pytest.mark.parametrize("level", [0.5, 0.9])
def test_an_interval_at_chance_ends_at_chance_less_the_noise(
    chain: DownstreamFit, level: float
) -> None:
    floor = 0.25 - norm.ppf(0.5 + level / 2) * chain.tasks["task"].eval_noise
    # a model far smaller than the fitted ones: its accuracy is chance by the law
    p = chain.predict(params=1e6, tokens=2e7, level=level)["task"]
    assert p.accuracy == pytest.approx(0.25, abs=0.002)
    assert p.lower == pytest.approx(floor) and floor > 0.24  # the draws below it: not scores
    assert p.upper < 0.3


def test_past_the_calibrated_level_the_interval_is_chance_less_noise_to_one(
    chain: DownstreamFit,
) -> None:
    ex = chain.extrapolation
    assert ex is not None and ex.calibrated and ex.max_level < 0.999
    floor = 0.25 - norm.ppf(0.9995) * chain.tasks["task"].eval_noise
    p = chain.predict(params=1e9, tokens=2e10, level=0.999)["task"]
    assert (p.lower, p.upper) == (pytest.approx(floor), 1.0) and 0.15 < floor < 0.25
    assert p.notes[0].endswith(
        "so every task's interval runs from its chance level less its evaluation noise to 1"
    )
    # plan --target-accuracy inverts the same band: a target above its floor has no ends
    plan = plan_for_accuracy(chain, "task", 0.45, level=0.999)
    assert plan.notes[0] == f"task: {p.notes[0]}; so the compute interval has no ends"
