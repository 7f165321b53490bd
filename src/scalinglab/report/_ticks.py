"""Log-axis tick labels written as the tables write numbers (``300M``, ``0.002``, ``1%``)
rather than matplotlib's ``3 × 10⁸``, whose minor labels, wide, ran into each other on an
axis spanning less than a decade (the hparams page's lr* against N). Matplotlib is
imported when an axis is labelled, not with this module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["plain_log_ticks"]


def plain_log_ticks(axis: Any, fmt: Callable[[float], str]) -> None:
    """Label the log-scaled matplotlib ``axis``'s major and minor ticks with ``fmt``
    (:func:`~scalinglab._format.format_count` for sizes, ``format_g`` for rates): the ticks
    matplotlib would label, no others."""
    from matplotlib.ticker import LogFormatterSciNotation

    class Plain(LogFormatterSciNotation):
        """Matplotlib's choice of which log ticks to label, each label written by ``fmt``."""

        def __call__(self, x: float, pos: int | None = None) -> str:
            return fmt(x) if super().__call__(x, pos) else ""

    axis.set_major_formatter(Plain())
    axis.set_minor_formatter(Plain(labelOnlyBase=False))
