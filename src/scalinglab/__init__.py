"""scalinglab: fit, backtest and plan with neural scaling laws.

::

    runs = scalinglab.read_runs("runs.csv")                  # or a DataFrame, Parquet, JSONL
    result = scalinglab.fit("chinchilla", runs, bootstrap=1000)
    result.predict(params=70e9, tokens=1.4e12)                # loss with a bootstrap interval
    scalinglab.optimal_allocation(result, flops=1e24)         # N*, D* with intervals
    scalinglab.backtest(runs, law="chinchilla", holdout="largest:5")   # error on held-out runs
    scalinglab.isoflop(runs).params_law.exponent             # approach 2: N_opt ∝ C^a
    scalinglab.write_report(result, runs, "report.html")    # one self-contained HTML page
    chain = scalinglab.fit_downstream(scalinglab.read_evals("evals.csv"))  # (N, D) -> accuracy
    scalinglab.fit_hparams("sweep.csv").predict(params=7e9, tokens=1.4e12)   # lr*, B*
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
    ScalingLabError,
    StoreError,
)

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


# public name -> the subpackage that defines it: imported on first use (PEP 562), so
# `import scalinglab` and the command line start fast (pandas, DuckDB, SciPy and
# matplotlib load only when something needs them)
_LAZY = {
    "RunTable": "scalinglab.data",
    "default_runs": "scalinglab.data",
    "parse_quantity": "scalinglab.data",
    "read_runs": "scalinglab.data",
    "simulate_ladder": "scalinglab.data",
    "simulated_runs": "scalinglab.data",
    "bundled_runs": "scalinglab.data",
    "CurveFit": "scalinglab.curves",
    "Schedule": "scalinglab.curves",
    "fit_curves": "scalinglab.curves",
    "parse_schedule": "scalinglab.curves",
    "read_lr_curves": "scalinglab.curves",
    "DownstreamFit": "scalinglab.downstream",
    "backtest_downstream": "scalinglab.downstream",
    "fit_downstream": "scalinglab.downstream",
    "LossToLossFit": "scalinglab.downstream",
    "fit_loss_to_loss": "scalinglab.downstream",
    "read_evals": "scalinglab.downstream",
    "plan_for_accuracy": "scalinglab.downstream",
    "HparamFit": "scalinglab.hparams",
    "HparamPrediction": "scalinglab.hparams",
    "backtest_hparams": "scalinglab.hparams",
    "fit_hparams": "scalinglab.hparams",
    "get_critical_batch_preset": "scalinglab.hparams",
    "get_hparam_preset": "scalinglab.hparams",
    "run_ladder": "scalinglab.execute",
    "FitResult": "scalinglab.fit",
    "Prediction": "scalinglab.fit",
    "RobustLoss": "scalinglab.fit",
    "fit": "scalinglab.fit",
    "ingest": "scalinglab.ingest",
    "PRESETS": "scalinglab.laws",
    "BrokenPowerLaw": "scalinglab.laws",
    "Chinchilla": "scalinglab.laws",
    "Conventions": "scalinglab.laws",
    "FormulaLaw": "scalinglab.laws",
    "KaplanN": "scalinglab.laws",
    "KaplanND": "scalinglab.laws",
    "Law": "scalinglab.laws",
    "OverTraining": "scalinglab.laws",
    "Param": "scalinglab.laws",
    "PowerLaw": "scalinglab.laws",
    "PowerLawPlusConstant": "scalinglab.laws",
    "Preset": "scalinglab.laws",
    "get_law": "scalinglab.laws",
    "get_preset": "scalinglab.laws",
    "parse_formula": "scalinglab.laws",
    "Allocation": "scalinglab.plan",
    "Estimate": "scalinglab.plan",
    "Frontier": "scalinglab.plan",
    "compute_for_loss": "scalinglab.plan",
    "flops_6nd": "scalinglab.plan",
    "optimal_allocation": "scalinglab.plan",
    "transformer_flops": "scalinglab.plan",
    "transformer_params": "scalinglab.plan",
    "write_report": "scalinglab.report",
    "RunStore": "scalinglab.store",
    "StoredRun": "scalinglab.store",
    "Backtest": "scalinglab.validate",
    "Comparison": "scalinglab.validate",
    "EnvelopeResult": "scalinglab.validate",
    "IsoFLOPResult": "scalinglab.validate",
    "Rolling": "scalinglab.validate",
    "backtest": "scalinglab.validate",
    "compare": "scalinglab.validate",
    "envelope": "scalinglab.validate",
    "isoflop": "scalinglab.validate",
    "rolling_backtest": "scalinglab.validate",
}


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
