"""A hyperparameter preset used far outside the sizes its source fitted says so: in
``hparams predict --preset`` and in a ladder planned with ``--hparams-preset``."""

from __future__ import annotations

import pytest

from scalinglab.cli import main
from scalinglab.hparams._presets import HPARAM_PRESETS, get_hparam_preset


def test_the_presets_record_their_fitted_sizes() -> None:
    step = HPARAM_PRESETS["steplaw2025"].fitted
    porian = HPARAM_PRESETS["porian2024"].fitted
    assert step is not None and (step.low, step.high) == (4e8, 1e9)
    assert porian is not None and (porian.low, porian.high) == (5e6, 901e6)


def test_a_tiny_model_is_warned_and_a_large_one_not() -> None:
    tiny = get_hparam_preset("steplaw2025").predict(params=25e3, tokens=126e3)
    assert tiny.lr == pytest.approx(1.79 * 25e3**-0.713 * 126e3**0.307)
    assert tiny.warnings == (
        "N = 25K is 4.2 decades below 400M, outside the 400M to 1B its source fitted (Li et "
        "al. 2025, Fig. 1: grids at 400M and 1B parameters): preset steplaw2025's lr and "
        "batch are an extrapolation that far",
    )
    assert get_hparam_preset("steplaw2025").predict(params=7e9, tokens=1.4e12).warnings == ()
    assert get_hparam_preset("porian2024").predict(params=1e8, tokens=2e9).warnings == ()


def test_cli_predict_and_ladder_plan_warn(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["hparams", "predict", "--preset", "steplaw2025", "--params", "25K", "--tokens", "126K"]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "warning: N = 25K is 4.2 decades below 400M" in out
    assert main(["ladder", "plan", "tiny", "--hparams-preset", "steplaw2025"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "recipe notes (its lr and batch rules replaced as below): CI ladder" in out
    assert "warning: 3 of 3 rungs lie outside what the rule was fitted to, from " in out
    assert " (w32-d2); w32-d2: N = 25.2K is 4.2 decades below 400M" in out
