"""benchmarks/_machine.py: the machine line names the solver build that runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _machine import describe, solver_build
from scalinglab._builds import available


def test_the_line_names_the_numpy_solver_when_it_is_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCALINGLAB_SOLVER", "numpy")
    line = describe()
    assert ", solver numpy, load average " in line
    assert "cores" in line and "vector extensions" in line


@pytest.mark.skipif(not available(), reason="no compiled build installed")
def test_the_line_names_a_forced_build_as_fit_results_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np
    import pandas as pd

    import scalinglab

    monkeypatch.setenv("SCALINGLAB_SOLVER", "portable")
    n = np.geomspace(1e6, 1e8, 6)
    runs = scalinglab.read_runs(pd.DataFrame({"params": n, "loss": 2 + 5 * (n / 1e6) ** -0.3}))
    assert solver_build() == "compiled-portable"
    assert (
        scalinglab.fit("power-law-plus-constant:params", runs, bootstrap=0).solver == solver_build()
    )


def test_a_refused_choice_is_said_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_SOLVER", "fastest")
    assert solver_build().startswith("none (SCALINGLAB_SOLVER='fastest' is not a solver choice")


def test_a_benchmark_that_fits_nothing_leaves_the_solver_out() -> None:
    assert "solver" not in describe(solver=False)
