"""scalinglab: fit, backtest and plan with neural scaling laws.

A first session, on the simulated ladder the package ships (``read_runs("runs.csv")`` reads
your own runs, from CSV, Parquet, JSONL or a DataFrame):

>>> import scalinglab
>>> runs = scalinglab.simulated_runs()
>>> result = scalinglab.fit("chinchilla", runs, bootstrap=0)  # bootstrap=1000: intervals
>>> round(float(result.predict(params=70e9, tokens=1.4e12)), 2)  # the loss at (N, D)
2.02
>>> plan = scalinglab.optimal_allocation(result, flops=1e24)  # N*, D* (with intervals)
>>> f"N* = {plan.params.value:.1e}, D* = {plan.tokens.value:.1e}"
'N* = 3.6e+10, D* = 4.6e+12'
>>> held = scalinglab.backtest(runs, law="chinchilla", holdout="largest:5", bootstrap=0)
>>> f"{held.summary.max_are:.0%}"  # the largest error on the 5 runs held out
'1%'
>>> round(scalinglab.isoflop(runs, bootstrap=0).params_law.exponent.value, 2)  # N_opt ∝ C^a
0.44

``scalinglab.write_report(result, runs, "report.html")`` writes one self-contained HTML
page of it all. ``help()`` of ``fit_downstream`` ((N, D) -> accuracy), ``fit_hparams``
(lr* and B*) and ``fit_curves`` (whole loss curves) shows a first call of each.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from scalinglab._errors import (
    ConfigError,
    DataError,
    FitError,
    FormulaError,
    InputError,
    MissingKeyError,
    ScalingLabError,
    StoreError,
    TooFewCellsError,
    UnreachableError,
)
from scalinglab._exports import LAZY as _LAZY  # public name -> its subpackage, imported on use

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scalinglab.curves import CurveFit, Schedule, fit_curves, parse_schedule, read_lr_curves
    from scalinglab.data import (
        RunTable,
        bundled_runs,
        default_runs,
        parse_quantity,
        read_runs,
        simulate_ladder,
        simulated_runs,
    )
    from scalinglab.downstream import (
        DownstreamFit,
        LossToLossFit,
        backtest_downstream,
        fit_downstream,
        fit_loss_to_loss,
        plan_for_accuracy,
        read_evals,
    )
    from scalinglab.execute import run_ladder
    from scalinglab.fit import FitResult, Prediction, RobustLoss, fit
    from scalinglab.hparams import (
        HparamFit,
        HparamPrediction,
        backtest_hparams,
        fit_hparams,
        get_critical_batch_preset,
        get_hparam_preset,
    )
    from scalinglab.ingest import ingest
    from scalinglab.laws import (
        PRESETS,
        BrokenPowerLaw,
        Chinchilla,
        Conventions,
        FormulaLaw,
        KaplanN,
        KaplanND,
        Law,
        OverTraining,
        Param,
        PowerLaw,
        PowerLawPlusConstant,
        Preset,
        get_law,
        get_preset,
        parse_formula,
    )
    from scalinglab.plan import (
        Allocation,
        Estimate,
        Frontier,
        compute_for_loss,
        flops_6nd,
        optimal_allocation,
        transformer_flops,
        transformer_params,
    )
    from scalinglab.report import write_report
    from scalinglab.store import RunStore, StoredRun
    from scalinglab.validate import (
        Backtest,
        Comparison,
        EnvelopeResult,
        IsoFLOPResult,
        Rolling,
        backtest,
        compare,
        envelope,
        isoflop,
        rolling_backtest,
    )


class _Package(types.ModuleType):
    """This package, whose ``fit`` and ``ingest`` stay the functions: the import system binds
    a subpackage to its parent once imported, and there the function of its name must win."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("fit", "ingest") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


#: Subpackages reached as attributes after ``import scalinglab`` alone (``scalinglab.plan``),
#: imported on first use; ``fit`` and ``ingest`` are the functions of those names.
_SUBPACKAGES = frozenset(
    ("curves", "data", "downstream", "execute", "hparams", "ladder", "laws", "plan",
     "report", "store", "validate")
)  # fmt: skip


def __getattr__(name: str) -> Any:
    """Import a public name's subpackage the first time the name is used; a subpackage
    named as an attribute, the same way."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"scalinglab.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scalinglab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    # not this module's own imports (Any, sys, ...): tab completion shows the public API
    own = {"Any", "TYPE_CHECKING", "importlib", "sys", "types"}
    return sorted((set(globals()) - own) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "Allocation",
    "Backtest",
    "BrokenPowerLaw",
    "Chinchilla",
    "Comparison",
    "ConfigError",
    "Conventions",
    "CurveFit",
    "DataError",
    "DownstreamFit",
    "EnvelopeResult",
    "Estimate",
    "FitError",
    "FitResult",
    "FormulaError",
    "FormulaLaw",
    "Frontier",
    "HparamFit",
    "HparamPrediction",
    "InputError",
    "IsoFLOPResult",
    "KaplanN",
    "KaplanND",
    "Law",
    "LossToLossFit",
    "MissingKeyError",
    "OverTraining",
    "Param",
    "PowerLaw",
    "PowerLawPlusConstant",
    "Prediction",
    "Preset",
    "RobustLoss",
    "Rolling",
    "RunStore",
    "RunTable",
    "ScalingLabError",
    "Schedule",
    "StoreError",
    "StoredRun",
    "TooFewCellsError",
    "UnreachableError",
    "__version__",
    "backtest",
    "backtest_downstream",
    "backtest_hparams",
    "bundled_runs",
    "compare",
    "compute_for_loss",
    "default_runs",
    "envelope",
    "fit",
    "fit_curves",
    "fit_downstream",
    "fit_hparams",
    "fit_loss_to_loss",
    "flops_6nd",
    "get_critical_batch_preset",
    "get_hparam_preset",
    "get_law",
    "get_preset",
    "ingest",
    "isoflop",
    "optimal_allocation",
    "parse_formula",
    "parse_quantity",
    "parse_schedule",
    "plan_for_accuracy",
    "read_evals",
    "read_lr_curves",
    "read_runs",
    "rolling_backtest",
    "run_ladder",
    "simulate_ladder",
    "simulated_runs",
    "transformer_flops",
    "transformer_params",
    "write_report",
]
