"""Validation: backtests by scale, law comparison, interval calibration, and the Chinchilla
isoFLOP (approach 2) and envelope (approach 1) analyses."""

from typing import TYPE_CHECKING

from scalinglab._lazy import lazy_names

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scalinglab.validate._backtest import Backtest, backtest
    from scalinglab.validate._baselines import BASELINES, baseline_backtest
    from scalinglab.validate._calibration import Calibration, Scenario, calibrate, simulate_runs
    from scalinglab.validate._choose import LawChoice, choose_law
    from scalinglab.validate._compare import Comparison, LawScore, compare, exponent_spread
    from scalinglab.validate._envelope import EnvelopeResult, envelope
    from scalinglab.validate._isoflop import BudgetFit, IsoFLOPResult, isoflop
    from scalinglab.validate._optimum_at import OptimumAt
    from scalinglab.validate._powerlaw import PowerLawFit
    from scalinglab.validate._rolling import Rolling, RollingStep, rolling_backtest
    from scalinglab.validate._score import LEVELS, BacktestRun, BacktestSummary
    from scalinglab.validate._split import Split, scales, split_runs

# name -> module, imported on first use: the envelope and isoFLOP analyses need pandas, a
# backtest or a law choice inside `scalinglab fit` does not (see scalinglab/__init__.py)
_LAZY = {
    "Backtest": "_backtest",
    "Rolling": "_rolling",
    "RollingStep": "_rolling",
    "backtest": "_backtest",
    "rolling_backtest": "_rolling",
    "BASELINES": "_baselines",
    "baseline_backtest": "_baselines",
    "Calibration": "_calibration",
    "Scenario": "_calibration",
    "calibrate": "_calibration",
    "simulate_runs": "_calibration",
    "LawChoice": "_choose",
    "choose_law": "_choose",
    "Comparison": "_compare",
    "LawScore": "_compare",
    "compare": "_compare",
    "exponent_spread": "_compare",
    "EnvelopeResult": "_envelope",
    "envelope": "_envelope",
    "BudgetFit": "_isoflop",
    "IsoFLOPResult": "_isoflop",
    "isoflop": "_isoflop",
    "OptimumAt": "_optimum_at",
    "PowerLawFit": "_powerlaw",
    "LEVELS": "_score",
    "BacktestRun": "_score",
    "BacktestSummary": "_score",
    "Split": "_split",
    "scales": "_split",
    "split_runs": "_split",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)

__all__: list[str] = [
    "BASELINES",
    "LEVELS",
    "Backtest",
    "BacktestRun",
    "BacktestSummary",
    "BudgetFit",
    "Calibration",
    "Comparison",
    "EnvelopeResult",
    "IsoFLOPResult",
    "LawChoice",
    "LawScore",
    "OptimumAt",
    "PowerLawFit",
    "Rolling",
    "RollingStep",
    "Scenario",
    "Split",
    "backtest",
    "baseline_backtest",
    "calibrate",
    "choose_law",
    "compare",
    "envelope",
    "exponent_spread",
    "isoflop",
    "rolling_backtest",
    "scales",
    "simulate_runs",
    "split_runs",
]
