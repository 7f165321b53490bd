"""One default for the bootstrap, in the Python API and on the command line: 200 resamples."""

from __future__ import annotations

import inspect
import json

import pytest
import typer
from tests.conftest import chinchilla_runs

from scalinglab import fit
from scalinglab._defaults import BOOTSTRAP
from scalinglab.cli import main
from scalinglab.cli._app import app
from scalinglab.validate import backtest


def _option_default(command: str, name: str) -> object:
    click_app = typer.main.get_command(app)
    cmd = click_app.commands[command]  # type: ignore[attr-defined]
    return next(p.default for p in cmd.params if p.name == name)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_fit_and_the_cli_share_the_bootstrap_default(capsys) -> None:  # type: ignore[no-untyped-def]
    assert BOOTSTRAP == 200
    # fit resolves its default when it runs: BOOTSTRAP, or with resamples= every one given
    # (tests/test_fit_resamples.py)
    assert inspect.signature(fit).parameters["bootstrap"].default is None
    assert inspect.signature(backtest).parameters["bootstrap"].default == BOOTSTRAP
    assert _option_default("backtest", "bootstrap") == BOOTSTRAP
    # `fit` resolves its default when it runs: BOOTSTRAP, or with --from-curves the curve
    # fits' (tests/test_fit_from_curves.py)
    assert _option_default("fit", "bootstrap") is None
    assert main(["fit", "--json", "--no-compare"]) == 0
    assert json.loads(capsys.readouterr().out)["n_bootstrap"] == BOOTSTRAP


def test_curve_fits_share_their_bootstrap_default_with_the_cli() -> None:
    from scalinglab import fit_curves
    from scalinglab._defaults import CURVE_BOOTSTRAP

    assert CURVE_BOOTSTRAP == 100
    assert inspect.signature(fit_curves).parameters["bootstrap"].default == CURVE_BOOTSTRAP
    curves = typer.main.get_command(app).commands["curves"]  # type: ignore[attr-defined]
    fit_cmd = curves.commands["fit"]
    assert next(p.default for p in fit_cmd.params if p.name == "bootstrap") == CURVE_BOOTSTRAP


def test_fit_gives_intervals_by_default() -> None:
    runs = chinchilla_runs(outliers=0)
    result = fit("power-law-plus-constant", runs, extrapolation=False)
    assert result.n_bootstrap == BOOTSTRAP
    assert result.samples is not None and len(result.samples) == BOOTSTRAP
    lo, hi = result.intervals["alpha"]
    assert lo < result.coefs["alpha"] < hi
    pred = result.predict(params=1e11)
    assert pred.lower[0] < pred.loss[0] < pred.upper[0]


def test_one_solver_step_default() -> None:
    from scalinglab import fit_curves
    from scalinglab._defaults import MAX_ITER
    from scalinglab.curves._fit import fit_law_to_curves
    from scalinglab.fit._cuts import fit_cuts
    from scalinglab.fit._solver import minimize
    from scalinglab.hparams._laws import fit_law

    assert MAX_ITER == 300
    for f in (fit, fit_cuts, minimize, fit_law, fit_curves, fit_law_to_curves):
        assert inspect.signature(f).parameters["max_iter"].default == MAX_ITER, f.__name__
