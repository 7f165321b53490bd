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

from scalinglab._errors import (
    ConfigError,
    DataError,
    FitError,
    FormulaError,
    InputError,
    ScalingLabError,
    StoreError,
)
from scalinglab.curves import CurveFit, Schedule, fit_curves, parse_schedule, read_lr_curves
from scalinglab.data import (
    RunTable,
    bundled_runs,
    default_runs,
    parse_quantity,
    read_runs,
    simulate_ladder,
)
from scalinglab.downstream import DownstreamFit, backtest_downstream, fit_downstream, read_evals
from scalinglab.execute import run_ladder
from scalinglab.fit import FitResult, Prediction, RobustLoss, fit
from scalinglab.hparams import (
    HparamFit,
    HparamPrediction,
    backtest_hparams,
    fit_hparams,
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
    compute_for_loss,
    flops_6nd,
    optimal_allocation,
    transformer_flops,
    transformer_params,
)
from scalinglab.report import write_report
from scalinglab.store import RunStore, StoredRun
from scalinglab.validate import (
    EnvelopeResult,
    IsoFLOPResult,
    backtest,
    compare,
    envelope,
    isoflop,
    rolling_backtest,
)

__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "Allocation",
    "BrokenPowerLaw",
    "Chinchilla",
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
    "HparamFit",
    "HparamPrediction",
    "InputError",
    "IsoFLOPResult",
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
    "flops_6nd",
    "get_hparam_preset",
    "get_law",
    "get_preset",
    "ingest",
    "isoflop",
    "optimal_allocation",
    "parse_formula",
    "parse_quantity",
    "parse_schedule",
    "read_evals",
    "read_lr_curves",
    "read_runs",
    "rolling_backtest",
    "run_ladder",
    "simulate_ladder",
    "transformer_flops",
    "transformer_params",
    "write_report",
]
