"""Follow-ups of a new user's walk through the Python API: a misspelt column names the one
meant on every path that refuses it (isoflop's x, loss-to-loss's x and y, fit's x, a sweep's
y), an optimum's repr rounds as a plan's does, a fit's text writes its objective as the CLI
does, and a curve fit's bootstrap reports progress in even steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

import scalinglab as sl
from scalinglab import ConfigError, DataError
from scalinglab._format import format_g
from scalinglab.curves import MultiPower
from scalinglab.plan import Estimate
from scalinglab.validate._optimum_at import OptimumAt


def _runs(path: Path) -> Path:
    """Runs with a size column named with a space and two loss columns."""
    rows = ["Model Size,tokens,loss_c4_val,loss_paloma_refinedweb"]
    for n in (1e7, 3e7, 1e8, 3e8):
        for mult in (5, 20, 80):
            d = n * mult
            c4 = 1.7 + 400 * n**-0.34 + 400 * d**-0.28
            rows.append(f"{n:g},{d:g},{c4:.5f},{1.1 * c4 - 0.1:.5f}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_isoflop_x_misspelt_names_the_column_meant(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        sl.isoflop(_runs(tmp_path / "r.csv"), x={"N": "Model Sise"}, y="loss_c4_val")
    assert err.value.message.endswith("could be read as params; did you mean 'Model Size'?")


def test_fit_x_misspelt_names_the_column_meant(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        sl.fit("chinchilla", _runs(tmp_path / "r.csv"), x={"N": "Model Sise"}, y="loss_c4_val")
    assert err.value.message.endswith("no column 'Model Sise'; did you mean 'Model Size'?")


def test_loss_to_loss_column_misspelt_names_the_one_meant(tmp_path: Path) -> None:
    path = _runs(tmp_path / "r.csv")
    for runs in (path, sl.read_runs(path, y="loss_c4_val")):
        with pytest.raises(ConfigError) as err:
            sl.fit_loss_to_loss(runs, x="loss_c4_val", y="loss_paloma_refinedweeb", bootstrap=0)
        assert err.value.message.endswith(
            "has no such column; did you mean 'loss_paloma_refinedweb'?"
        )


def test_a_run_table_column_misspelt_names_the_one_meant(tmp_path: Path) -> None:
    runs = sl.read_runs(_runs(tmp_path / "r.csv"), y="loss_c4_val")
    with pytest.raises(DataError) as err:
        runs["loss_paloma_refinedweeb"]
    assert err.value.message.endswith("; did you mean 'loss_paloma_refinedweb'?")


def test_a_sweep_loss_column_misspelt_is_named_without_a_default_loss(tmp_path: Path) -> None:
    # no column by a loss's usual name: the refusal named those names, not the y given
    rows = ["N,D,lr,bs,final,smooth loss"]
    for n in (1e8, 2e8):
        for lr in (1e-3, 2e-3, 4e-3):
            loss = 3.0 + (lr - 2e-3) ** 2 * 1e4
            rows.append(f"{n:g},{20 * n:g},{lr:g},128,{loss:g},{loss:g}")
    path = tmp_path / "sweep.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as err:
        sl.fit_hparams(path, y="smooth los", bootstrap=0)
    assert "no loss column 'smooth los'" in err.value.message
    assert err.value.message.endswith("; did you mean 'smooth loss'?")


def test_an_optimum_at_a_budget_reprs_rounded() -> None:
    at = OptimumAt(
        1e24,
        Estimate(1.0332e11, 9.2334e10, 1.1251e11),
        Estimate(1.6131e12, 1.4813e12, 1.8052e12),
        Estimate(15.612, 13.167, 19.553),
        0.9,
        2.526557342019789,
    )
    assert repr(at) == (
        "OptimumAt(flops=1e24, params_opt=Estimate(1.0332e11 [9.2334e10, 1.1251e11]), "
        "tokens_opt=Estimate(1.6131e12 [1.4813e12, 1.8052e12]), "
        "tokens_per_param=Estimate(15.612 [13.167, 19.553]), level=0.9, distance=2.5266, "
        "below=False)"
    )


def test_a_fit_text_writes_its_objective_as_the_cli_does(tmp_path: Path) -> None:
    result = sl.fit("chinchilla", _runs(tmp_path / "r.csv"), y="loss_c4_val", bootstrap=0)
    assert f"objective {format_g(result.objective)} (" in str(result)  # 6 digits, as the CLI


@pytest.mark.heavy
def test_a_curve_fits_bootstrap_reports_progress_in_even_steps() -> None:
    # counted by resamples finished, the bar stood still, then jumped at the step limit
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=1e-3, seed=1)
    done: list[int] = []
    sl.fit_curves(
        curves,
        bootstrap=40,
        seed=0,
        progress=lambda stage, d, _t: done.append(d) if stage == "bootstrap" else None,
    )
    assert done[-1] == 40 and done == sorted(done)
    assert int(np.max(np.diff(done))) <= 4  # a tenth of the resamples at most at a time
