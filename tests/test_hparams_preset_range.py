"""A hyperparameter preset used far outside the sizes its source fitted says so: in
``hparams predict --preset`` and in a ladder planned with ``--hparams-preset``."""

from __future__ import annotations

import pytest

from scalinglab.cli import main
from scalinglab.hparams._presets import HPARAM_PRESETS, get_hparam_preset


def test_the_presets_record_their_fitted_sizes() -> None:
    step = HPARAM_PRESETS["steplaw2025"].fitted
    porian = HPARAM_PRESETS["porian2024"].fitted
    assert step is not None and (step.low, step.high) == (214.7e6, 1e9)
    assert porian is not None and (porian.low, porian.high) == (5e6, 901e6)


def test_a_tiny_model_is_warned_and_a_large_one_not() -> None:
    tiny = get_hparam_preset("steplaw2025").predict(params=25e3, tokens=126e3)
    assert tiny.lr == pytest.approx(1.79 * 25e3**-0.713 * 126e3**0.307)
    assert tiny.warnings == (
        "N = 25K is 3.9 decades below 215M, outside the 215M to 1B its source fitted (Li et "
        "al. 2025's dense sweeps: published grids from N = 214.7M (step-law/steplaw, "
        "data/dense_lr_bs_loss.csv), Fig. 1's grid at 1B): preset steplaw2025's lr and "
        "batch are an extrapolation that far",
    )
    assert get_hparam_preset("steplaw2025").predict(params=7e9, tokens=1.4e12).warnings == ()
    assert get_hparam_preset("porian2024").predict(params=1e8, tokens=2e9).warnings == ()


def test_cli_predict_and_ladder_plan_warn(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["hparams", "predict", "--preset", "steplaw2025", "--params", "25K", "--tokens", "126K"]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "warning: N = 25K is 3.9 decades below 215M" in out
    assert main(["ladder", "plan", "tiny", "--hparams-preset", "steplaw2025"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "recipe notes (its lr and batch rules replaced as below): CI ladder" in out
    assert "warning: 3 of 3 rungs lie outside what the rule was fitted to, from " in out
    assert " (w32-d2); w32-d2: N = 25.2K is 3.9 decades below 215M" in out


def test_a_size_just_outside_the_fitted_range_carries_a_note() -> None:
    """Within a decade of the range (no warning there) the prediction still says it lies
    outside: 50M is 0.6 decades below Step Law's smallest grid, 7B 0.8 above its largest."""
    step = get_hparam_preset("steplaw2025")
    small = step.predict(params=50e6, tokens=80e9)
    assert small.warnings == ()
    assert small.notes == (
        "N = 50M is 0.6 decades below 215M, outside the 215M to 1B its source fitted (Li et "
        "al. 2025's dense sweeps: published grids from N = 214.7M (step-law/steplaw, "
        "data/dense_lr_bs_loss.csv), Fig. 1's grid at 1B): preset steplaw2025's lr and "
        "batch extrapolate there",
    )
    large = step.predict(params=7e9, tokens=1.4e12).notes
    assert large[0].startswith("N = 7B is 0.8 decades above 1B, outside the 215M to 1B")
    assert step.predict(params=268.3e6, tokens=80e9).notes == ()  # a grid of its own data
    assert step.predict(params=25e3, tokens=126e3).notes == ()  # the warning says it


def test_the_steplaw_conventions_say_dense() -> None:
    conventions = get_hparam_preset("steplaw2025").conventions
    assert conventions.endswith("dense LLMs (the formulas are its dense fit)")
    assert "MoE" not in conventions


def test_hparams_predict_refuses_a_list_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    """``predict`` takes ``--params 7B,70B``; ``hparams predict`` reads one point, and says
    so instead of calling the list not a number."""
    args = ["hparams", "predict", "--preset", "steplaw2025", "--params", "214.7M,1B"]
    assert main([*args, "--tokens", "100B,100B"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == (
        "error: --params '214.7M,1B' gives 2 values; hparams predict takes one point (one "
        "value each of --params, --tokens, --flops) hint: run it once per point (--params "
        "214.7M, then --params 1B, ...), or in Python call .predict() once per point"
    )
    assert main([*args[:4], "--params", "1B", "--tokens", "7,000"]) == 2  # thousands, as before
    assert "commas separate values, not thousands" in capsys.readouterr().err
