"""The public surface: ``__all__`` is deliberate, importable, and does not drift."""

from __future__ import annotations

import scalinglab

EXPECTED = {
    "PRESETS",
    "BrokenPowerLaw",
    "Chinchilla",
    "ConfigError",
    "Conventions",
    "CurveFit",
    "DataError",
    "FitError",
    "FitResult",
    "FormulaError",
    "FormulaLaw",
    "HparamFit",
    "HparamPrediction",
    "InputError",
    "KaplanN",
    "KaplanND",
    "Law",
    "OverTraining",
    "Param",
    "PowerLaw",
    "PowerLawPlusConstant",
    "Prediction",
    "Preset",
    "RobustLoss",
    "RunStore",
    "RunTable",
    "Schedule",
    "ScalingLabError",
    "StoreError",
    "StoredRun",
    # the subclasses the Python API raises, named under its Raises sections
    "MissingKeyError",
    "TooFewCellsError",
    "UnreachableError",
    "__version__",
    "bundled_runs",
    "default_runs",
    "fit",
    "fit_curves",
    "fit_hparams",
    "get_critical_batch_preset",
    "get_hparam_preset",
    "get_law",
    "get_preset",
    "ingest",
    "parse_formula",
    "parse_quantity",
    "parse_schedule",
    "read_lr_curves",
    "read_runs",
    "run_ladder",
    "simulate_ladder",
    "simulated_runs",
    "optimal_allocation",
    "compute_for_loss",
    "Allocation",
    "Estimate",
    "Frontier",
    "flops_6nd",
    "transformer_flops",
    "transformer_params",
    "backtest",
    "backtest_hparams",
    "compare",
    "rolling_backtest",
    "isoflop",
    "envelope",
    "IsoFLOPResult",
    "EnvelopeResult",
    "Backtest",
    "Comparison",
    "Rolling",
    "write_report",
    "DownstreamFit",
    "backtest_downstream",
    "fit_downstream",
    "read_evals",
    "plan_for_accuracy",
    "LossToLossFit",
    "fit_loss_to_loss",
}


def test_all_is_exactly_the_public_surface() -> None:
    assert set(scalinglab.__all__) == EXPECTED
    for name in scalinglab.__all__:
        assert getattr(scalinglab, name) is not None, name


def test_the_results_of_backtest_compare_and_rolling_backtest_are_at_the_top() -> None:
    """``scalinglab.compare`` returns a Comparison, so ``scalinglab.Comparison.load`` reads what
    it (and ``backtest --out``) saved, as ``scalinglab.IsoFLOPResult.load`` does for isoflop."""
    from scalinglab import validate

    assert scalinglab.Backtest is validate.Backtest
    assert scalinglab.Comparison is validate.Comparison
    assert scalinglab.Rolling is validate.Rolling


def test_tab_completion_shows_the_public_api_not_the_package_imports() -> None:
    shown = {n for n in dir(scalinglab) if not n.startswith("_")}
    assert EXPECTED - {"__version__"} <= shown
    assert not shown & {"Any", "TYPE_CHECKING", "importlib", "sys", "types"}


def test_one_exception_tree() -> None:
    for name in ("InputError", "DataError", "FormulaError", "ConfigError", "FitError"):
        assert issubclass(getattr(scalinglab, name), scalinglab.ScalingLabError)
    assert scalinglab.DataError("x").exit_code == 2
    assert scalinglab.FitError("x").exit_code == 1
    # where _errors draws them: caught as their base by code that catches that
    assert issubclass(scalinglab.UnreachableError, scalinglab.ConfigError)
    assert issubclass(scalinglab.TooFewCellsError, scalinglab.DataError)
    assert issubclass(scalinglab.MissingKeyError, scalinglab.ConfigError)
    assert issubclass(scalinglab.MissingKeyError, KeyError)


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, scalinglab; print(any(m.startswith(('matplotlib', 'torch', 'typer')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
