"""``downstream plan``'s search reads one task's band and finds the path's points in batches
(:func:`predict_tasks` with ``only=``, prefetched bisection midpoints): checked against a
direct, slow evaluation, as the plan was found before, on a small chain whose loss law's
compute-optimal path is searched numerically."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals
from scalinglab.downstream._chain_predict import predict_tasks
from scalinglab.plan._allocation import optimum
from scalinglab.plan._invert import invert_band
from scalinglab.plan._search import bisect_compute
from scalinglab.plan._source import planned_flops


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    table = models(np.random.default_rng(0), SIZES, MULTS)
    table["acc_other"] = table["acc_task"] + np.random.default_rng(1).normal(0, 0.01, len(table))
    evals = read_evals(table, chance={"task": 0.25, "other": 0.25})
    # overtraining: no closed-form optimum, so every point of the path is a numeric search
    return fit_downstream(
        evals, tasks=["task", "other"], law="overtraining", bootstrap=20, seed=0,
        max_backtest_error=None,
    )  # fmt: skip


def _slow(chain: DownstreamFit, task: str, target: float, loss: float) -> tuple[float, ...]:
    """The plan's compute and its ends as found before: each point of the path searched on
    its own, each band read from ``chain.predict`` (every task's prediction)."""
    law, theta = chain.loss_step.law, chain.loss_step.theta[None, :]
    rule = planned_flops(chain, law)

    def at(x: float) -> tuple[float, float, float]:
        opt, _ = optimum(law, theta, np.array([x]), rule)
        return math.exp(opt.log_n[0]), math.exp(opt.log_d[0]), float(opt.loss[0])

    found, _, _ = bisect_compute(lambda xs: np.array([at(x)[2] for x in xs]), loss, 1)
    log_c = float(found[0])

    def band(x: float) -> tuple[float, float]:
        n, d, _ = at(x)
        p = chain.predict(params=n, tokens=d)[task]
        return p.lower, p.upper

    ends = invert_band(band, target=target, log_c=log_c, falling=False, quantity="accuracy")
    (n_lo, d_lo, _), (n_hi, d_hi, _) = at(ends.lower), at(ends.upper)
    return (math.exp(log_c), *ends.compute, n_lo, n_hi, d_lo, d_hi)


@pytest.mark.parametrize(("task", "target"), [("task", 0.45), ("average", 0.45)])
@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_the_plan_is_the_slow_evaluations(chain: DownstreamFit, task: str, target: float) -> None:
    plan = plan_for_accuracy(chain, task, target)
    assert plan.flops_interval_kind != "none"
    assert plan.flops[1] < plan.flops[0] < plan.flops[2] < math.inf
    fast = (*plan.flops, *plan.params[1:], *plan.tokens[1:])
    assert fast == pytest.approx(_slow(chain, task, target, plan.loss[0]), rel=1e-9)


@pytest.mark.parametrize("task", ["task", "other", "average"])
def test_one_tasks_band_is_the_one_among_all(chain: DownstreamFit, task: str) -> None:
    # each task draws from its own stream: read alone, its numbers are the same, exactly
    for params, tokens in [(1e8, 2e9), (3e9, 6e10)]:
        every = chain.predict(params=params, tokens=tokens)[task]
        alone = predict_tasks(chain, params=params, tokens=tokens, level=None, only=task)
        assert (alone[task].lower, alone[task].upper) == (every.lower, every.upper)
        assert alone[task].accuracy == every.accuracy
        assert set(alone) == ({"average", "task", "other"} if task == "average" else {task})
