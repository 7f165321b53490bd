"""scalinglab: fit, backtest and plan with neural scaling laws.

::

    runs = scalinglab.read_runs("runs.csv")                  # or a DataFrame, Parquet, JSONL
    result = scalinglab.fit("chinchilla", runs, bootstrap=1000)
    result.predict(params=70e9, tokens=1.4e12)                # loss with a bootstrap interval
    scalinglab.optimal_allocation(result, flops=1e24)         # N*, D* with intervals
"""

from scalinglab._errors import (
    ConfigError,
    DataError,
    FitError,
    FormulaError,
    InputError,
    ScalingLabError,
)
from scalinglab.data import RunTable, default_runs, parse_quantity, read_runs, simulate_ladder
from scalinglab.fit import FitResult, Prediction, RobustLoss, fit
from scalinglab.laws import (
    PRESETS,
    BrokenPowerLaw,
    Chinchilla,
    Conventions,
    FormulaLaw,
    KaplanN,
    KaplanND,
    Law,
    Param,
    PowerLaw,
    PowerLawPlusConstant,
    Preset,
    get_law,
    get_preset,
    parse_formula,
)

__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "BrokenPowerLaw",
    "Chinchilla",
    "ConfigError",
    "Conventions",
    "DataError",
    "FitError",
    "FitResult",
    "FormulaError",
    "FormulaLaw",
    "InputError",
    "KaplanN",
    "KaplanND",
    "Law",
    "Param",
    "PowerLaw",
    "PowerLawPlusConstant",
    "Prediction",
    "Preset",
    "RobustLoss",
    "RunTable",
    "ScalingLabError",
    "__version__",
    "default_runs",
    "fit",
    "get_law",
    "get_preset",
    "parse_formula",
    "parse_quantity",
    "read_runs",
    "simulate_ladder",
]
