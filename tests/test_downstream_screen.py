"""Which tasks a chain predicts, decided on the fitted runs alone (the backtest on the fitted
sizes), the loss law chosen by backtest, and its calibrated extrapolation error carried into
the loss the accuracy laws read."""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from tests.test_downstream_chain import TRUTH, true_acc, true_loss

from scalinglab import DataError
from scalinglab.downstream import (
    DownstreamFit,
    TaskBacktest,
    backtest_downstream,
    fit_downstream,
    read_evals,
)
from scalinglab.downstream._loss_link import loss_draws
from scalinglab.downstream._refit import Step, resample_weights
from scalinglab.downstream._task import CHANCE_MARGIN, fit_task
from scalinglab.fit._extrapolation import Extrapolation
from scalinglab.laws import get_law

SIZES = np.array([2e7, 5e7, 1.2e8, 3e8])
MULTS = np.array([5.0, 10.0, 20.0, 40.0, 80.0])


def ladder(rng: np.random.Generator) -> pd.DataFrame:
    """Chinchilla losses (1% noise) and three tasks: one that follows the sigmoid of loss at
    every size, one that follows it below the largest size and jumps 8 points there, one
    at chance below the largest size."""
    N = np.repeat(SIZES, len(MULTS))
    D = N * np.tile(MULTS, len(SIZES))
    L = true_loss(N, D) * np.exp(rng.normal(0, 0.01, N.size))
    steady = true_acc(L) + rng.normal(0, 0.01, N.size)
    largest = SIZES[-1] == N
    return pd.DataFrame(
        {
            "run": [f"m{i}" for i in range(N.size)],
            "params": N,
            "tokens": D,
            "loss": L,
            "acc_steady": steady,
            "acc_breaks": steady + 0.08 * largest,
            "acc_late": np.where(largest, 0.45, 0.25) + rng.uniform(-0.005, 0.005, N.size),
        }
    )


CHANCE = {"steady": 0.25, "breaks": 0.25, "late": 0.25}


@pytest.fixture(scope="module")
def screened() -> DownstreamFit:
    evals = read_evals(ladder(np.random.default_rng(3)), chance=CHANCE)
    return fit_downstream(evals, law="chinchilla", bootstrap=0)


def test_a_task_that_extrapolates_is_kept(screened: DownstreamFit) -> None:
    steady = screened.tasks["steady"]
    assert steady.predictable and steady.backtest_error < 0.03
    assert (
        "backtest on the fitted sizes: 15 models below 300M parameters fitted, the 5 at 300M "
        "predicted" in screened.notes
    )


def test_a_task_that_bends_at_the_largest_size_is_refused(screened: DownstreamFit) -> None:
    breaks = screened.tasks["breaks"]
    # the 8-point jump at 300M is what the backtest from the three smaller sizes misses
    assert breaks.backtest_error == pytest.approx(0.08, abs=0.02)
    assert not breaks.predictable
    assert "the backtest on the fitted sizes misses the 300M models by" in breaks.reason
    assert math.isnan(screened.predict(params=1e9, tokens=2e10)["breaks"].accuracy)


def test_a_task_that_leaves_chance_only_at_the_largest_size_is_refused(
    screened: DownstreamFit,
) -> None:
    late = screened.tasks["late"]
    assert not late.predictable
    assert late.reason.startswith(
        "no backtest on the fitted sizes: below 300M parameters, at chance"
    )


def test_no_backtest_on_the_fitted_sizes_when_asked() -> None:
    evals = read_evals(ladder(np.random.default_rng(3)), chance=CHANCE)
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert chain.tasks["breaks"].predictable and math.isnan(chain.tasks["breaks"].backtest_error)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_resamples_are_spent_on_the_predicted_tasks_only() -> None:
    """The chain refits its resamples for the tasks it predicts: a kept task's resamples
    are those of fitting it alone on the chain's weights, a task the backtest refuses keeps
    its best fit without resamples, and a task the full fit already finds flat is not
    fitted again below the largest size (no backtest figure; its reason stays)."""
    frame = ladder(np.random.default_rng(3))
    frame["acc_flat"] = 0.4 + np.random.default_rng(9).normal(0, 0.01, len(frame))
    evals = read_evals(frame, chance={**CHANCE, "flat": 0.25})
    chain = fit_downstream(evals, law="chinchilla", bootstrap=40)
    steady, breaks, flat = (chain.tasks[t] for t in ("steady", "breaks", "flat"))
    assert steady.predictable and steady.step is not None
    assert steady.step.samples.shape == (40, 3) and np.isfinite(steady.step.samples).all()
    weights = resample_weights(len(evals.runs), 40, 0)
    alone = fit_task(evals, "steady", "sigmoid", weights, CHANCE_MARGIN, need=5 + 3 + 1).step
    assert alone is not None
    np.testing.assert_array_equal(steady.step.samples, alone.samples)
    assert not breaks.predictable and breaks.backtest_error > 0.03
    assert breaks.step is not None and breaks.step.samples.shape == (0, 3)
    assert flat.reason.startswith("flat: the fit moves") and math.isnan(flat.backtest_error)
    assert flat.step is not None and flat.step.samples.shape == (0, 3)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_the_decision_never_sees_the_held_out_models() -> None:
    frame = ladder(np.random.default_rng(4))
    held = frame["params"] == SIZES[-1]
    other = frame.copy()
    other.loc[held, ["acc_steady", "acc_breaks", "acc_late"]] = 0.99  # garbage above the cut
    a, b = (
        backtest_downstream(
            read_evals(f, chance=CHANCE), holdout="params>=300M", law="chinchilla", bootstrap=0
        )
        for f in (frame, other)
    )
    for name in CHANCE:
        assert a.chain.tasks[name].reason == b.chain.tasks[name].reason
        np.testing.assert_allclose(
            a.chain.tasks[name].backtest_error, b.chain.tasks[name].backtest_error
        )


def test_tasks_all_refuses_a_task_below_chance_instead_of_failing() -> None:
    frame = ladder(np.random.default_rng(5))
    evals = read_evals(frame, chance={**CHANCE, "late": 0.9})
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert chain.tasks["late"].reason.startswith("chance level 0.9 is above every accuracy")
    assert chain.tasks["steady"].predictable
    with pytest.raises(DataError, match=r"chance level 0\.9 is above every accuracy"):
        fit_downstream(evals, tasks=["late"], law="chinchilla", bootstrap=0)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_law_auto_and_the_measured_loss_error_survive_a_round_trip(tmp_path: Path) -> None:
    evals = read_evals(ladder(np.random.default_rng(6)), chance=CHANCE)
    chain = fit_downstream(evals, tasks=["steady"], bootstrap=50, max_backtest_error=0.2)
    # after the evaluations' own notes (the run table's: no FLOPs column)
    assert chain.notes[:2] == ("flops derived as 6·N·D (column absent)", chain.notes[1])
    assert chain.notes[1].startswith("law auto: median extrapolation error")
    assert chain.loss_step.law.name in ("chinchilla", "overtraining", "kaplan")
    assert chain.extrapolation is not None and chain.extrapolation.kind in (
        "backtest-calibrated",
        "bootstrap",
    )
    chain.save(tmp_path / "c.json")
    back = DownstreamFit.load(tmp_path / "c.json")
    assert back.notes == chain.notes
    assert chain.loss_delta >= 1e-3 and f"delta {chain.loss_delta:.3g}" in chain.notes[2]
    assert back.loss_delta == chain.loss_delta  # the report refits the loss law at it
    assert back.extrapolation is not None and chain.extrapolation is not None
    assert back.extrapolation.to_dict() == chain.extrapolation.to_dict()
    assert back.tasks["steady"].backtest_error == chain.tasks["steady"].backtest_error
    a = chain.predict(params=1e9, tokens=2e10)["steady"]
    b = back.predict(params=1e9, tokens=2e10)["steady"]
    assert (a.lower, a.upper) == pytest.approx((b.lower, b.upper), rel=1e-8)


def test_calibrated_loss_draws_have_the_calibrated_interval() -> None:
    """With every resample at the best fit, the draws' 90% interval of log loss must be the
    closed form ``log(point) ± q·s``, ``s = sqrt(σ² + κ²·d^p)`` at ``d`` decades beyond."""
    law = get_law("chinchilla")
    theta = {k: TRUTH[k] for k in law.param_names}
    step = Step(law, theta, np.tile([theta[k] for k in law.param_names], (400, 1)), 0.01,
                "log", "converged", 1)  # fmt: skip
    sigma, kappa = 0.01, 0.02
    scores = np.linspace(0.1, 3.0, 30)  # |r| / s of 30 backtest residuals at d = 0
    error = Extrapolation(
        "backtest-calibrated", "test", {"N": 1e8, "D": 2e9, "N*D": 2e17},
        np.zeros(30), scores * sigma, np.zeros(30), sigma, kappa, (1e16, 1e17), 2.0,
    )  # fmt: skip
    data = {"N": np.array([1e9]), "D": np.array([2e10])}  # 1e19: two decades beyond
    draws = loss_draws(step, error, data, level=0.9, rng=np.random.default_rng(0), per=100)
    point = float(step.evaluate(step.theta, data)[0])
    lo, hi = np.percentile(np.log(draws), [5, 95])
    s = math.sqrt(sigma**2 + kappa**2 * 2.0**2)
    q = error.quantile(0.9)
    assert q == pytest.approx(scores[math.ceil(31 * 0.9) - 1])
    assert (hi - lo) / 2 == pytest.approx(q * s, rel=0.05)
    assert (hi + lo) / 2 == pytest.approx(math.log(point), abs=0.05 * q * s)
    # not calibrated: the fit's own noise only
    plain = loss_draws(step, replace(error, kind="bootstrap"), data, level=0.9,
                       rng=np.random.default_rng(0), per=100)  # fmt: skip
    lo, hi = np.percentile(np.log(plain), [5, 95])
    assert (hi - lo) / 2 == pytest.approx(norm.ppf(0.95) * 0.01, rel=0.05)


def test_relative_error_skips_held_out_models_at_zero_accuracy() -> None:
    nan = np.full(3, np.nan)
    row = TaskBacktest("squad", np.array([0.02, 0.11, 0.30]), nan, nan, np.array([0.0, 0.1, 0.2]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero reaches the user
        assert row.mean_are == pytest.approx((0.1 + 0.5) / 2)
        assert row.abs_error == pytest.approx((0.02 + 0.01 + 0.1) / 3)
    zero = TaskBacktest("jeopardy", np.array([0.01]), nan[:1], nan[:1], np.array([0.0]))
    assert math.isnan(zero.mean_are)
    # mean_are, as a loss backtest names it; the old name (key, attribute) stays one release
    written = row.to_dict()
    assert written["mean_are"] == written["rel_error"] == pytest.approx((0.1 + 0.5) / 2)
    with pytest.warns(DeprecationWarning, match=r"TaskBacktest.rel_error .* TaskBacktest.mean_are"):
        assert row.rel_error == row.mean_are  # type: ignore[deprecated]


def test_a_chain_saved_by_the_first_round_still_loads(
    screened: DownstreamFit, tmp_path: Path
) -> None:
    screened.save(tmp_path / "new.json")
    data = json.loads((tmp_path / "new.json").read_text())
    for key in ("extrapolation", "notes", "loss_delta"):  # the first round wrote none ...
        del data[key]
    for task in data["tasks"].values():  # ... nor a task's backtest error
        del task["backtest_error"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = DownstreamFit.load(tmp_path / "old.json")
    assert old.extrapolation is None and old.notes == () and old.loss_delta == 1e-3
    assert math.isnan(old.tasks["steady"].backtest_error)
    a = old.predict(params=1e9, tokens=2e10)["steady"].accuracy
    assert a == pytest.approx(screened.predict(params=1e9, tokens=2e10)["steady"].accuracy)


def test_a_named_task_below_chance_only_on_the_smaller_models_is_a_verdict() -> None:
    # 'late' scores 0.25 below 300M and 0.45 at 300M: with chance 0.3 the smaller models are
    # all below chance, which refuses the task instead of failing the fit
    evals = read_evals(ladder(np.random.default_rng(3)), chance={**CHANCE, "late": 0.3})
    chain = fit_downstream(evals, tasks=["late"], law="chinchilla", bootstrap=0)
    assert chain.tasks["late"].reason.startswith(
        "no backtest on the fitted sizes: below 300M parameters, chance level 0.3 is above"
    )


def test_a_task_no_largest_model_was_scored_on_says_so() -> None:
    # once "misses the 300M models by nan points on average (> 3)"
    frame = ladder(np.random.default_rng(3))
    frame.loc[frame["params"] == SIZES[-1], "acc_steady"] = np.nan
    evals = read_evals(frame, chance=CHANCE)
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0)
    steady = chain.tasks["steady"]
    assert not steady.predictable and "nan points" not in steady.reason
    assert steady.reason.startswith("no backtest: none of the 300M models has a score of this task")
