"""Robust, vectorised multi-start fitting with bootstrap intervals."""

from scalinglab.fit._allocation_exponents import AllocationExponents
from scalinglab.fit._fit import AT_BEST_RTOL, fit
from scalinglab.fit._losses import LOSSES, RobustLoss, get_loss
from scalinglab.fit._objective import Objective
from scalinglab.fit._resamples import Resamples
from scalinglab.fit._result import FitResult, Prediction
from scalinglab.fit._solver import SolveResult, Status, minimize

__all__ = [
    "AT_BEST_RTOL",
    "LOSSES",
    "AllocationExponents",
    "FitResult",
    "Objective",
    "Prediction",
    "Resamples",
    "RobustLoss",
    "SolveResult",
    "Status",
    "fit",
    "get_loss",
    "minimize",
]
