"""Sweeps whose cells do not vary N and D apart (one D, one N, a ladder at D = 20·N): the
laws chosen are the ones the cells identify, a law they do not identify is said, and a
prediction off the cells' design warns (no loss at the optimum where a law leaves it free)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, TRUE, optimum

from scalinglab.hparams import backtest_hparams, fit_hparams
from scalinglab.hparams._laws import fit_law
from scalinglab.hparams._unidentified import law_warnings

LADDER = tuple((n, 20.0 * n) for n in (5e7, 1e8, 2e8, 4e8, 8e8))
ONE_D = tuple((n, 1e10) for n in (5e7, 1e8, 2e8, 4e8, 8e8))
ONE_N = tuple((2e8, d) for d in (2e9, 4e9, 8e9, 1.6e10, 3.2e10))


def best(n: float, d: float) -> float:
    return 2 + 300 * n**-0.3 + 500 * d**-0.3


def cells(pairs: tuple[tuple[float, float], ...]) -> pd.DataFrame:
    """A 9 x 5 lr x batch grid per (N, D) about the true optimum, a bowl in log space."""
    rng = np.random.default_rng(0)
    rows = []
    for n, d in pairs:
        lr0, b0 = optimum(n, d)
        for lr in lr0 * np.sqrt(2.0) ** np.arange(-4, 5):
            for bs in b0 / SEQ_LEN * np.sqrt(2.0) ** np.arange(-2, 3):
                u, v = np.log(lr / lr0), np.log(bs * SEQ_LEN / b0)
                loss = best(n, d) + 0.02 * u * u + 0.01 * v * v + rng.normal(0, 1e-4)
                rows.append({"N": n, "D": d, "lr": lr, "bs": bs, "loss": loss})
    return pd.DataFrame(rows)


def _off(warnings: tuple[str, ...], text: str) -> list[str]:
    return [w for w in warnings if text in w]


def test_a_ladder_at_one_tokens_per_parameter_fits_laws_of_n_alone_and_says_so_once() -> None:
    hp = fit_hparams(cells(LADDER), seq_len=SEQ_LEN, bootstrap=0)
    assert (hp.lr_law.formula, hp.loss_law and hp.loss_law.formula) == ("A * N**alpha", "K * N**a")
    assert hp.batch_law is not None and hp.batch_law.formula == "B * N**delta"
    # along D = 20·N, lr* = 1.79·20^0.307·N^(-0.713 + 0.307)
    assert hp.lr_law.coefs["alpha"] == pytest.approx(TRUE["alpha"] + TRUE["beta"], abs=0.01)
    (note,) = [n for n in hp.notes if "move together" in n]
    assert note == (
        "the fitted cells' N and D move together (every cell lies on D = 20·N^1.00 exactly): "
        "no law can separate how lr*, B* and loss* depend on N from how they depend on D on "
        "this sweep, so lr* = A * N**alpha and B* = B * N**delta, laws of N alone, were "
        "fitted; the laws hold along that curve (a prediction off it says so) — add cells at "
        "other tokens per parameter to separate them"
    )
    assert not hp.warnings and not [n for n in hp.notes if n.startswith("warning: ")]
    on = hp.predict(params=3e8, tokens=6e9)  # on the curve, between the cells
    assert not _off(on.warnings, "curve")
    assert on.loss == pytest.approx(best(3e8, 6e9), rel=0.01)
    assert on.lr == pytest.approx(optimum(3e8, 6e9)[0], rel=0.02)
    off = hp.predict(params=4e8, tokens=4e10)
    (line,) = _off(off.warnings, "curve")
    assert line == (
        "N = 400M, D = 40B lies off the fitted cells' curve D = 20·N^1.00 exactly (there D = "
        "8B at N = 400M, this is 5x that): the sweep moved N and D together, so how lr*, B* "
        "and the loss at the optimum move off that curve is not measured, and neither the "
        "numbers nor their intervals account for it"
    )


def test_a_law_of_n_and_d_on_a_ladder_is_said_once_and_its_loss_star_not_given_off_it() -> None:
    hp = fit_hparams(cells(LADDER), seq_len=SEQ_LEN, bootstrap=0, law="steplaw")
    (warned,) = hp.warnings  # apart from the notes, which hold none
    assert warned.startswith("the lr* law: A, alpha and beta are not identified")
    assert not [n for n in hp.notes if "not identified" in n]
    assert "the laws hold along that curve" in " ".join(hp.notes)  # the design note, once
    # a loss* law of N and D on these cells (as fits made it before): a valley of equal fits
    used = [hp.cells[i] for i in hp.used]
    cols = {c: np.array([x.keys[c] for x in used]) for c in ("params", "tokens")}
    both = fit_law("K * N**a * D**b", "loss", cols, np.array([x.loss for x in used]), None)
    (line,) = law_warnings(None, both, cols=cols)
    assert line.startswith("the loss* law: K, a and b are not identified separately")
    old = replace(hp, loss_law=both)
    on = old.predict(params=3e8, tokens=6e9)  # every fit of the valley agrees on it
    assert on.loss == pytest.approx(best(3e8, 6e9), rel=0.01)
    assert not _off(on.warnings, "not identified")
    far = old.predict(params=1.6e9, tokens=3.2e10)  # along the curve, beyond the cells
    assert np.isfinite(far.loss) and not _off(far.warnings, "not identified")
    off = old.predict(params=4e8, tokens=4e10)
    assert np.isnan(off.loss) and np.isnan(off.loss_interval[0])
    assert (
        "no loss at the optimum: the loss* law K * N**a * D**b is not identified by the "
        "fitted cells (its coefficients are one point of a valley of fits that match them "
        "equally), and at N = 400M, D = 40B its value moves along that valley, so any value "
        "there fits them equally"
    ) in off.warnings
    (lr_line,) = _off(off.warnings, "the lr* law")
    assert lr_line.startswith("the lr* law A * N**alpha * D**beta is not identified by the")
    assert lr_line.endswith("fit a law the cells identify (--law auto, law='auto')")


def test_a_redundant_coefficient_warns_at_the_fit_but_not_at_a_prediction() -> None:
    pairs = tuple((n, d) for n in (1e8, 2e8, 4e8) for d in (4e9, 1e10, 3e10))
    hp = fit_hparams(
        cells(pairs), seq_len=SEQ_LEN, bootstrap=0, lr_law="A * N**alpha * D**beta * X"
    )
    assert any(w.startswith("the lr* law: A and X are not identified") for w in hp.warnings)
    # A·X is fixed, whichever A: every prediction is, far from the cells too
    assert not _off(hp.predict(params=7e9, tokens=1.4e12).warnings, "not identified")


def test_one_token_budget_fits_laws_of_n_alone_and_warns_at_another_d() -> None:
    hp = fit_hparams(cells(ONE_D), seq_len=SEQ_LEN, bootstrap=0)
    assert hp.lr_law.formula == "A * N**alpha" and hp.law_choice is None
    assert hp.batch_law is not None and hp.batch_law.formula == "B * N**delta"
    assert hp.lr_law.coefs["alpha"] == pytest.approx(TRUE["alpha"], abs=0.01)
    assert (
        "every fitted cell has tokens = 10B: the dependence on D is not measured, so lr* = "
        "A * N**alpha and B* = B * N**delta, laws of N alone, were fitted; the laws hold at D "
        "= 10B (a prediction at another D says so) — add cells at other token counts to "
        "measure it"
    ) in hp.notes
    at = hp.predict(params=3e8, tokens=1e10)
    assert not _off(at.warnings, "did not vary")
    assert at.lr == pytest.approx(optimum(3e8, 1e10)[0], rel=0.02)
    (line,) = _off(hp.predict(params=3e8, tokens=1e11).warnings, "did not vary")
    assert line == (
        "D = 100B, and every fitted cell has D = 10B: the sweep did not vary D, so how lr*, "
        "B* and the loss at the optimum move with D is not measured, and neither the numbers "
        "nor their intervals account for it"
    )
    # a law of C named: fitted as named (C = 6·N·D moves with N alone here), and said
    named = fit_hparams(cells(ONE_D), seq_len=SEQ_LEN, bootstrap=0, law="compute")
    assert named.lr_law.formula == "A * C**alpha"
    assert any(n.startswith("every fitted cell has tokens = 10B: the dependence on D is not "
                            "measured; the laws hold at D = 10B") for n in named.notes)  # fmt: skip
    assert _off(named.predict(params=3e8, tokens=1e11).warnings, "did not vary")


def test_one_model_size_fits_laws_of_d_alone_as_one_budget_fits_laws_of_n() -> None:
    hp = fit_hparams(cells(ONE_N), seq_len=SEQ_LEN, bootstrap=0)
    assert (hp.lr_law.formula, hp.batch_law and hp.batch_law.formula) == (
        "A * D**beta",
        "B * D**gamma",
    )
    assert hp.lr_law.coefs["beta"] == pytest.approx(TRUE["beta"], abs=0.01)
    assert any(n.startswith("every fitted cell has params = 200M: the dependence on N is not "
                            "measured, so lr* = A * D**beta") for n in hp.notes)  # fmt: skip
    (line,) = _off(hp.predict(params=1e9, tokens=1e10).warnings, "did not vary")
    assert line.startswith("N = 1B, and every fitted cell has N = 200M: the sweep did not vary N")


def test_a_backtest_on_one_budget_fits_the_laws_of_n_alone_too() -> None:
    bt = backtest_hparams(cells(ONE_D), seq_len=SEQ_LEN, holdout="top-scales:1", presets=())
    assert any(n.startswith("every fitted cell has tokens = 10B") for n in bt.notes)
    assert bt.summary("scalinglab")["median_regret"] < 1e-4


#: One model size give or take 0.8% (as jitter in a parameter count leaves it), D 2B to 32B.
NEAR_N = tuple((2e8 * (1 + 0.002 * k), 2e9 * 2.0**k) for k in range(5))


def test_a_model_size_barely_varied_is_read_as_one_and_laws_of_d_fitted() -> None:
    hp = fit_hparams(cells(NEAR_N), seq_len=SEQ_LEN, bootstrap=0)  # was a curve of N: failed
    assert (hp.lr_law.formula, hp.batch_law and hp.batch_law.formula) == (
        "A * D**beta",
        "B * D**gamma",
    )
    assert hp.loss_law is not None and hp.loss_law.formula == "K * D**b"
    assert hp.lr_law.coefs["beta"] == pytest.approx(TRUE["beta"], abs=0.01)
    assert (
        "every fitted cell has params = 200M to 202M (0.8% apart: too close to measure it): "
        "the dependence on N is not measured, so lr* = A * D**beta and B* = B * D**gamma, laws "
        "of D alone, were fitted; the laws hold at N = 201M (a prediction at another N says "
        "so) — add cells at other model sizes to measure it"
    ) in hp.notes
    assert not _off(hp.predict(params=2e8, tokens=1e10).warnings, "varied")
    (line,) = _off(hp.predict(params=1e9, tokens=1e10).warnings, "varied")
    assert line.startswith(
        "N = 1B, and every fitted cell has N = 200M to 202M: the sweep barely varied N (0.8%), "
        "so how lr*, B* and the loss at the optimum move with N is not measured"
    )


def test_on_a_curve_where_d_moves_more_the_laws_are_of_d_alone() -> None:
    # D = 2B·(N/100M)^7: N spans 46%, D 14x, on one power curve
    pairs = tuple((1e8 * 1.1**k, 2e9 * 1.1 ** (7 * k)) for k in range(5))
    hp = fit_hparams(cells(pairs), seq_len=SEQ_LEN, bootstrap=0)
    assert hp.lr_law.formula == "A * D**beta" and hp.batch_law is not None
    assert hp.batch_law.formula == "B * D**gamma"
    assert hp.loss_law is not None and hp.loss_law.formula == "K * D**b"
    # along the curve N = 100M·(D/2B)^(1/7): lr* moves as D^(beta + alpha/7)
    assert hp.lr_law.coefs["beta"] == pytest.approx(TRUE["beta"] + TRUE["alpha"] / 7, abs=0.01)
    (note,) = [n for n in hp.notes if "move together" in n]
    assert "lr* = A * D**beta and B* = B * D**gamma, laws of D alone, were fitted" in note


def test_two_cells_are_not_called_a_curve() -> None:
    # two points lie on one power curve whatever the design: nothing to say of it
    two = cells(((1e8, 2e9), (4e8, 2e10)))
    hp = fit_hparams(
        two, seq_len=SEQ_LEN, bootstrap=0, lr_law="A * N**-0.7 * D**0.3", batch_law="B * D**0.57"
    )
    assert not [n for n in hp.notes if "move together" in n]
    assert not _off(hp.predict(params=2e8, tokens=2e10).warnings, "curve")


def test_a_backtest_warns_a_law_its_training_cells_do_not_identify_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cells(LADDER)
    bt = backtest_hparams(frame, seq_len=SEQ_LEN, holdout="top-scales:1", presets=(), law="steplaw")
    (warned,) = _off(bt.warnings, "not identified")  # as fit_hparams warns it, once
    assert warned.startswith("the lr* law: A, alpha and beta are not identified")
    (fitted,) = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, law="steplaw").warnings
    # the same words; the Jacobian's singular-value ratio is of the fit's 5 cells, not 4
    assert warned.partition(" (the Jacobian")[0] == fitted.partition(" (the Jacobian")[0]
    path = tmp_path / "ladder.csv"
    frame.to_csv(path, index=False)
    args = ("hparams", "backtest", str(path), "--seq-len", str(SEQ_LEN), "--law", "steplaw")
    code, out, err = cli(capsys, *args, "--preset", "steplaw2025")
    assert code == 0, err
    assert out.count("warning: the lr* law: A, alpha and beta are not identified") == 1
    code, out, err = cli(capsys, *args, "--preset", "steplaw2025", "--json")
    assert code == 0, err
    assert json.loads(out)["warnings"] == list(bt.warnings)
    assert err.count("warning: the lr* law: A, alpha and beta are not identified") == 1
