"""Figures: every kind of law draws, the file is what its suffix says, SIMULATED is in the
title, the frontier matches the closed form, and matplotlib stays out of ``import scalinglab``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import isoflop_runs

import scalinglab
from scalinglab import ConfigError, FitResult, RunTable
from scalinglab.report import plot_fit
from scalinglab.report._plot import _frontier


def _frame(seed: int = 2) -> pd.DataFrame:
    """30 IsoFLOP runs from the Chinchilla law with TRUTH and 1% noise."""
    return isoflop_runs(seed=seed).drop(columns="flops")


@pytest.fixture(scope="module")
def runs() -> RunTable:
    return scalinglab.read_runs(_frame())


@pytest.fixture(scope="module")
def chinchilla(runs: RunTable) -> FitResult:
    return scalinglab.fit("chinchilla", runs, bootstrap=20)


@pytest.mark.heavy
def test_law_in_n_and_d(tmp_path: Path, runs: RunTable, chinchilla: FitResult) -> None:
    path = plot_fit(chinchilla, runs, tmp_path / "fit.png", budgets=[1e21, 1e23])
    assert path == tmp_path / "fit.png"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_one_variable_law(tmp_path: Path, runs: RunTable) -> None:
    result = scalinglab.fit("power-law-plus-constant", runs, bootstrap=20)
    path = plot_fit(result, runs, tmp_path / "fit.pdf")
    assert path.read_bytes().startswith(b"%PDF")


def test_other_laws_get_observed_against_fitted(tmp_path: Path, runs: RunTable) -> None:
    result = scalinglab.fit("E + A*N**-alpha + B*C**-gamma", runs, bootstrap=0)
    path = plot_fit(result, runs, tmp_path / "fit.svg")
    assert b"<svg" in path.read_bytes()


def test_title_says_simulated(tmp_path: Path) -> None:
    import matplotlib

    table = scalinglab.simulated_runs()
    result = scalinglab.fit("power-law-plus-constant", table, bootstrap=0)
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # keep text as text
        svg = plot_fit(result, table, tmp_path / "sim.svg").read_text()
    assert "SIMULATED DATA" in svg


def test_bad_suffix(tmp_path: Path, runs: RunTable, chinchilla: FitResult) -> None:
    with pytest.raises(ConfigError, match=r"\.jpeg"):
        plot_fit(chinchilla, runs, tmp_path / "fit.jpeg")
    assert not (tmp_path / "fit.jpeg").exists()


def test_frontier_matches_closed_form(chinchilla: FitResult) -> None:
    """The plotted L*(C) = Hoffmann et al. 2022 eq. 4, written out independently here."""
    p = chinchilla.coefs
    E, A, B, a, b = p["E"], p["A"], p["B"], p["alpha"], p["beta"]
    compute = np.geomspace(1e18, 1e25, 8)
    G = (a * A / (b * B)) ** (1 / (a + b))
    n_opt = G * (compute / 6) ** (b / (a + b))
    d_opt = compute / (6 * n_opt)
    exact = E + A * n_opt**-a + B * d_opt**-b
    value, lower, upper, kind = _frontier(chinchilla, compute)
    assert kind in ("backtest-calibrated", "bootstrap")  # the band of a run, named
    np.testing.assert_allclose(value, exact, rtol=1e-7)
    assert np.all(lower <= value + 1e-9) and np.all(value <= upper + 1e-9)


def test_import_stays_light() -> None:
    code = "import sys, scalinglab, scalinglab.cli, scalinglab.report; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
