"""The sizes a published hyperparameter rule was fitted on: outside them it extrapolates."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["FittedRange"]


@dataclass(frozen=True)
class FittedRange:
    """The sizes a preset's source fitted its rule on (``symbol`` between ``low`` and
    ``high``), and where that is said: outside it the rule is an extrapolation.

    Attributes:
        symbol: ``N`` (non-embedding parameters, as the presets read N).
        low: Smallest size.
        high: Largest size.
        source: Where in the source the range is stated.
    """

    symbol: str
    low: float
    high: float
    source: str

    def distance(self, value: float) -> float:
        """How many decades ``value`` lies outside the range (0 inside)."""
        return max(math.log10(value / self.high), math.log10(self.low / value), 0.0)

    def warning(self, value: float, preset: str, *, within: float | None = None) -> str | None:
        """A warning when ``value`` lies more than ``within`` decades (default
        :data:`FAR`) outside the range (nearer: :meth:`note`)."""
        from scalinglab.fit._diagnostics import FAR

        if self.distance(value) <= (FAR if within is None else within):
            return None
        return (
            f"{self._outside(value)}: preset {preset}'s lr and batch are an extrapolation that far"
        )

    def note(self, value: float, preset: str) -> str | None:
        """A note when ``value`` lies outside the range but within :data:`FAR` decades of
        it (farther: :meth:`warning`), ``None`` inside or farther."""
        from scalinglab.fit._diagnostics import FAR

        if not 0 < self.distance(value) <= FAR:
            return None
        return f"{self._outside(value)}: preset {preset}'s lr and batch extrapolate there"

    def _outside(self, value: float) -> str:
        from scalinglab._format import format_count

        d = self.distance(value)
        edge = (
            f"above {format_count(self.high)}"
            if value > self.high
            else (f"below {format_count(self.low)}")
        )
        return (
            f"{self.symbol} = {format_count(value)} is {d:.1f} decades {edge}, outside the "
            f"{format_count(self.low)} to {format_count(self.high)} its source fitted "
            f"({self.source})"
        )
