"""Loss-curve laws across learning-rate schedules.

Schedules as data (:class:`Schedule`, :func:`parse_schedule`), curves with their learning
rate (:func:`read_lr_curves`), curve laws (Luo et al. 2025's multi-power law, Tissue et
al. 2024, power-law baselines), joint fits with a whole-curve bootstrap
(:func:`fit_curves`), schedule comparison and backtests on held-out schedules, and the
cooled-down runs a curve fit predicts (:func:`cooldown_resamples`: a run table and the curve
fit's resamples, for ``scalinglab.fit(..., resamples=...)``).
"""

from scalinglab.curves._backtest import CurveBacktest, backtest_curves
from scalinglab.curves._compare import ScheduleChoice, compare_schedules
from scalinglab.curves._cooldown import cooldown_resamples, cooldown_runs
from scalinglab.curves._curve import CurveList
from scalinglab.curves._data import Curve, read_lr_curves
from scalinglab.curves._fit_curves import fit_curves
from scalinglab.curves._laws import CurveLaw, PowerS1, PowerSteps
from scalinglab.curves._multipower import MultiPower
from scalinglab.curves._prediction import CurvePrediction, FinalLoss
from scalinglab.curves._registry import CURVE_LAWS, get_curve_law
from scalinglab.curves._result import CurveFit
from scalinglab.curves._ridge_choice import RidgeChoice, choose_ridge
from scalinglab.curves._schedule_spec import SCHEDULE_KINDS, parse_schedule
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._sized import SizedLaw
from scalinglab.curves._store_data import read_store_curves
from scalinglab.curves._tissue import Tissue

__all__ = [
    "CURVE_LAWS",
    "SCHEDULE_KINDS",
    "Curve",
    "CurveBacktest",
    "CurveFit",
    "CurveLaw",
    "CurveList",
    "CurvePrediction",
    "FinalLoss",
    "MultiPower",
    "PowerS1",
    "PowerSteps",
    "RidgeChoice",
    "Schedule",
    "ScheduleChoice",
    "SizedLaw",
    "Tissue",
    "backtest_curves",
    "choose_ridge",
    "compare_schedules",
    "cooldown_resamples",
    "cooldown_runs",
    "fit_curves",
    "get_curve_law",
    "parse_schedule",
    "read_lr_curves",
    "read_store_curves",
]
