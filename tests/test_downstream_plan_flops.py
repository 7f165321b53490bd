"""A chain's plans count compute as its models counted FLOPs, as ``plan`` counts a loss law's
(``C = 6·N·D·r(N)``, :attr:`DownstreamFit.flops_convention`): they counted 6·N·D whatever the
models' flops column held, so a target's compute was not in the runs' FLOPs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals


def _ratio(n: np.ndarray | float) -> np.ndarray | float:
    """An exact count's flops/(6·N·D), falling with N (1.3 at 10M, 1.07 at 200M)."""
    return 1 + 0.3 * (np.asarray(n) / 1e7) ** -0.5


def _chain(frame: pd.DataFrame) -> DownstreamFit:
    evals = read_evals(frame, chance={"task": 0.25})
    return fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return models(np.random.default_rng(0), SIZES, MULTS)


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_plan_counts_compute_as_the_chains_models_counted_it(frame: pd.DataFrame) -> None:
    plain = plan_for_accuracy(_chain(frame), "task", 0.6)
    counted = frame.assign(flops=6 * frame["params"] * frame["tokens"] * _ratio(frame["params"]))
    chain = _chain(counted)
    rule = chain.flops_convention
    assert rule is not None and rule.coef > 0 and rule.power == pytest.approx(-0.5)
    plan = plan_for_accuracy(chain, "task", 0.6)
    (c, _, _), (n, _, _), (d, _, _) = plan.flops, plan.params, plan.tokens
    assert c == pytest.approx(6 * n * d * _ratio(n), rel=1e-9)  # was 6·N·D: 5% less
    assert plain.flops[0] == pytest.approx(6 * plain.params[0] * plain.tokens[0], rel=1e-9)
    assert plan.loss[0] == pytest.approx(plain.loss[0])  # the same loss law, the same target
    assert plan.flops_rule == rule.planned() and plain.flops_rule == "C = 6·N·D"
    # N* is the optimum of the line C = 6·N·D·r(N): a step either way along it loses
    law, theta = chain.loss_step.law, chain.loss_step.theta
    sizes = n * np.array([0.9, 1.0, 1.1])
    along = law.evaluate(theta, {"N": sizes, "D": c / (6 * sizes * _ratio(sizes))}).ravel()
    assert along[1] < along[0] and along[1] < along[2]


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_rule_is_saved_and_said_by_downstream_plan(
    capsys: pytest.CaptureFixture[str], frame: pd.DataFrame, tmp_path: Path
) -> None:
    counted = frame.assign(flops=6 * frame["params"] * frame["tokens"] * _ratio(frame["params"]))
    chain = _chain(counted)
    path = tmp_path / "ds.json"
    chain.save(path)
    assert DownstreamFit.load(path).flops_convention == chain.flops_convention
    rule = chain.flops_convention.planned()  # type: ignore[union-attr]
    base = ["downstream", "plan", "--fit", str(path), "--target-accuracy", "task=0.6"]
    code, out, err = cli(capsys, *base)
    assert code == 0, err
    assert f"FLOPs counted as: {rule}" in " ".join(out.split())
    code, out, err = cli(capsys, *base, "--json")
    assert code == 0, err
    allocation = json.loads(out)["allocation"]
    assert allocation["flops_rule"] == rule
    assert allocation["flops"] == pytest.approx(plan_for_accuracy(chain, "task", 0.6).flops[0])


def test_the_reports_loss_fit_plans_as_the_chain_does(frame: pd.DataFrame) -> None:
    """The report's loss-law page (the chain's first step as a FitResult) records the chain's
    rule: it recorded none, and its frontier read the reader's words, a constant median ratio
    (1.13), where the runs' ratio falls with N."""
    from scalinglab.downstream._loss_result import loss_fit_result
    from scalinglab.plan import optimal_allocation

    counted = frame.assign(flops=6 * frame["params"] * frame["tokens"] * _ratio(frame["params"]))
    evals = read_evals(counted, chance={"task": 0.25})
    chain = fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0)
    result = loss_fit_result(chain, evals)
    assert result.flops_convention == chain.flops_convention
    plan = optimal_allocation(result, flops=1e20)
    n, d = plan.params.value, plan.tokens.value
    assert plan.flops_rule == chain.flops_convention.planned()  # type: ignore[union-attr]
    assert 6 * n * d * _ratio(n) == pytest.approx(1e20, rel=1e-6)
    older = DownstreamFit(**{**vars(chain), "flops_convention": None})  # saved before
    assert loss_fit_result(older, evals).flops_convention == chain.flops_convention
