"""Validation: backtests by scale, law comparison, interval calibration, and the Chinchilla
isoFLOP (approach 2) and envelope (approach 1) analyses."""

from __future__ import annotations

from scalinglab.validate._backtest import Backtest, Rolling, RollingStep, backtest, rolling_backtest
from scalinglab.validate._baselines import BASELINES, baseline_backtest
from scalinglab.validate._calibration import Calibration, Scenario, calibrate, simulate_runs
from scalinglab.validate._choose import LawChoice, choose_law
from scalinglab.validate._compare import Comparison, LawScore, compare, exponent_spread
from scalinglab.validate._envelope import EnvelopeResult, envelope
from scalinglab.validate._isoflop import BudgetFit, IsoFLOPResult, isoflop
from scalinglab.validate._powerlaw import PowerLawFit
from scalinglab.validate._score import LEVELS, BacktestRun, BacktestSummary
from scalinglab.validate._split import Split, scales, split_runs

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
