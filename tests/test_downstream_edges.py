"""A chain at the edges a user reaches: accuracies kept within [0, 1], a law past its domain
refused, targets the loss law never reaches explained, tasks without a score, tables in
JSON, and levels written as percentages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError, DataError
from scalinglab._errors import check_level
from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals


@pytest.fixture(scope="module")
def exp_chain() -> DownstreamFit:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    return fit_downstream(
        evals, tasks=["task"], law="chinchilla", task_law="exp-error", bootstrap=100, seed=0,
        max_backtest_error=None,  # the sigmoid's data: Gadre's law misses its top by 3 points
    )  # fmt: skip


def test_a_law_past_its_domain_is_refused_and_intervals_stay_fractions(
    exp_chain: DownstreamFit,
) -> None:
    step = exp_chain.tasks["task"].step
    assert step is not None
    eps, k, gamma = step.theta
    # Err = eps - k exp(-gamma L) is negative below this loss: accuracy above 1
    edge = -math.log(eps / k) / gamma
    p = exp_chain.predict(params=1e12, tokens=1e14)["task"]
    assert p.loss < edge and math.isnan(p.accuracy) and "outside [0, 1]" in p.reason
    inside = exp_chain.predict(params=3e8, tokens=6e9)["task"]
    assert inside.loss > edge and 0 <= inside.lower <= inside.accuracy <= inside.upper <= 1
    for params in np.geomspace(1e8, 1e11, 7):
        q = exp_chain.predict(params=float(params), tokens=float(20 * params))["task"]
        assert math.isnan(q.accuracy) or 0 <= q.lower <= q.upper <= 1


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_a_target_the_loss_law_never_reaches_says_why() -> None:
    # the sigmoid reaches its ceiling only at zero loss: a target it gives at a loss under
    # the loss law's floor E is a number no compute reaches (the exp-error law of exp_chain
    # reaches 100% at a loss above E: every accuracy it gives is reachable)
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=50, max_backtest_error=None
    )
    e = chain.loss_step.coefs["E"]
    step = chain.tasks["task"].step
    assert step is not None
    target = float(step.evaluate(step.theta, {"L": np.array([0.9 * e])})[0])
    assert target < 1
    plan = plan_for_accuracy(chain, "task", target)
    assert math.isinf(plan.flops[0]) or math.isnan(plan.flops[0])
    (said,) = plan.notes
    assert said.startswith("task: the loss law does not reach loss") and "below 1e50 FLOPs" in said
    assert math.isnan(plan.distance) and math.isnan(plan.flops[1])
    reachable = plan_for_accuracy(chain, "task", 0.7)
    assert math.isfinite(reachable.flops[0])
    assert not any("does not reach" in n for n in reachable.notes)


def test_a_target_in_percent_is_read_as_one(exp_chain: DownstreamFit) -> None:
    """The Python call's hint names its own argument (``target=``); the command line's
    names ``--target-accuracy`` (tests/test_cli_downstream_sweep.py pins it)."""
    with pytest.raises(ConfigError, match="target accuracy 60 for 'task' is above 1") as err:
        plan_for_accuracy(exp_chain, "task", 60)
    assert err.value.hint == "did you mean 0.6? (target=0.6)"


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_a_task_without_any_score_is_a_verdict_or_an_error(tmp_path: Path) -> None:
    frame = models(np.random.default_rng(1), SIZES, MULTS)
    frame["acc_empty"] = np.nan
    evals = read_evals(frame, chance={"task": 0.25})
    with pytest.raises(DataError, match="no model has a score"):
        fit_downstream(evals, tasks=["task", "empty"], law="chinchilla", bootstrap=0)
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0)
    assert not chain.tasks["empty"].predictable
    assert "no model has a score (20 missing)" in chain.tasks["empty"].reason
    # a point fit plans without intervals, and its JSON says so
    point = fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=0, max_backtest_error=None
    )
    plan = plan_for_accuracy(point, "task", 0.5)
    shown = plan.to_dict()
    assert math.isnan(plan.flops[1])
    assert shown["flops_interval_kind"] == shown["loss_interval_kind"] == "none"
    assert shown["allocation_interval_kind"] == "none"


def test_json_tables_are_read_and_other_json_is_named(tmp_path: Path) -> None:
    frame = models(np.random.default_rng(2), SIZES, MULTS)
    path = tmp_path / "evals.json"
    frame.to_json(path, orient="records")
    evals = read_evals(path)
    assert "task" in evals.tasks and len(evals.runs) == len(frame)
    frame.to_csv(tmp_path / "evals.csv.gz", index=False)
    assert read_evals(tmp_path / "evals.csv.gz").tasks == evals.tasks
    (tmp_path / "other.json").write_text(json.dumps({"accuracy": 0.5}))
    with pytest.raises(DataError, match="neither lm-evaluation-harness results"):
        read_evals(tmp_path / "other.json")


def test_a_level_in_percent_is_refused_with_the_fraction_it_meant(
    exp_chain: DownstreamFit,
) -> None:
    with pytest.raises(ConfigError, match="between 0 and 1") as err:
        plan_for_accuracy(exp_chain, "task", 0.7, level=90)
    assert err.value.hint == "a fraction: level 0.9 for a 90% interval"
    with pytest.raises(ConfigError) as err:
        check_level(1.0, option="--level")
    assert "--level 0.9 for a 90% interval" in (err.value.hint or "")
    assert check_level(0.8) == 0.8


def test_long_tables_read_one_metric_and_refuse_conflicting_rows(tmp_path: Path) -> None:
    wide = models(np.random.default_rng(3), SIZES, MULTS)
    long = wide.melt(
        id_vars=["run", "params", "tokens", "loss"], value_vars=["acc_task", "acc_flat"],
        var_name="task", value_name="value",
    )  # fmt: skip
    long["task"] = long["task"].str.removeprefix("acc_")
    norm = long.assign(metric="acc_norm", value=long["value"] + 0.05)
    both = pd.concat([long.assign(metric="acc"), norm, long.assign(metric="acc_stderr")])
    evals = read_evals(both)
    assert set(evals.tasks) == {"task", "flat"}  # no made-up "norm_task", "stderr_flat"
    np.testing.assert_allclose(evals.accuracy("task"), wide["acc_task"])
    np.testing.assert_allclose(
        read_evals(both, metric="acc_norm").accuracy("task"), wide["acc_task"] + 0.05
    )
    one = long.assign(metric="accuracy")  # one metric, not acc: named, never read in its place
    with pytest.raises(DataError, match=r"no rows of metric 'acc'; the metrics here are accuracy"):
        read_evals(one)
    np.testing.assert_allclose(
        read_evals(one, metric="accuracy").accuracy("flat"), wide["acc_flat"]
    )
    with pytest.raises(DataError, match="no rows of metric 'f1'; the metrics here are acc, "):
        read_evals(both, metric="f1")
    path = tmp_path / "long.csv"
    clash = long.assign(metric="acc")
    pd.concat([clash, clash.iloc[[0]].assign(value=0.99)], ignore_index=True).to_csv(
        path, index=False
    )
    with pytest.raises(DataError, match="has 2 different 'task' scores") as err:
        read_evals(path)
    assert err.value.row == 2 and "rows 2, " in (err.value.hint or "")
    same = pd.concat([clash, clash.iloc[[0]]], ignore_index=True)  # an exact repeat is harmless
    assert read_evals(same).accuracy("task")[0] == pytest.approx(wide["acc_task"][0])


def test_long_tables_count_only_the_metric_read(tmp_path: Path) -> None:
    """Standard-error rows (lm-evaluation-harness's acc_stderr) are not scores: they do not
    make a model of a run without scores of the metric read, nor a second metric beside the
    one a table has, nor an accuracy when they are all there is; a table of another score
    alone is refused, naming it."""
    wide = models(np.random.default_rng(3), SIZES, MULTS)
    long = wide.melt(
        id_vars=["run", "params", "tokens", "loss"], value_vars=["acc_task", "acc_flat"],
        var_name="task", value_name="value",
    )  # fmt: skip
    long["task"] = long["task"].str.removeprefix("acc_")
    errors = long.assign(metric="acc_stderr", value=0.01)
    norm = long.assign(metric="acc_norm", value=long["value"] + 0.05)
    every = pd.concat([long.assign(metric="acc"), errors, norm])
    unscored = every[~((every["run"] == "m3") & (every["metric"] == "acc"))]  # m3: no acc rows
    evals = read_evals(unscored)
    assert len(evals.runs) == len(wide) - 1 == 19 and "m3" not in evals.runs.runs
    scores = unscored[["run", "task", "metric", "value"]]  # the same, joined to the runs
    joined = read_evals(scores, runs=wide[["run", "params", "tokens", "loss"]])
    assert sorted(joined.runs.runs) == sorted(evals.runs.runs)
    norm_errors = norm.assign(metric="acc_norm_stderr", value=0.01)
    only_norm = pd.concat([norm, norm_errors])  # one score: acc_norm, and its errors
    with pytest.raises(DataError) as err:  # acc asked for (the default): --metric acc_norm
        read_evals(only_norm)
    assert (
        err.value.hint
        == "choose the one read as accuracy: --metric acc_norm (metric=... in Python)"
    )
    np.testing.assert_allclose(
        read_evals(only_norm, metric="acc_norm").accuracy("task"), wide["acc_task"] + 0.05
    )
    with pytest.raises(DataError, match="the metrics here are acc_stderr: standard errors") as err:
        read_evals(errors)
    assert "--metric" in (err.value.hint or "")
    with pytest.raises(DataError, match="'acc_stderr' is a standard error, not a score") as err:
        read_evals(every, metric="acc_stderr")  # asked for by name: refused all the same
    assert (err.value.hint or "").startswith("read the score it is the error of: --metric acc ")


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_models_of_several_corpora_are_warned_about_and_where_conditions_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    rng = np.random.default_rng(4)
    a, b = models(rng, SIZES, MULTS), models(rng, SIZES, MULTS)
    a["dataset"], b["dataset"] = "web", "books"
    b["run"] = b["run"] + "b"
    both = pd.concat([a, b], ignore_index=True)
    both["arch"] = np.where(both["params"] > 5e7, "big", "small")
    path = tmp_path / "evals.csv"
    both.to_csv(path, index=False)
    chain = fit_downstream(read_evals(path), tasks=["task"], law="chinchilla", bootstrap=0)
    assert any(
        w.startswith("the models span 2 values of 'dataset' (web, books)") for w in chain.warnings
    )
    assert not any("span" in n for n in chain.notes)  # a warning, not a note as well
    one = fit_downstream(
        read_evals(path).where("dataset", "web"), tasks=["task"], law="chinchilla", bootstrap=0
    )
    assert not any("span" in w for w in (*one.notes, *one.warnings))
    code = main(
        ["downstream", "fit", str(path), "--tasks", "task", "--law", "chinchilla",
         "--bootstrap", "0", "--where", "dataset=web", "--where", "arch=big"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("10 models from")  # 20 web models, 10 of them big


def test_the_python_api_takes_sizes_as_people_write_them(exp_chain: DownstreamFit) -> None:
    import scalinglab as sl

    written = exp_chain.predict(params="300M", tokens="6B")["task"]
    number = exp_chain.predict(params=3e8, tokens=6e9)["task"]
    assert written == number
    with pytest.raises(ConfigError, match="params must be one number, got 2"):
        exp_chain.predict(params=[1e8, 2e8], tokens=1e9)
    with pytest.raises(ConfigError, match="params='7Q' is not a number"):
        exp_chain.predict(params="7Q", tokens=1e9)
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    assert repr(evals) == "Evals(20 models from '<DataFrame>', 3 tasks, via='loss')"
    one = fit_downstream(evals, tasks="task", law="chinchilla", bootstrap=0)  # not 't','a',...
    assert tuple(one.tasks) == ("task",)
    result = sl.fit("chinchilla", evals.runs, bootstrap=0)
    both = result.predict(params=["1B", 2e9], tokens="20B").loss
    np.testing.assert_allclose(both, result.predict(params=[1e9, 2e9], tokens=2e10).loss)


def test_predict_says_how_far_outside_the_fitted_models_it_is(
    exp_chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    assert exp_chain.distance(params=1e8, tokens=2e9) == 0.0  # among the fitted models
    # N ten times the largest (2e8), N·D at the largest (3.2e18): a decade out
    assert exp_chain.distance(params=2e9, tokens=1.6e9) == pytest.approx(1.0)
    path = tmp_path / "ds.json"
    exp_chain.save(path)
    code = main(["downstream", "predict", "--fit", str(path), "--params", "2B", "--tokens", "1.6B"])
    out = capsys.readouterr().out
    assert code == 0 and "x10 (1.00 decades) outside the fitted models" in out
    code = main(["downstream", "predict", "--fit", str(path), "--params", "1B", "--tokens",
                 "3.2B", "--json"])  # fmt: skip
    assert json.loads(capsys.readouterr().out)["distance"] == pytest.approx(0.69897, abs=1e-4)


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_options_a_user_gets_wrong_are_refused_with_the_fix(
    exp_chain: DownstreamFit, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    frame = models(np.random.default_rng(0), SIZES, MULTS)
    evals = read_evals(frame, chance={"task": 0.25})
    with pytest.raises(ConfigError, match="3 would be 300 points") as err:
        fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0, max_backtest_error=3)
    assert "write 0.03" in (err.value.hint or "")
    fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=0, max_backtest_error=math.inf
    )
    with pytest.raises(ConfigError, match="goes through 'acc_flat', a task's accuracy"):
        fit_downstream(read_evals(frame, loss="acc_flat"), tasks=["task"], bootstrap=0)
    # the chain's average is a target like a task
    from tests.test_downstream_average import models as three_tasks

    three = read_evals(three_tasks(np.random.default_rng(6)))
    chain = fit_downstream(
        three, law="chinchilla", task_law="exp-error", bootstrap=20, max_backtest_error=None
    )
    at = chain.predict(params=1e9, tokens=2e10)["average"]
    plan = plan_for_accuracy(chain, "average", at.accuracy)
    assert plan.task == "average" and plan.loss[0] == pytest.approx(at.loss, rel=1e-6)
    code = main(["fit", "--cooldown", "0.3"])
    assert code == 2 and "no --from-curves was given" in capsys.readouterr().err
    code = main(["plan", "--preset", "hoffmann2022", "--compute", "1e21", "--seq-len", "2048"])
    assert code == 2 and "no --hparams or --hparams-preset" in capsys.readouterr().err


def test_models_without_a_score_are_counted_in_a_note() -> None:
    frame = models(np.random.default_rng(7), SIZES, MULTS)
    frame.loc[frame.index[:5], "acc_task"] = np.nan
    chain = fit_downstream(read_evals(frame), tasks=["task"], law="chinchilla", bootstrap=0)
    assert "task: 5 of 20 models have no score, left out of its fit and its backtest" in chain.notes


def test_a_flat_verdict_names_the_rule_that_fired() -> None:
    from types import SimpleNamespace

    from scalinglab.downstream._task import _verdict

    def step(rise: float, noise: float) -> SimpleNamespace:
        return SimpleNamespace(
            status="converged",
            noise=noise,
            law=SimpleNamespace(target="accuracy"),
            evaluate=lambda theta, data: np.array([0.5 + rise, 0.5]),
            theta=None,
        )

    loss = np.array([2.0, 3.0])
    assert "under twice their noise (1.0 points)" in _verdict(step(0.015, 0.01), loss, 0.02)
    assert "under the 2 points a task must move" in _verdict(step(0.017, 0.0), loss, 0.02)
    assert _verdict(step(0.05, 0.01), loss, 0.02) == ""
