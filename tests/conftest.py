"""Shared fixtures: where the shared data lives, and a Chinchilla-law data set with known truth."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

# pytest-xdist's workers start with COLUMNS=80 and LINES=24 set: the CLI's tables would wrap
# at 80 columns there, where a serial run (no terminal, no COLUMNS) renders them 120 wide
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _name in ("COLUMNS", "LINES"):
        os.environ.pop(_name, None)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CHINCHILLA_CSV = SHARED / "chinchilla" / "svg_extracted_data.csv"

TRUTH = {"E": 1.9, "A": 520.0, "B": 1500.0, "alpha": 0.36, "beta": 0.33}


def isoflop_runs(
    *, seed: int, budgets: int = 5, top: float = 1e20, sizes: int = 6, noise: float = 0.01
) -> pd.DataFrame:
    """A small IsoFLOP grid: ``budgets`` compute budgets from 1e18 to ``top``, each with
    ``sizes`` model sizes from 1/5 to 5 times the Chinchilla optimum, and the loss of the
    Chinchilla law with TRUTH times log-normal noise. Columns params, tokens, flops, loss."""
    rng = np.random.default_rng(seed)
    rows = []
    for C in np.geomspace(1e18, top, budgets):
        for N in 0.6 * (C / 6) ** 0.48 * np.geomspace(1 / 5, 5, sizes):
            D = C / (6 * N)
            L = TRUTH["E"] + TRUTH["A"] * N ** -TRUTH["alpha"] + TRUTH["B"] * D ** -TRUTH["beta"]
            L *= math.exp(noise * rng.standard_normal())
            rows.append({"params": N, "tokens": D, "flops": C, "loss": L})
    return pd.DataFrame(rows)


def chinchilla_runs(*, seed: int = 0, noise: float = 0.01, outliers: int = 3) -> pd.DataFrame:
    """IsoFLOP-style runs from the Chinchilla law with TRUTH, log-normal noise and a few
    runs whose loss is pushed far up (as diverged runs are)."""
    rng = np.random.default_rng(seed)
    rows = []
    for C in np.geomspace(1e18, 1e21, 7):
        n_opt = 0.6 * (C / 6) ** 0.48
        for N in n_opt * np.geomspace(1 / 6, 6, 9):
            D = C / (6 * N)
            L = TRUTH["E"] + TRUTH["A"] * N ** -TRUTH["alpha"] + TRUTH["B"] * D ** -TRUTH["beta"]
            rows.append(
                {
                    "run": f"r{len(rows)}",
                    "params": N,
                    "tokens": D,
                    "loss": L * np.exp(noise * rng.standard_normal()),
                }
            )
    df = pd.DataFrame(rows)
    bad = rng.choice(len(df), outliers, replace=False)
    df.loc[bad, "loss"] *= 1.4
    return df


@pytest.fixture(scope="session")
def chinchilla_csv_path() -> Path:
    if not CHINCHILLA_CSV.is_file():
        pytest.skip(
            f"the Chinchilla points are not here ({CHINCHILLA_CSV}); they live in ../shared/data"
        )
    return CHINCHILLA_CSV


def polish_gains(
    objective: Any, theta: np.ndarray, f: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> list[float]:
    """How much SciPy's L-BFGS-B (analytic gradient, the same bounds, tight tolerances)
    lowers the objective, relatively, from each row of ``theta`` whose objective is ``f``:
    an independent check that a start the solver calls converged is a minimum."""
    from scipy.optimize import minimize

    def f_and_grad(point: np.ndarray) -> tuple[float, np.ndarray]:
        value, g, _, _ = objective.derivatives(point[None, :], np.zeros(1, dtype=np.int64))
        return float(value[0]), g[0]

    gains = []
    for start, value in zip(theta, f, strict=True):
        polished = minimize(
            f_and_grad,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=list(zip(lower, upper, strict=True)),
            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 2000},
        )
        gains.append(float((value - polished.fun) / value))
    return gains


@pytest.fixture
def ctrl_c_raises() -> Any:
    """SIGINT raises KeyboardInterrupt for the test, as in a terminal.

    A suite started in the background (``pytest &``, ``nohup``) inherits SIGINT ignored, and
    Python then installs no handler: a test that sends itself Ctrl-C would wait forever.
    """
    import signal

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


#: a test whose call takes longer than this many seconds (SCALINGLAB_HEAVY_S; 2 unless set)
#: and is not marked heavy or slow is named at the end of the run, so the default run stays
#: near five minutes as tests are added (heavy: a second or more, on a small CPU; a call
#: measured in the suite, two workers sharing two cores, takes up to half as long again)
HEAVY_S = float(os.environ.get("SCALINGLAB_HEAVY_S", "2"))
_UNMARKED: list[tuple[float, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep each unmarked test whose call took over :data:`HEAVY_S` (on the controller under
    pytest-xdist, which replays the workers' reports there)."""
    marked = "heavy" in report.keywords or "slow" in report.keywords
    if report.when == "call" and report.duration > HEAVY_S and not marked:
        _UNMARKED.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the unmarked slow tests: mark them ``@pytest.mark.heavy`` (or make them faster)."""
    if _UNMARKED:
        load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"
        terminalreporter.write_sep(
            "-", f"tests over {HEAVY_S:g} s not marked heavy (mark them; load average {load})"
        )
        for seconds, node in sorted(_UNMARKED, reverse=True):
            terminalreporter.write_line(f"{seconds:5.1f} s  {node}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the heavy tests out of a run of the whole suite (no paths named, no ``-m`` given):
    the README's test command stays near five minutes, ``-m heavy`` runs them (.ci/run does),
    and naming a file or test runs its heavy tests too."""
    whole = config.args_source != pytest.Config.ArgsSource.ARGS
    chose = any(a == "-m" or a.startswith("-m") for a in config.invocation_params.args)
    if not whole or chose:
        return
    heavy = [item for item in items if item.get_closest_marker("heavy") is not None]
    if heavy:
        config.hook.pytest_deselected(items=heavy)
        items[:] = [item for item in items if item.get_closest_marker("heavy") is None]


@pytest.fixture(scope="session")
def given(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The inputs of every command's ``--json`` run and the fits the reading commands read
    (tests/test_cli_json_all.py), made once: tests/test_cli_json_source.py reads the same
    files (their commands only read them; the stores the ladder and ingest write are
    test_cli_json_all's alone)."""
    from tests.test_cli_json_all import make_given

    return make_given(tmp_path_factory.mktemp("json-all"))


@pytest.fixture(scope="session")
def two_corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 IsoFLOP runs: 30 of corpus a, 30 of corpus b (20% higher loss)."""
    a, b = isoflop_runs(seed=1), isoflop_runs(seed=2)
    a["dataset"], b["dataset"], b["loss"] = "a", "b", 1.2 * b["loss"]
    frame = pd.concat([a, b], ignore_index=True)
    frame.insert(0, "run", [f"r{i}" for i in range(len(frame))])
    path = tmp_path_factory.mktemp("two-corpora") / "two.csv"
    frame.to_csv(path, index=False)
    return path
