"""The tokens the runs behind a published law trained on, as its source states them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TrainedTokens"]


@dataclass(frozen=True)
class TrainedTokens:
    """The range of tokens D the runs behind a preset's numbers trained on, and where that
    is stated. Below ``low`` the preset extrapolates; a D derived from a compute
    (``flops=`` with ``params=``) more than a decade below it is most likely a compute
    typed orders of magnitude too small, and the prediction says so
    (:mod:`scalinglab.fit._flops_slip`).

    Attributes:
        low: Smallest D.
        high: Largest D.
        source: Where the range is stated, or how it was read off the runs.
    """

    low: float
    high: float
    source: str
