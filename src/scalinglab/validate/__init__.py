"""Validation: backtests by scale, law comparison, interval calibration, and the Chinchilla
isoFLOP (approach 2) and envelope (approach 1) analyses."""

from __future__ import annotations

from scalinglab.validate._backtest import (
    LEVELS,
    Backtest,
    BacktestRun,
    BacktestSummary,
    Rolling,
    RollingStep,
    backtest,
    rolling_backtest,
)
from scalinglab.validate._baselines import BASELINES, baseline_backtest
from scalinglab.validate._calibration import Calibration, Scenario, calibrate, simulate_runs
from scalinglab.validate._compare import Comparison, LawScore, compare, exponent_spread
from scalinglab.validate._split import Split, scales, split_runs

__all__: list[str] = [
    "BASELINES",
    "LEVELS",
    "Backtest",
    "BacktestRun",
    "BacktestSummary",
    "Calibration",
    "Comparison",
    "LawScore",
    "Rolling",
    "RollingStep",
    "Scenario",
    "Split",
    "backtest",
    "baseline_backtest",
    "calibrate",
    "compare",
    "exponent_spread",
    "rolling_backtest",
    "scales",
    "simulate_runs",
    "split_runs",
]
