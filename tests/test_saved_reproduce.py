"""Saved results record what reproduces them under fit's names: ``seed``, ``n_bootstrap``
and ``solver`` in a backtest, a curve fit and an hparams fit (each of its laws' solver
too; an IsoFLOP analysis, which runs no law solver, its seed beside ``n_bootstrap``);
older files without them still load (``None``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._chinchilla_draws import BUDGETS, isoflop_runs
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import CurveFit, HparamFit
from scalinglab._builds import solver_line
from scalinglab.curves import Tissue

SOLVER = solver_line().split()[1]  # the solver this machine's fits use


@pytest.mark.heavy
def test_backtest_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "backtest", "--bootstrap", "20", "--seed", "4", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["seed"], data["n_bootstrap"], data["solver"]) == (4, 20, SOLVER)


def test_isoflop_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs().to_csv(path, index=False)
    budgets = ",".join(f"{b:.6g}" for b in BUDGETS)
    args = ("--budgets", budgets, "--tolerance", "0.1", "--bootstrap", "30", "--seed", "5")
    code, out, err = cli(capsys, "isoflop", str(path), *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["seed"], data["n_bootstrap"]) == (5, 30)


def test_curve_fit_file_and_an_older_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=0.002, seed=0, every=100)
    path, saved = _write_curves(tmp_path / "curves.csv", curves), tmp_path / "curve.json"
    args = ("--law", "tissue", "--bootstrap", "20", "--seed", "6", "--out", str(saved))
    code, _, err = cli(capsys, "curves", "fit", str(path), *args)
    assert code == 0, err
    data = json.loads(saved.read_text())
    # a curve law's objective has no compiled form: the NumPy solver, said as fit says it
    assert (data["seed"], data["n_bootstrap"]) == (6, 20) and data["solver"] in ("numpy", SOLVER)
    fit = CurveFit.load(saved)
    assert (fit.seed, fit.n_bootstrap, fit.solver) == (6, 20, data["solver"])
    for key in ("seed", "n_bootstrap", "solver"):
        del data[key]
    saved.write_text(json.dumps(data))
    old = CurveFit.load(saved)
    assert (old.seed, old.n_bootstrap, old.solver) == (None, None, None)


def test_hparams_fit_file_has_seed_at_the_top(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, saved = tmp_path / "sweep.csv", tmp_path / "hp.json"
    sweep(1).to_csv(path, index=False)
    args = ("--bootstrap", "40", "--seed", "7", "--out", str(saved))
    code, _, err = cli(capsys, "hparams", "fit", str(path), *args)
    assert code == 0, err
    data = json.loads(saved.read_text())
    assert (
        (data["seed"], data["n_bootstrap"])
        == (7, 40)
        == (
            data["settings"]["seed"],
            data["settings"]["bootstrap"],
        )
    )
    # its laws are products of powers: the closed form or the NumPy solver, as fit names it
    laws = [data[k]["solver"] for k in ("lr_law", "batch_law", "loss_law") if data[k]]
    assert data["solver"] in ("numpy", SOLVER) and set(laws) <= {"numpy", SOLVER, "closed-form"}
    assert data["solver"] == ", ".join(dict.fromkeys(s for s in laws if s != "closed-form"))
    hp = HparamFit.load(saved)
    assert (hp.settings["seed"], hp.solver, hp.lr_law.solver) == (7, data["solver"], laws[0])
    del data["solver"]
    for key in ("lr_law", "batch_law", "loss_law"):
        if data[key]:
            del data[key]["solver"]
    saved.write_text(json.dumps(data))
    old = HparamFit.load(saved)
    assert (old.settings["seed"], old.solver, old.lr_law.solver) == (7, None, None)
