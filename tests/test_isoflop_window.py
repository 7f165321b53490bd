"""The parabola is a local model: isoflop warns when it misfits a budget's loss (a lopsided
grid over 4 decades, as a sweep found: the vertex at 1e21 FLOPs 2.1B [2B, 2.22B] against a
true 1.78B), not on a grid centred near the optimum; ``window=`` (``--window``) fits it near
each budget's minimum instead, and brings the truth back inside the interval."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import isoflop_runs, optimum
from tests._cli import cli
from tests.test_isoflop_warnings import scattered

from scalinglab import ConfigError, isoflop

LAW = {"E": 1.7, "A": 400.0, "B": 410.0, "alpha": 0.34, "beta": 0.28}


def lopsided(per: int = 60, seed: int = 0) -> pd.DataFrame:
    """5 budgets 1e19 … 1e21, sizes C/6/1e12 … C/6/1e8 (4 decades; at 1e21 1 below the
    optimum, 3 above), 0.5% noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for C in np.geomspace(1e19, 1e21, 5):
        for N in np.geomspace(C / 6 / 1e12, C / 6 / 1e8, per):
            D = C / (6 * N)
            loss = LAW["E"] + LAW["A"] * N ** -LAW["alpha"] + LAW["B"] * D ** -LAW["beta"]
            loss *= 1 + 0.005 * rng.standard_normal()
            rows.append(
                {"run": f"r{len(rows)}", "params": N, "tokens": D, "flops": C, "loss": loss}
            )
    return pd.DataFrame(rows)


def test_a_lopsided_wide_grid_warns_and_says_to_narrow_the_window() -> None:
    result = isoflop(lopsided(), bootstrap=200)
    (warning,) = result.warnings
    assert warning.startswith("the parabola misfits the loss at 3 of 5 budgets (a cubic term ")
    assert "at 1e21 FLOPs, 1.1 decades of N below the vertex and 2.9 above" in warning
    assert warning.endswith(
        "fit within a narrower window around each budget's minimum: --window 0.5 "
        "(window=0.5 in Python)"
    )
    truth = optimum(1e21, **LAW)
    top = result.budgets[-1].params_opt
    assert not top.lower <= truth <= top.upper  # the bias the warning is about
    assert top.value / truth > 1.1


def test_the_window_fits_near_each_minimum_and_the_interval_holds_the_truth() -> None:
    result = isoflop(lopsided(), bootstrap=200, window=0.75)
    assert result.warnings == () and result.window == 0.75
    assert result.to_dict()["window"] == 0.75
    assert any("decades of N from their budget's lowest-loss run" in n for n in result.notes)
    top = result.budgets[-1]
    assert max(np.log10(top.params)) - min(np.log10(top.params)) <= 1.5 + 1e-9
    truth = optimum(1e21, **LAW)
    assert top.params_opt.lower <= truth <= top.params_opt.upper
    assert abs(result.params_law.exponent.value - 0.28 / 0.62) < 0.01


def test_a_grid_centred_on_the_optimum_does_not_warn() -> None:
    """9 sizes ×4 either side of each true optimum, 0.3% noise; and 0.5% noise."""
    assert isoflop(isoflop_runs(), bootstrap=0).warnings == ()
    for seed in range(5):
        assert isoflop(isoflop_runs(noise=0.005, seed=seed, per=15), bootstrap=0).warnings == ()


def test_a_window_already_given_is_said_to_be_narrowed() -> None:
    (warning,) = isoflop(lopsided(), bootstrap=0, window=3.0).warnings
    assert warning.endswith("narrow --window further (window=; it is 3 decades)")


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "0.5", True])
def test_a_window_that_is_no_positive_number_is_refused(bad: object) -> None:
    with pytest.raises(ConfigError, match="window must be a positive number of decades of N"):
        isoflop(isoflop_runs(), bootstrap=0, window=bad)  # type: ignore[arg-type]


def test_the_cli_takes_window_and_prints_the_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.csv"
    lopsided().to_csv(path, index=False)
    code, out, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "0")
    assert code == 0 and "warning: the parabola misfits the loss at 3 of 5 budgets" in out
    code, out, _ = cli(
        capsys, "isoflop", str(path), "--bootstrap", "0", "--window", "0.75", "--json"
    )
    assert code == 0 and json.loads(out)["warnings"] == [] and json.loads(out)["window"] == 0.75


@pytest.mark.parametrize("bad", ["0", "-1", "nan"])
def test_the_cli_names_the_flag_of_a_bad_window(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs().to_csv(path, index=False)
    code, _, err = cli(capsys, "isoflop", str(path), "--window", bad)
    assert code == 2
    assert err.splitlines() == [
        f"error: --window must be a positive number of decades of N, got {float(bad):g}",
        "hint: e.g. --window 0.5: the runs within ×3.2 of each budget's lowest-loss size "
        "(window= in Python)",
    ]


def test_a_window_that_leaves_no_run_out_says_nothing() -> None:
    notes = isoflop(isoflop_runs(), bootstrap=0, window=5.0).notes
    assert not [n for n in notes if "--window" in n]
    notes = isoflop(lopsided(), bootstrap=0, window=0.75).notes
    assert [n for n in notes if "--window" in n] == [
        "185 runs farther than 0.75 decades of N from their budget's lowest-loss run were "
        "left out (--window, window=)"
    ]


def test_runs_off_the_slices_are_counted_of_the_runs_read() -> None:
    """183 runs read, 100 left out by the window: the warning's count is of the 183."""
    sc = scattered(120, seed=3)
    sc["run"] = "s" + sc["run"]
    runs = pd.concat([isoflop_runs(), sc], ignore_index=True)
    (warning,) = isoflop(runs, bootstrap=0, window=0.3).warnings
    assert warning.startswith(
        "the exponent rests on 26 of the 183 runs read (7 budgets used; the window "
        "(--window, window=) left 100 of them out): the runs do not lie on isoFLOP slices"
    )
