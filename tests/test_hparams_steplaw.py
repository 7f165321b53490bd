"""Hyperparameter laws on the Step Law sweeps in ../shared (1,746 real runs, 15 cells)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import SHARED

from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep

STEPLAW_CSV = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"

pytestmark = pytest.mark.skipif(
    not STEPLAW_CSV.exists(), reason=f"the shared Step Law sweeps are not at {STEPLAW_CSV}"
)


def test_reads_the_sweeps_and_locates_every_cell() -> None:
    sweep = read_sweep(STEPLAW_CSV, y="smooth loss", seq_len=2048)
    assert sweep.n_cells == 15 and len(sweep.table) == 1746
    assert sweep.columns == {"lr": "lr", "batch": "bs", "loss": "smooth loss"}
    hp = fit_hparams(sweep, bootstrap=100, law="steplaw")  # the default chooses; see below
    assert all(c.bracketed for c in hp.cells)
    # the diverged runs (loss up to 11.1) are named, not deleted
    assert max(len(c.diverged) for c in hp.cells) >= 20
    # the paper's lr* exponent on N is -0.713. On the plain quadratic surfaces (the method
    # before the cubic term) it lies in our interval from these 15 cells; the cubic term moves
    # every cell's lr* up towards its best run, more at the small sizes, and alpha to -0.79
    # [-0.84, -0.73]. Our B* exponent's interval meets the range of its repository's
    # bootstrap (0.57-0.60). The lr* law fitted at the batch the B* law predicts is what
    # brings alpha near the paper (the located optima with equal weights give [-0.91, -0.78]).
    alpha = hp.lr_law.coefs["alpha"]
    assert -0.85 < alpha < -0.713 and hp.lr_law.intervals["alpha"][0] < alpha
    quadratic = fit_hparams(sweep, bootstrap=100, surface="quadratic", law="steplaw")
    lo, hi = quadratic.lr_law.intervals["alpha"]
    assert lo <= -0.713 <= hi
    assert hp.batch_law is not None
    lo, hi = hp.batch_law.intervals["gamma"]
    assert lo <= 0.60 and hi >= 0.57
    equal = fit_hparams(sweep, bootstrap=100, weighting="equal", robust_loss="huber", law="steplaw")
    assert equal.lr_law.intervals["alpha"][1] < -0.713
    # the cubic term: the best run's lr is a median 1.11x the located lr* (1.27x on quadratic
    # surfaces), and a too-high lr costs more than a too-low one
    assert np.median([c.best_lr / c.lr for c in hp.cells]) < 1.15
    assert np.median([c.best_lr / c.lr for c in quadratic.cells]) > 1.2
    assert hp.penalty()["lr x2"] > 1.3 * hp.penalty()["lr /2"]


def test_auto_chooses_an_n_term_in_the_batch_law_on_these_cells() -> None:
    # at a given D the located B* falls with N on these 15 cells; leaving each size out in
    # turn, B*(N, D) predicts the held-out cells with about a third of Step Law's B*(D)
    # regret (0.007% against 0.020%, benchmarks/RESULTS.md), beyond the 25% tie
    hp = fit_hparams(STEPLAW_CSV, y="smooth loss", seq_len=2048, bootstrap=0)
    choice = hp.law_choice
    assert choice is not None and choice.chose and len(choice.sizes) == 4
    assert hp.batch_law is not None and hp.batch_law.formula == "B * N**delta * D**gamma"
    assert hp.lr_law.formula == "A * N**alpha * D**beta" == choice.lr_law
    scores = dict(zip(choice.candidates, choice.median_regret, strict=True))
    step = scores[("A * N**alpha * D**beta", "B * D**gamma")]
    with_n = scores[("A * N**alpha * D**beta", "B * N**delta * D**gamma")]
    assert with_n < 0.5 * step and min(scores.values()) == with_n
    assert hp.batch_law.coefs["delta"] < -0.2


def test_held_out_largest_size_within_a_tenth_of_a_percent() -> None:
    bt = backtest_hparams(STEPLAW_CSV, holdout="top-scales:1", y="smooth loss", seq_len=2048)
    ours = bt.summary("scalinglab")
    assert ours["cells"] == 3
    assert ours["median_regret"] <= 1e-3
    assert ours["median_regret"] < bt.summary("naive")["median_regret"]
    assert ours["median_regret"] < bt.summary("deepseek2024")["median_regret"]
    # off the runs themselves (no surface), the cubic surfaces' laws miss less than the
    # quadratic's (0.118% against 0.141%); the Step Law preset, fitted to these cells and
    # larger ones, misses less still here (0.088%, benchmarks/RESULTS.md)
    quad = backtest_hparams(
        STEPLAW_CSV, holdout="top-scales:1", y="smooth loss", seq_len=2048, surface="quadratic"
    )
    assert ours["median_grid_regret"] < quad.summary("scalinglab")["median_grid_regret"]
