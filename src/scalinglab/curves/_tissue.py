"""Tissue et al. 2024's curve law: a power law in the learning-rate area minus an annealing
area (moved out of :mod:`scalinglab.curves._laws`, which holds the base class and baselines)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scalinglab.curves._laws import (
    _A,
    _ALPHA,
    _L0,
    Array,
    CurveLaw,
    IntArray,
    Prepared,
    _forward_area,
    _momentum,
    _power,
)
from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param

__all__ = ["Tissue"]


@dataclass(frozen=True)
class Tissue(CurveLaw):
    """Tissue et al. 2024, "Scaling Law with Learning Rate Annealing" (arXiv:2408.11029):
    ``L(s) = L0 + A·S1^-alpha - C·S2``.

    ``S1 = sum_{i<=s} eta_i`` is the forward area; ``S2 = sum_{i<=s} m_i`` the annealing
    area with momentum, ``m_i = lambda·m_{i-1} + (eta_{i-1} - eta_i)``, counted after
    warm-up (the warm-up's rising rate is not annealing). ``lambda`` is fixed (the paper's
    0.999), which makes S1 and S2 data: O(T) per curve by a first-order recursive filter.

    Attributes:
        lam: The momentum ``lambda`` of the annealing area (fixed, not fitted).
    """

    lam: float = 0.999
    name: str = "tissue"
    citation: str = "Tissue et al. 2024, Scaling Law with Learning Rate Annealing, arXiv:2408.11029"
    formula: str = "L0 + A*S1**-alpha - C*S2"
    warmup_share: ClassVar[str] = (
        "tissue counts the rate's changes after the warm-up as its annealing area S2: a rise "
        "past the warm-up lowers S2 and raises the loss"
    )

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            _L0,
            _A,
            _ALPHA,
            Param(
                "C",
                positive=True,
                lower=1e-8,
                upper=1e6,
                grid=(math.log(0.3), math.log(3.0)),
                description="weight of the annealing area",
            ),
        )

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        s1, s2 = [], []
        for s, t in zip(schedules, steps, strict=True):
            d = np.zeros(s.steps)
            d[s.warmup + 1 :] = s.lr[s.warmup : -1] - s.lr[s.warmup + 1 :]
            m = _momentum(d, self.lam)
            s1.append(_forward_area(s, t))
            s2.append(np.cumsum(m)[t])
        return {"x": np.concatenate(s1), "s2": np.concatenate(s2)}

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        val, jac = _power(p, prep["x"], jacobian, 4)
        val = val - p[:, 3:4] * prep["s2"][None, :]
        if jac is not None:
            jac[:, 3] = -prep["s2"][None, :]
        return val, jac

    def guess(self, loss: Array) -> dict[str, float]:
        return {"L0": 0.9 * float(np.min(loss))}
