"""Log-axis tick labels written as the tables write numbers (``300M``, ``0.002``) rather
than matplotlib's ``3 × 10⁸``, whose minor labels, wide, ran into each other on an axis
spanning less than a decade (the hparams page's lr* against N)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.ticker import LogFormatterSciNotation

__all__ = ["plain_log_ticks"]


class _Plain(LogFormatterSciNotation):
    """Matplotlib's choice of which log ticks to label, each label written by ``fmt``."""

    def __init__(self, fmt: Callable[[float], str], *, minor: bool) -> None:
        super().__init__(labelOnlyBase=False) if minor else super().__init__()
        self._fmt = fmt

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._fmt(x) if super().__call__(x, pos) else ""


def plain_log_ticks(axis: Any, fmt: Callable[[float], str]) -> None:
    """Label the log-scaled matplotlib ``axis``'s major and minor ticks with ``fmt``
    (:func:`~scalinglab._format.format_count` for sizes, ``format_g`` for rates): the ticks
    matplotlib would label, no others."""
    axis.set_major_formatter(_Plain(fmt, minor=False))
    axis.set_minor_formatter(_Plain(fmt, minor=True))
