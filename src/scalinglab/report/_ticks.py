"""Log-axis tick labels written as the tables write numbers (``300M``, ``0.002``, ``1%``)
rather than matplotlib's ``3 × 10⁸``, whose minor labels, wide, ran into each other on an
axis spanning less than a decade (the hparams page's lr* against N). Matplotlib is
imported when an axis is labelled, not with this module."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["label_to_top", "plain_log_ticks"]


def plain_log_ticks(axis: Any, fmt: Callable[[float], str], *, also: Sequence[float] = ()) -> None:
    """Label the log-scaled matplotlib ``axis``'s major and minor ticks with ``fmt``
    (:func:`~scalinglab._format.format_count` for sizes, ``format_g`` for rates): the ticks
    matplotlib would label, and any tick at one of ``also`` (:func:`label_to_top`'s)."""
    from matplotlib.ticker import LogFormatterSciNotation

    class Plain(LogFormatterSciNotation):
        """Matplotlib's choice of which log ticks to label, each label written by ``fmt``."""

        def __call__(self, x: float, pos: int | None = None) -> str:
            forced = any(math.isclose(x, a, rel_tol=1e-9) for a in also)
            return fmt(x) if forced or super().__call__(x, pos) else ""

    axis.set_major_formatter(Plain())
    axis.set_minor_formatter(Plain(labelOnlyBase=False))


def label_to_top(ax: Any, largest: float, fmt: Callable[[float], str]) -> None:
    """Label the log-scaled y axis of ``ax`` as :func:`plain_log_ticks` does, with a label
    at or above ``largest`` (its largest point): above the top label matplotlib chooses,
    a point read as off the scale (13% with 10% the top label, on an axis spanning over a
    decade, where only decades are labelled). Where none is, the axis reaches the next
    one-digit value (20% for 13%), where a minor tick lies, and that tick is labelled."""
    plain_log_ticks(ax.yaxis, fmt)
    if not (math.isfinite(largest) and largest > 0) or _labelled_from(ax.yaxis, largest):
        return
    power = 10.0 ** math.floor(math.log10(largest))
    top = math.ceil(largest / power * (1 - 1e-12)) * power  # 0.1315 -> 0.2, 0.1 stays
    ax.set_ylim(top=max(ax.get_ylim()[1], top))
    plain_log_ticks(ax.yaxis, fmt, also=(top,))


def _labelled_from(axis: Any, value: float) -> bool:
    """Whether ``axis`` labels a tick at or above ``value`` within its view, as drawing it
    would: each locator's ticks, each formatter's choice among them."""
    lo, hi = sorted(axis.get_view_interval())
    for locator, formatter in (
        (axis.get_major_locator(), axis.get_major_formatter()),
        (axis.get_minor_locator(), axis.get_minor_formatter()),
    ):
        locs = [x for x in locator() if lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9)]
        formatter.set_locs(locs)
        if any(x >= value * (1 - 1e-9) and formatter(x) for x in locs):
            return True
    return False
