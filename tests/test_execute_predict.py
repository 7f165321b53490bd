"""--predict-top: which law is fitted and why, and predictions against known truths."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError
from scalinglab.execute import TopPrediction, choose_law, predict_top
from scalinglab.execute._events import describe_prediction
from scalinglab.store import StoredRun


def run(
    name: str, params: float, tokens: float, loss: float, flops: float | None = None
) -> StoredRun:
    return StoredRun(
        run_id=name,
        name=name,
        params=params,
        tokens=tokens,
        loss=loss,
        flops=6 * params * tokens if flops is None else flops,
    )


def power_ladder(
    n: int, *, a: float = 30.0, alpha: float = 0.05, e: float = 0.0
) -> list[StoredRun]:
    """Rungs at 20 tokens per parameter with loss exactly E + A·C^-α."""
    out = []
    for i, params in enumerate(np.geomspace(1e5, 1e8, n)):
        tokens = 20 * params
        flops = 6 * params * tokens
        out.append(run(f"r{i}", params, tokens, e + a * flops**-alpha, flops))
    return out


def test_two_rungs_are_refused_as_backtest_refuses_them() -> None:
    """Two rungs fix L = A·C^-α exactly, with no interval: a fit needs 3 runs, as fit and
    backtest hold (it used to print the line through the two points)."""
    lower = [run("a", 1e6, 2e7, 3.0, flops=1e14), run("b", 2e6, 4e7, 2.5, flops=1e15)]
    top = run("top", 4e6, 8e7, 0.0, flops=1e16)
    with pytest.raises(ConfigError) as err:
        predict_top(lower, top)
    assert err.value.message == (
        "--predict-top fits L = A·C^-α (2 parameters) to the rungs below the top one, and a "
        "fit needs at least 3 runs (as fit and backtest require); this ladder has 2 finished "
        "rungs below the top one"
    )


def test_three_rungs_recover_a_pure_power_law() -> None:
    *lower, top = power_ladder(4)
    p = predict_top(lower, top)
    assert p.law == "power-law:flops"
    assert p.loss == pytest.approx(top.loss, rel=1e-4)
    assert p.has_interval and p.lower <= p.loss <= p.upper
    # the fit's warnings travel with the prediction, and the interval says what it covers
    assert any(w.startswith("too few runs: 3 for 2 parameters") for w in p.warnings)
    assert p.interval_note.startswith("bootstrap (too few scales to measure extrapolation error")
    assert "covers their noise only, not the law's error in extrapolating" in p.interval_note
    text = describe_prediction(p)
    # labelled as `scalinglab fit` labels its interval sentence: one label for it
    assert "\n  prediction intervals: bootstrap (too few scales" in text
    assert "\n  interval:" not in text
    assert "\n  warning: too few runs: 3 for 2 parameters" in text
    assert TopPrediction.from_dict(p.to_dict()) == p


def test_the_interval_sentence_is_interval_note_as_the_fits_and_the_old_name_warns() -> None:
    """The interval's sentence is ``interval_note``, as ``FitResult.interval_note`` (whose
    sentence it extends) and ``AccuracyPlan.interval_note`` name it, in Python and in the
    record's JSON; ``interval``, its old name, reads it one release with a warning, and the
    JSON keeps the old key one release (as ``lower`` and ``upper``)."""
    from scalinglab import fit, read_runs

    *lower, top = power_ladder(4)
    p = predict_top(lower, top)
    frame = {"run": [r.name for r in lower], "params": [r.params for r in lower],
             "tokens": [r.tokens for r in lower], "flops": [r.flops for r in lower],
             "loss": [r.loss for r in lower]}  # fmt: skip
    table = read_runs(pd.DataFrame(frame), run_column="run")
    same = fit("power-law:flops", table, bootstrap=200, level=0.9, seed=0, compare=False)
    assert p.interval_note.startswith(same.interval_note + "; a bootstrap over 3 rungs")
    with pytest.warns(DeprecationWarning, match=r"TopPrediction.interval .* use TopPrediction"):
        assert p.interval == p.interval_note  # type: ignore[deprecated]
    data = p.to_dict()
    assert data["interval_note"] == p.interval_note
    assert data["interval"] == data["interval_note"]  # the old key, one release
    assert TopPrediction.from_dict(data) == p
    # a record written before: its "interval" is read as the note
    old = {k: v for k, v in data.items() if k != "interval_note"}
    assert TopPrediction.from_dict(old).interval_note == p.interval_note
    # the new key wins where both are there
    assert TopPrediction.from_dict(data | {"interval": "x"}).interval_note == p.interval_note


def test_five_rungs_at_fixed_tokens_per_param_fit_loss_against_compute() -> None:
    *lower, top = power_ladder(6, a=40.0, alpha=0.08, e=1.5)
    law, why = choose_law(lower)
    assert law == "power-law-plus-constant:flops"
    assert "move together" in why and "fewer than 6 rungs" in why
    p = predict_top(lower, top)
    assert top.loss is not None
    assert p.loss == pytest.approx(top.loss, rel=2e-3)


def test_chinchilla_when_n_and_d_vary_independently() -> None:
    truth = {"E": 1.7, "A": 400.0, "B": 410.0, "alpha": 0.34, "beta": 0.28}
    rows = []
    for params in (1e6, 3e6, 1e7):
        for ratio in (5.0, 20.0, 80.0):
            d = ratio * params
            loss = (
                truth["E"]
                + truth["A"] * params ** -truth["alpha"]
                + truth["B"] * d ** -truth["beta"]
            )
            rows.append(run(f"n{params:g}-r{ratio:g}", params, d, loss))
    law, why = choose_law(rows)
    assert law == "chinchilla" and "×16.0" in why
    top = run("top", 3e7, 20 * 3e7, 0.0)
    p = predict_top(rows, top)
    expected = truth["E"] + truth["A"] * 3e7**-0.34 + truth["B"] * 6e8**-0.28
    assert p.loss == pytest.approx(expected, rel=1e-3)


def test_one_rung_is_not_enough() -> None:
    with pytest.raises(ConfigError, match="a fit needs at least 3 runs"):
        choose_law([run("a", 1e6, 2e7, 3.0)])


def test_prediction_round_trips_and_scores_itself() -> None:
    p = TopPrediction(
        rung="t",
        law="power-law:flops",
        why="w",
        runs=("a", "b", "c"),
        params=1e6,
        tokens=2e7,
        flops=1.2e14,
        loss=2.0,
        lower=1.9,
        upper=2.2,
        level=0.9,
        actual=2.1,
    )
    assert p.error == pytest.approx(0.1) and p.relative_error == pytest.approx(0.1 / 2.1)
    assert p.covered is True
    back = TopPrediction.from_dict(p.to_dict())
    assert back == p
    gone = dict.fromkeys(("loss_lower", "loss_upper", "lower", "upper", "actual"))
    none = TopPrediction.from_dict(p.to_dict() | gone)
    assert math.isnan(none.lower) and none.covered is None and none.error is None


def test_the_prediction_counts_n_as_the_ladder_does() -> None:
    """Rungs store both counts: N is the non-embedding one the ladder planned in."""
    lower = [
        StoredRun(run_id=r.run_id, name=r.name, params=r.params * 1.5,
                  params_non_embedding=r.params, tokens=r.tokens, loss=r.loss, flops=r.flops)
        for r in power_ladder(4)
    ]  # fmt: skip
    *lower, top = lower
    p = predict_top(lower, top)
    # the prediction's keys mean what `runs --json`'s do: params total, N the other
    assert (p.params, p.params_non_embedding) == (top.params, top.params_non_embedding)
    data = p.to_dict()
    assert (data["params"], data["params_non_embedding"]) == (top.params, top.params_non_embedding)
    at_n = predict_top(lower, replace(top, params=top.params_non_embedding))
    assert at_n.loss == p.loss  # predicted at the non-embedding N, whatever the total


def test_a_top_rung_record_of_one_params_reads_it_as_the_n_predicted_at() -> None:
    """A record stored before both counts were kept: its "params" was the N predicted at."""
    p = predict_top(power_ladder(4)[:3], power_ladder(4)[3])
    old = {k: v for k, v in p.to_dict().items() if k != "params_non_embedding"}
    old["params"] = 55536.0
    back = TopPrediction.from_dict(old)
    assert back.params_non_embedding == 55536.0 and math.isnan(back.params)
