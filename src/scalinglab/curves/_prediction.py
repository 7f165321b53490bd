"""What a curve fit predicts: a whole loss curve (:class:`CurvePrediction`) or one final loss
(:class:`FinalLoss`), each with the notes to read it with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab.curves import _repr
from scalinglab.curves._schedules import Schedule

__all__ = ["CurvePrediction", "FinalLoss"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CurvePrediction:
    """A predicted loss curve.

    Attributes:
        step: Steps predicted (0-based).
        loss: Predicted loss at each.
        lower: Lower end of the bootstrap interval (``nan`` without a bootstrap): the
            coefficients' uncertainty from resampling the fitted curves, not the noise of
            one run nor the law's own error (:data:`~scalinglab.curves._caveats.COVERS`).
        upper: Upper end.
        level: Coverage of the interval.
        schedule: The schedule predicted.
        notes: What to read with it: the schedule's own notes, coefficients of the fit held
            at a bound of their range, its parts outside the fitted curves (steps, learning
            rate, model size), steps whose estimate lies outside its interval, and why there
            is no interval.
    """

    step: NDArray[np.int64]
    loss: Array
    lower: Array
    upper: Array
    level: float
    schedule: Schedule
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.prediction(self)


class FinalLoss(tuple[float, float, float]):
    """``(loss, lower, upper)`` at a schedule's last step, as :meth:`CurveFit.final_loss`
    returns it: a plain 3-tuple to unpack and compare, with :attr:`notes` (the same as
    :attr:`CurvePrediction.notes`: an estimate outside its own interval, extrapolation,
    no interval), :attr:`level` and :attr:`schedule` (the spec evaluated, every value
    named: the fit's defaults filled in) besides.
    """

    level: float
    notes: tuple[str, ...]
    schedule: str

    def __new__(
        cls,
        loss: float,
        lower: float,
        upper: float,
        *,
        level: float,
        notes: tuple[str, ...] = (),
        schedule: str = "",
    ) -> FinalLoss:
        self = super().__new__(cls, (float(loss), float(lower), float(upper)))
        object.__setattr__(self, "level", float(level))  # (a tuple takes no __slots__)
        object.__setattr__(self, "notes", tuple(notes))
        object.__setattr__(self, "schedule", str(schedule))
        return self

    def __setattr__(self, name: str, value: object) -> None:  # frozen, as the tuple is
        raise AttributeError(f"FinalLoss is frozen: cannot set {name}")

    @property
    def loss(self) -> float:
        return self[0]

    @property
    def lower(self) -> float:
        return self[1]

    @property
    def upper(self) -> float:
        return self[2]

    def __repr__(self) -> str:  # the tuple, then what to read with it
        return _repr.final_loss(self)
