"""Hyperparameter laws: sweeps -> per-cell optima -> laws of the optimal lr and batch.

::

    hp = scalinglab.fit_hparams("sweep.csv", y="smooth loss", seq_len=2048)
    hp.cells[0].lr, hp.cells[0].bracketed          # each cell's located optimum
    hp.predict(params=7e9, tokens=1.4e12)           # lr*, B* with intervals; flatness
    hp.law_choice.reason                            # law="auto": which forms, and why
    get_hparam_preset("steplaw2025").predict(params=7e9, tokens=1.4e12)
    get_critical_batch_preset("kaplan2020").predict(loss=2.5).batch   # tokens; no lr
"""

from scalinglab.hparams._backtest import HeldOutScore, HparamBacktest, backtest_hparams
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, CriticalBatch, CriticalBatchPreset
from scalinglab.hparams._fit import fit_hparams
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
    "HeldOutScore",
    "HparamBacktest",
    "HparamFit",
    "HparamLaw",
    "HparamLawChoice",
    "HparamPrediction",
    "HparamPreset",
    "Sweep",
    "backtest_hparams",
    "fit_hparams",
    "fit_law",
    "get_critical_batch_preset",
    "get_hparam_preset",
    "locate_optima",
    "read_sweep",
]
