"""Every public result prints short in a notebook: one line (a few hundred characters) with
the class, the law, the key numbers, the counts and the source, never an array or a nested
run table. Their dataclass reprs ran to 5,000-170,000 characters (a backtest printed its whole
run table twice, a curve fit every residual)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import isoflop_runs
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab
from scalinglab._format import format_g
from scalinglab.curves import Tissue, backtest_curves
from scalinglab.data import read_curves
from scalinglab.downstream import plan_for_accuracy, read_evals
from scalinglab.hparams import backtest_hparams, read_sweep
from scalinglab.ladder import CurvePoint, RungResult
from scalinglab.plan import Estimate
from scalinglab.store import EvalsWritten, PutSummary
from scalinglab.validate import calibrate, choose_law, split_runs

SHORT = 400  # characters


def _check(obj: Any, *parts: str) -> str:
    text = repr(obj)
    name = type(obj).__name__
    assert text.startswith(f"{name}("), text
    assert len(text) < SHORT and "\n" not in text, f"{name}: {len(text)} characters"
    assert "array(" not in text and "RunTable(" not in text[1:], text
    for part in parts:
        assert part in text, f"{part!r} not in {text}"
    return text


@pytest.fixture(scope="module")
def runs() -> scalinglab.RunTable:
    return scalinglab.bundled_runs()


def test_runs_fits_predictions_and_plans(runs: scalinglab.RunTable) -> None:
    _check(runs, "31 runs", "params 10.6M-412M", "loss", "labels: dataset", "overtraining-c4")
    _check(runs.select(runs["params"] < 2e8), "24 of 31 runs", "params 10.6M-154M")
    fit = scalinglab.fit("chinchilla", runs, bootstrap=20)
    _check(fit, f"alpha={fit.coefs['alpha']:.5g}", "status='converged'", "runs=31")
    _check(fit.extrapolation, "kind=", "sigma=")
    one = fit.predict(params=7e9, tokens=1.4e12)
    _check(one, f"loss={float(one.loss[0]):.5g}", "at 90%", "interval_kind=")
    _check(fit.predict(params=np.geomspace(1e8, 1e10, 500), tokens=1e11), "500 points")
    plan = scalinglab.optimal_allocation(fit, flops=1e23)
    _check(plan, "flops=1e23", f"params={format_g(plan.params.value, 5)} [", "level=0.9")
    assert repr(Estimate(2.0, 1.0, 3.0)) == "Estimate(2 [1, 3])"
    assert Estimate(2.0, 1.0, 3.0) == Estimate(2.0, 1.0, 3.0)  # equality is the dataclass's


@pytest.mark.heavy
def test_backtests_and_law_choices(runs: scalinglab.RunTable) -> None:
    bt = scalinglab.backtest(runs, law="chinchilla", bootstrap=20)
    _check(
        bt, "law='chinchilla'", "holdout='top-decile'", "held_out=4", "median_are=", "coverage={"
    )
    _check(bt.split, "fitted=27 runs", "held_out=4 runs", "column='flops'")
    cmp = scalinglab.compare(runs, laws=["chinchilla", "kaplan"], bootstrap=20)
    _check(cmp, f"winner={cmp.winner.law!r}", "chinchilla: ", "kaplan: ")  # type: ignore[union-attr]
    _check(cmp.laws[0], "LawScore(law='chinchilla'", "median_are=", "bic=")
    rolling = scalinglab.rolling_backtest(runs, law="chinchilla", bootstrap=20)
    _check(rolling, f"{len(rolling.steps)} steps", "median ARE by step [")
    _check(choose_law(runs), "chosen=", "chinchilla: ", "overtraining: ")
    _check(split_runs(runs, "largest:5"), "held_out=5 runs", "holdout='largest:5'")


def test_isoflop_envelope_and_calibration() -> None:
    iso = scalinglab.isoflop(isoflop_runs(seed=0), bootstrap=100)
    _check(iso, f"a={iso.params_law.exponent.value:.5g} [", "budgets=5 (5 used)")
    _check(iso.budgets[0], "BudgetFit(flops=1e18", "6 runs", "params_opt=")
    _check(iso.params_law, "PowerLawFit(params: exponent=", "samples=100")
    env = scalinglab.envelope(law_curves(HOFFMANN, sizes=8), bootstrap=50)
    _check(env, "runs=8", "bootstrap=50", "source='<DataFrame> (8 runs)'")
    _check(read_curves(law_curves(HOFFMANN, sizes=8)), "8 runs", "640 points")
    _check(calibrate(replicates=1, bootstrap=20), "replicates=1", "coverage at 90%")


def test_curves_and_their_fits() -> None:
    curves = _synthetic(Tissue(), {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}, SPECS, noise=2e-3, seed=3)  # fmt: skip
    _check(curves[0], "run='run0'", "112 points", "schedule=Schedule(cosine")
    assert len(repr(curves)) < len(curves) * SHORT  # the list of curves too
    fit = scalinglab.fit_curves(curves[:3], law="tissue", bootstrap=10)
    _check(fit, "law='tissue'", f"L0={fit.coefs['L0']:.5g}", "curves=3", "bootstrap=10")
    _check(fit.predict(curves[3].schedule), "steps", "final loss", "at 90%")
    bt = backtest_curves(curves, train=["run0", "run1", "run2"], law="tissue")
    _check(bt, "law='tissue'", "trained on run0, run1, run2", "run3: ")


@pytest.mark.heavy
def test_downstream_chains_and_backtests() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = scalinglab.fit_downstream(evals, bootstrap=20)  # the repr says the count: any
    text = _check(chain, "via='loss'", "3 tasks", "20 models", "bootstrap=20")
    assert f"loss law {chain.loss_step.law.name!r}" in text
    _check(chain.loss_step, "status=", "bootstrap=20")
    _check(chain.tasks["task"], "task='task'", "chance=0.25", "k=")
    _check(chain.tasks["hellaswag"], "refused: ")
    # the compute for a score: each number to 5 significant figures, not raw tuples
    plan = plan_for_accuracy(chain, "task", 0.6)
    flops, lower, upper = plan.flops
    text = _check(plan, "task='task'", "target=0.6", "level=0.9", "params=", "tokens=")
    assert f"flops={format_g(flops, 5)} [{format_g(lower, 5)}, {format_g(upper, 5)}]" in text
    assert len(text) < 250
    bt = scalinglab.backtest_downstream(
        evals, holdout="params>=2e8", bootstrap=20, max_backtest_error=None
    )
    _check(bt, "holdout='params>=2e8'", "5 held out", "task: ")
    _check(bt.tasks["task"], "5 models", "abs_error=", "coverage=")


def test_hyperparameter_fits_and_backtests() -> None:
    frame = sweep(1)
    _check(read_sweep(frame, seq_len=SEQ_LEN), "runs in", "cells by params, tokens")
    hp = scalinglab.fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=50)
    # the optimal batch as `hparams fit` and the hparams page name it: B*, never batch*
    assert "batch*" not in _check(hp, "lr*: ", "B*: ", f"{len(hp.cells)} cells used")
    _check(hp.lr_law, "HparamLaw(lr: ", "status=")
    assert "batch*" not in _check(hp.cells[0], "lr*=", "B*=", "runs", "status='ok'")
    _check(hp.predict(params=7e9, tokens=1.4e12), "params=7e9", "lr=", "level=0.9")
    bt = backtest_hparams(frame, seq_len=SEQ_LEN)
    _check(bt, "holdout='top-scales:1'", "median regret {scalinglab: ")
    if bt.law_choice is not None:
        _check(bt.law_choice, "lr_law=", "candidates")


def test_store_and_ladder_records_show_counts() -> None:
    names = tuple(f"run-{i}" for i in range(5000))
    written = EvalsWritten(added=5000, updated=0, unchanged=0, runs=names)
    _check(written, "added=5000", "runs=5000")
    _check(PutSummary(added=names, curve_points=10**6, evals=written), "added=5000", "evals=")
    curve = tuple(CurvePoint(step=i, tokens=4096 * i, lr=3e-4, train_loss=3.0, eval_loss=None) for i in range(1, 3001))  # fmt: skip
    rung = RungResult(
        run_id="r1", name="tiny", status="finished", steps=3000, tokens=4096 * 3000,
        train_loss=3.0, loss=3.1, wall_s=12.5, tokens_per_s=1e6, mfu=None, hardware="cpu",
        software={"torch": "2"}, corpus="c", corpus_hash="h", resumed_from_step=None,
        curve=curve,
    )  # fmt: skip
    _check(rung, "run_id='r1'", "curve=3000 points", " loss=3.1")


def test_a_preset_prediction_shows_no_missing_loss_or_level() -> None:
    import scalinglab

    text = repr(scalinglab.get_hparam_preset("steplaw2025").predict(params="7B", tokens="1.4T"))
    assert "nan" not in text and "lr=" in text and "tokens)" in text


def test_put_summary_fields_keep_their_positions() -> None:
    """``filled`` came last, with a default: a summary built by position (added, updated,
    unchanged, moved, ...) reads as it did before it was added."""
    from dataclasses import fields

    summary = PutSummary(("a",), ("b",), ("c",), ("d",))
    assert (summary.unchanged, summary.moved, summary.filled) == (("c",), ("d",), ())
    assert [f.name for f in fields(PutSummary)][-1] == "filled"
    assert PutSummary(filled=("e",)).to_dict()["filled"] == ["e"]
