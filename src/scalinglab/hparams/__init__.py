"""Hyperparameter laws: sweeps -> per-cell optima -> laws of the optimal lr and batch.

::

    hp = scalinglab.fit_hparams("sweep.csv", y="smooth loss", seq_len=2048)
    hp.cells[0].lr, hp.cells[0].bracketed          # each cell's located optimum
    hp.predict(params=7e9, tokens=1.4e12)           # lr*, B* with intervals; flatness
    hp.law_choice.reason                            # law="auto": which forms, and why
    get_hparam_preset("steplaw2025").predict(params=7e9, tokens=1.4e12)
    get_critical_batch_preset("kaplan2020").predict(loss=2.5).batch   # tokens; no lr
"""

from typing import Any

from scalinglab.hparams._backtest import HparamBacktest, HparamBacktestCell, backtest_hparams
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, CriticalBatch, CriticalBatchPreset
from scalinglab.hparams._fit import fit_hparams
from scalinglab.hparams._interval import Interval
from scalinglab.hparams._laws import LAW_FORMS, HparamLaw, fit_law
from scalinglab.hparams._optimum import CellOptimum, locate_optima
from scalinglab.hparams._presets import (
    HPARAM_PRESETS,
    HparamPreset,
    get_critical_batch_preset,
    get_hparam_preset,
)
from scalinglab.hparams._result import HparamFit, HparamPrediction
from scalinglab.hparams._sweep import Sweep, read_sweep

__all__ = [
    "CRITICAL_BATCH_PRESETS",
    "HPARAM_PRESETS",
    "LAW_FORMS",
    "CellOptimum",
    "CriticalBatch",
    "CriticalBatchPreset",
    "HparamBacktest",
    "HparamBacktestCell",
    "HparamFit",
    "HparamLaw",
    "HparamLawChoice",
    "HparamPrediction",
    "HparamPreset",
    "Interval",
    "Sweep",
    "backtest_hparams",
    "fit_hparams",
    "fit_law",
    "get_critical_batch_preset",
    "get_hparam_preset",
    "locate_optima",
    "read_sweep",
]


def __getattr__(name: str) -> Any:
    """``HeldOutScore``, the old name of :class:`HparamBacktestCell`, read for one release
    with a DeprecationWarning (a backtest's rows are named as a loss backtest's are:
    ``BacktestRun``, ``HparamBacktestCell``)."""
    if name == "HeldOutScore":
        from scalinglab._warn import warn_at_caller

        warn_at_caller(
            "scalinglab.hparams.HeldOutScore is deprecated and goes in the next release: use "
            "scalinglab.hparams.HparamBacktestCell (a row of HparamBacktest.held_out, one held-out "
            "cell, as BacktestRun is one of a loss backtest's)",
            DeprecationWarning,
        )
        return HparamBacktestCell
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
