"""The bounds of a located or predicted hyperparameter: :class:`Interval`."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Interval"]


class Interval(NamedTuple):
    """An interval with named ends, ``iv.lower`` and ``iv.upper``, as every other interval
    of the API has them (an allocation's ``params.lower``, a prediction's ``lower``), and
    still the pair it was: ``lo, hi = cell.lr_interval`` and ``iv == (lo, hi)`` hold, and
    JSON writes it as the list ``[lower, upper]``.

    Attributes:
        lower: The lower end (NaN without an interval).
        upper: The upper end (NaN without an interval).
    """

    lower: float
    upper: float
