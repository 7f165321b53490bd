"""What a curve fit predicts: a whole loss curve (:class:`CurvePrediction`) or one final loss
(:class:`FinalLoss`), each with the notes and warnings to read it with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._json import json_ready
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
        notes: What to read with it: the schedule's own notes, its parts outside the fitted
            curves (steps, learning rate, model size), steps whose estimate lies outside its
            interval, why there is no interval or what it covers.
        warnings: Reasons not to trust it, one line each (as :attr:`FitResult.warnings
            <scalinglab.FitResult.warnings>`): coefficients of the fit held at a bound of
            their range, intervals from too few resamples for :attr:`level`, a schedule or
            model size far outside the fitted ones.
        params: The model size predicted, for a fit across sizes; ``None`` otherwise.
    """

    step: NDArray[np.int64]
    loss: Array
    lower: Array
    upper: Array
    level: float
    schedule: Schedule
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    params: float | None = None

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.prediction(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """What ``curves predict --json`` prints of it (after the ``format``, the fit's
        ``source`` and ``law``): every predicted step with its learning rate, loss and
        interval (``loss_lower``, ``loss_upper``; ``lower`` and ``upper``, the same numbers,
        kept one release), then the notes and warnings.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        s = self.schedule
        return {
            **({} if self.params is None else {"params": self.params}),
            "schedule": s.spec,
            "steps": s.steps,
            "warmup": s.warmup,
            "level": self.level,
            "step": self.step,
            "lr": s.lr[self.step],
            "loss": self.loss,
            "loss_lower": self.lower,  # an estimate as `plan --json` writes one
            "loss_upper": self.upper,
            "lower": self.lower,  # the old keys, kept one release
            "upper": self.upper,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


class FinalLoss(tuple[float, float, float]):
    """``(loss, lower, upper)`` at a schedule's last step, as :meth:`CurveFit.final_loss`
    returns it: a plain 3-tuple to unpack and compare, with :attr:`notes` and
    :attr:`warnings` (the same as :attr:`CurvePrediction.notes` and
    :attr:`CurvePrediction.warnings`: an estimate outside its own interval, extrapolation,
    no interval), :attr:`level`, :attr:`schedule` (the spec evaluated, every value named:
    the fit's defaults filled in) and :attr:`params` (the size of a fit across sizes)
    besides.
    """

    level: float
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    schedule: str
    params: float | None

    def __new__(
        cls,
        loss: float,
        lower: float,
        upper: float,
        *,
        level: float,
        notes: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
        schedule: str = "",
        params: float | None = None,
    ) -> FinalLoss:
        self = super().__new__(cls, (float(loss), float(lower), float(upper)))
        set_ = object.__setattr__  # (a tuple takes no __slots__)
        set_(self, "level", float(level))
        set_(self, "notes", tuple(notes))
        set_(self, "warnings", tuple(warnings))
        set_(self, "schedule", str(schedule))
        set_(self, "params", None if params is None else float(params))
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

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The final step of :meth:`CurvePrediction.to_dict`, one number each: ``params``
        (a fit across sizes), ``schedule``, ``level``, ``loss``, ``loss_lower``,
        ``loss_upper``, ``notes`` and ``warnings``.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        return {
            **({} if self.params is None else {"params": self.params}),
            "schedule": self.schedule,
            "level": self.level,
            "loss": self.loss,
            "loss_lower": self.lower,
            "loss_upper": self.upper,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }
