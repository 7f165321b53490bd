"""The average over tasks as the mean of their chained predictions (``average_law="mean"``,
the default): it stays between its tasks where Gadre et al.'s law of the average, fitted as a
target of its own, leaves them far from the data; its plan inverts the mean of the tasks'
laws; and predictions print as the other results do."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.conftest import SHARED
from tests.test_downstream_average import TASKS, models

from scalinglab.downstream import (
    AVERAGE,
    DownstreamFit,
    TaskPrediction,
    fit_downstream,
    plan_for_accuracy,
    read_evals,
)

DATA = SHARED / "overtraining"


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    evals = read_evals(models(np.random.default_rng(1)), chance={"flat": 0.3})
    return fit_downstream(evals, law="chinchilla", task_law="exp-error", bootstrap=200)


def test_the_average_is_the_mean_of_its_tasks_predictions(chain: DownstreamFit) -> None:
    average = chain.average
    assert average is not None and average.predictable and average.step is None
    assert average.members == ("t1", "t2", "t3")
    # its backtest on the fitted sizes: the mean of its tasks' misses, within a point
    assert 0 <= average.backtest_error < 0.01
    for params in (8e8, 1e10, 1e12):  # 4x to 5,000x the largest fitted size
        preds = chain.predict(params=params, tokens=20 * params)
        tasks = [preds[t] for t in TASKS]
        p = preds[AVERAGE]
        assert p.accuracy == pytest.approx(np.mean([t.accuracy for t in tasks]), rel=1e-12)
        assert min(t.accuracy for t in tasks) <= p.accuracy <= max(t.accuracy for t in tasks)
        # one interval over the tasks' shared resamples: the tasks' own errors partly cancel
        assert p.lower < p.accuracy < p.upper
        assert p.upper - p.lower < np.mean([t.upper - t.lower for t in tasks])
        # nothing of its own law (it has none): only how far the model is, as every task
        assert not any("own" in w for w in p.warnings) and p.warnings == tasks[0].warnings
        assert bool(p.warnings) == (chain.distance(params=params, tokens=20 * params) > 1)


def test_a_saved_mean_average_predicts_the_same(chain: DownstreamFit, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "ds.json"
    chain.save(path)
    back = DownstreamFit.load(path)
    assert back.average is not None and back.average.step is None
    a, b = (c.predict(params=8e8, tokens=1.6e10)[AVERAGE] for c in (chain, back))
    assert (a.accuracy, a.lower, a.upper) == pytest.approx((b.accuracy, b.lower, b.upper))


def test_the_plan_inverts_the_mean_of_the_tasks_laws(chain: DownstreamFit) -> None:
    plan = plan_for_accuracy(chain, AVERAGE, 0.27)  # ~2e9 parameters
    loss = np.array([plan.loss[0]])
    laws = [chain.tasks[t].step for t in TASKS]
    mean = np.mean([1 - s.evaluate(s.theta, {"L": loss})[0] for s in laws if s is not None])
    assert mean == pytest.approx(0.27, abs=1e-9)
    assert plan.loss[1] <= plan.loss[0] <= plan.loss[2]
    assert math.isfinite(plan.flops[0]) and plan.distance > 0
    # the chain predicts the planned model at the target (its loss law's best split)
    at = chain.predict(params=plan.params[0], tokens=plan.tokens[0])[AVERAGE]
    assert at.accuracy == pytest.approx(0.27, abs=0.003)
    # its interval: the average's one-model band, as predict gives it, inverted
    low = chain.predict(params=plan.params[1], tokens=plan.tokens[1])[AVERAGE]
    assert low.upper == pytest.approx(0.27, abs=1e-6)
    high = chain.predict(params=plan.params[2], tokens=plan.tokens[2])[AVERAGE]
    assert high.lower == pytest.approx(0.27, abs=1e-6) and plan.notes == ()


def test_prediction_repr_has_five_significant_digits() -> None:
    p = TaskPrediction("hellaswag", 0.538215811, 0.467641234, 0.599901234, 0.9, 2.63154321)
    assert repr(p) == (
        "TaskPrediction(task='hellaswag', accuracy=0.53822 [0.46764, 0.5999] at 90%, loss=2.6315)"
    )
    refused = TaskPrediction("mmlu", math.nan, math.nan, math.nan, 0.9, 2.6315, "at chance")
    assert repr(refused) == "TaskPrediction(task='mmlu', loss=2.6315, refused: 'at chance')"


@pytest.mark.skipif(
    not (DATA / "models.dev.csv").exists(), reason=f"the over-trained models are not at {DATA}"
)
@pytest.mark.heavy
def test_the_readme_chain_at_7b_keeps_the_average_between_its_tasks() -> None:
    """The README's c4 chain at 7B parameters, 2T tokens (x258 past the fitted models): the
    mean of hellaswag 0.850, piqa 0.783 and arc_easy 0.645 is 0.759; Gadre et al.'s law of
    the average, fitted as a target of its own, gave 0.965 there, above all three."""
    evals = read_evals(
        DATA / "models.dev.csv", loss="loss_c4_val", chance=DATA / "eval_metadata.csv"
    ).where("dataset", "c4_original")
    tasks = ["hellaswag", "piqa", "arc_easy"]
    mean = fit_downstream(evals, tasks=tasks, bootstrap=200)
    preds = mean.predict(params="7B", tokens="2T")
    members = [preds[t].accuracy for t in tasks]
    assert members == pytest.approx([0.850, 0.783, 0.645], abs=0.001)
    assert preds[AVERAGE].accuracy == pytest.approx(0.7593, abs=1e-4)
    assert 0.68 < preds[AVERAGE].lower < 0.759 < preds[AVERAGE].upper < 0.83
    own = fit_downstream(evals, tasks=tasks, bootstrap=200, average_law="exp-error")
    p = own.predict(params="7B", tokens="2T")[AVERAGE]
    assert p.accuracy == pytest.approx(0.965, abs=0.001)
    # its own law's warning, then the distance's: two warnings, as a list says them
    own_law, far = p.warnings
    assert far.startswith("x") and "outside the fitted models" in far
    assert own_law.startswith(
        "the average's own exp-error law gives 0.965, outside the 90% interval of the mean of "
        "its tasks' predictions, 0.759 [0.7"
    )
    assert "], and outside every one [0.645, 0.850]: its law is read past the losses" in own_law
    # within the fitted losses the two agree to a few points, and nothing is said
    near = own.predict(params="1.4B", tokens="28B")
    assert near[AVERAGE].warnings == ()
    assert near[AVERAGE].accuracy == pytest.approx(
        np.mean([near[t].accuracy for t in tasks]), abs=0.02
    )
