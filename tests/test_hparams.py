"""Hyperparameter laws on synthetic sweeps drawn from a known surface: cells, laws, presets."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, TRUE, optimum, sweep

from scalinglab import ConfigError, DataError
from scalinglab.hparams import (
    HparamFit,
    backtest_hparams,
    fit_hparams,
    get_hparam_preset,
    locate_optima,
    read_sweep,
)
from scalinglab.ladder._rules import batch_tokens, learning_rate


@pytest.fixture(scope="module")
def fitted() -> HparamFit:
    # one sweep; how often the 90% intervals cover over many is test_interval_coverage
    return fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=200)


def test_known_laws_recovered_within_their_intervals(fitted: HparamFit) -> None:
    for law, names in ((fitted.lr_law, ("alpha", "beta")), (fitted.batch_law, ("gamma",))):
        assert law is not None
        for name in names:
            lo, hi = law.intervals[name]
            assert lo <= TRUE[name] <= hi, (name, law.intervals[name])
            assert abs(law.coefs[name] - TRUE[name]) < 0.02
    assert fitted.used == tuple(range(12))


def test_noise_free_cell_optimum_is_the_bowl_vertex() -> None:
    # a quadratic bowl in (log lr, log batch) is fitted exactly: the vertex is the truth
    cells = locate_optima(read_sweep(sweep(1, noise=0.0), seq_len=SEQ_LEN), bootstrap=0)
    for cell in cells:
        lr0, b0 = optimum(cell.keys["params"], cell.keys["tokens"])
        assert cell.lr == pytest.approx(lr0, rel=1e-8)
        assert cell.batch == pytest.approx(b0, rel=1e-8)
        assert cell.bracketed and cell.two_d


def test_diverged_runs_are_named_never_dropped_silently() -> None:
    frame = sweep(2)
    cells = locate_optima(read_sweep(frame, seq_len=SEQ_LEN), bootstrap=0)
    diverged = frame[~(frame["loss"] < 5)]  # loss 7 or NaN
    assert sum(len(c.diverged) for c in cells) == len(diverged) > 0
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    assert any(f"{len(diverged)} diverged runs" in n for n in hp.notes)


def test_flatness_penalty_is_the_closed_form(fitted: HparamFit) -> None:
    pred = fitted.predict(params=7e9, tokens=1.4e12)
    # loss = L*(1 + h/2 u^2): lr x2 costs h/2 (ln 2)^2 of L*, with h_uu = 0.02, h_vv = 0.012
    assert pred.penalty["lr x2"] == pytest.approx(0.5 * 0.02 * math.log(2) ** 2, rel=0.05)
    assert pred.penalty["batch /2"] == pytest.approx(0.5 * 0.012 * math.log(2) ** 2, rel=0.05)
    lr0, _ = optimum(7e9, 1.4e12)
    assert pred.lr_interval[0] <= lr0 * 1.05 and lr0 * 0.95 <= pred.lr_interval[1]
    assert pred.batch_sequences == pytest.approx(pred.batch / SEQ_LEN)
    assert pred.lr == pytest.approx(lr0, rel=0.15)


def test_save_load_round_trip(fitted: HparamFit, tmp_path: Path) -> None:
    path = tmp_path / "hp.json"
    fitted.save(path)
    again = HparamFit.load(path)
    assert again.predict(params=1e9, tokens=2e10) == fitted.predict(params=1e9, tokens=2e10)
    assert again.cells[3].lr == fitted.cells[3].lr
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(DataError, match="not a hyperparameter fit"):
        HparamFit.load(tmp_path / "bad.json")
    (tmp_path / "cut.json").write_text('{"format": "scalinglab.hparams/1", "cells": []}')
    with pytest.raises(DataError, match="missing or malformed field"):
        HparamFit.load(tmp_path / "cut.json")


def test_unbracketed_cells_are_flagged_and_left_out() -> None:
    frame = sweep(3)
    edge = sweep(3, edge=True)
    edge["params"] *= 1.5  # twelve more cells whose grid stops below the optimum
    both = fit_hparams(__import__("pandas").concat([frame, edge]), seq_len=SEQ_LEN, bootstrap=0)
    flagged = [c for c in both.cells if not c.bracketed]
    assert len(flagged) == 12
    assert all("highest lr" in c.status for c in flagged)
    assert len(both.used) == 12
    assert sum("left out of the laws" in n for n in both.notes) == 12
    with pytest.raises(DataError, match="every one of the 12 cells is unbracketed"):
        fit_hparams(edge, seq_len=SEQ_LEN, bootstrap=0)


def test_bad_input_each_says_what_and_where() -> None:
    frame = sweep(4)
    with pytest.raises(DataError, match="no learning-rate column"):
        read_sweep(frame.rename(columns={"lr": "eta"}))
    bad = frame.copy()
    bad.loc[5, "lr"] = -1e-3
    with pytest.raises(DataError, match=r"learning rate is -0\.001") as err:
        read_sweep(bad)
    assert err.value.row == 6 and err.value.column == "lr"
    bad = frame.copy()
    bad.loc[7, "bs"] = 0
    with pytest.raises(DataError, match="batch is 0"):
        read_sweep(bad)
    single = frame[frame["lr"] == frame.groupby(["params", "tokens"])["lr"].transform("min")]
    with pytest.raises(DataError, match="single learning rate"):
        fit_hparams(single, bootstrap=0)
    few = frame[frame["params"] == 1e8]  # three cells, Step Law's lr law has three parameters
    with pytest.raises(DataError, match="at least 4"):
        fit_hparams(few, law="steplaw", bootstrap=0)
    with pytest.raises(ConfigError, match="steplaw2025, deepseek2024, porian2024"):
        get_hparam_preset("steplaw")


def test_presets_are_their_papers_formulas() -> None:
    step = get_hparam_preset("steplaw2025").predict(params=1e9, tokens=1e11)
    # the dataset README's check: B* at D = 1e11 is about 1.1M tokens (540 sequences)
    assert step.batch == pytest.approx(0.58 * 1e11**0.571)
    assert 1.05e6 < step.batch < 1.15e6
    assert step.lr == pytest.approx(1.79 * 1e9**-0.713 * 1e11**0.307)
    deep = get_hparam_preset("deepseek2024").predict(params=1e9, tokens=1e11, flops=1e21)
    assert deep.lr == pytest.approx(0.3118 * 1e21**-0.125)
    assert deep.batch == pytest.approx(0.2920 * 1e21**0.3271)
    por = get_hparam_preset("porian2024").predict(params=3e8, tokens=6e9)
    assert por.lr == learning_rate(3e8) and por.batch == batch_tokens(3e8)


def test_backtest_beats_the_raw_argmin_on_a_known_surface() -> None:
    bt = backtest_hparams(sweep(5), holdout="top-scales:1", seq_len=SEQ_LEN)
    assert set(bt.methods) == {"scalinglab", "naive", "steplaw2025", "deepseek2024"}
    ours, naive = bt.summary("scalinglab"), bt.summary("naive")
    assert ours["cells"] == 3
    assert ours["median_regret"] < naive["median_regret"]
    assert ours["median_regret"] < 2e-4
    # the synthetic truth is Step Law's own numbers: its preset has (nearly) no regret
    assert bt.summary("steplaw2025")["median_regret"] < 1e-4
    assert np.isfinite(ours["median_grid_regret"])


@pytest.mark.slow
def test_interval_coverage_over_sixty_sweeps() -> None:
    # 90% intervals of alpha, beta, gamma over 60 sweeps: within 5 points of nominal
    hits = {"alpha": 0, "beta": 0, "gamma": 0}
    for k in range(60):
        hp = fit_hparams(sweep(1000 + k), seq_len=SEQ_LEN, bootstrap=200, seed=k)
        assert hp.batch_law is not None
        for name in hits:
            law = hp.batch_law if name == "gamma" else hp.lr_law
            lo, hi = law.intervals[name]
            hits[name] += lo <= TRUE[name] <= hi
    for name, count in hits.items():
        assert abs(count / 60 - 0.9) <= 0.05, (name, count)


def test_compute_form_and_user_formulas() -> None:
    frame = sweep(6)
    hp = fit_hparams(frame, law="compute", seq_len=SEQ_LEN, bootstrap=0)
    assert hp.lr_law.formula == "A * C**alpha" and hp.batch_law is not None
    # lr* = A N^a D^b with D = k N, so along each tokens-per-param ratio lr* is a power of C
    assert hp.lr_law.coefs["alpha"] < 0 < hp.batch_law.coefs["gamma"]
    custom = fit_hparams(
        frame, lr_law="A * N**alpha", batch_law="B * D**gamma", seq_len=SEQ_LEN, bootstrap=0
    )
    assert custom.lr_law.formula == "A * N**alpha"
    # grouping by any column: one cell per (params, tokens) is the same as by (tokens, params)
    swapped = fit_hparams(frame, by=("tokens", "params"), seq_len=SEQ_LEN, bootstrap=0)
    base = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)
    assert swapped.lr_law.coefs["alpha"] == pytest.approx(base.lr_law.coefs["alpha"])


def test_tracker_ingest_carries_lr_and_batch_from_run_configs(tmp_path: Path) -> None:
    from scalinglab import ingest
    from scalinglab.store import RunStore

    frame = sweep(7)
    frame = frame[frame["loss"] < 5].reset_index(drop=True)  # W&B reports finished runs
    export = frame.rename(
        columns={
            "params": "model.n_params",
            "tokens": "tokens_seen",
            "loss": "eval/loss",
            "lr": "learning_rate",
            "bs": "batch_size",
        }
    )
    export.insert(0, "Name", [f"run-{k}" for k in range(len(export))])
    export.insert(1, "State", "finished")
    export.to_csv(tmp_path / "wandb_export.csv", index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(tmp_path / "wandb_export.csv", store=store.path)
    assert result.mapping["lr"] == "learning_rate" and result.mapping["batch"] == "batch_size"
    table = store.to_run_table()
    assert table.has("lr") and table.has("batch")
    swept = read_sweep(table, seq_len=SEQ_LEN)
    assert swept.columns["lr"] == "lr" and swept.n_cells == 12
    direct = read_sweep(frame, seq_len=SEQ_LEN)
    # the same runs: each run's lr and batch survive the trip through the tracker and the store
    np.testing.assert_allclose(np.sort(swept.lr * swept.batch), np.sort(direct.lr * direct.batch))
