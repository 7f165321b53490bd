"""A figure made quick to draw before it is saved: log tick labels as plain text, and the
constrained layout computed once.

Drawing the report's figures took most of ``scalinglab report``'s time, and most of that was
matplotlib's own work around the tick labels: the default log labels are mathtext
(``$\\mathdefault{10^{21}}$``), parsed and laid out glyph by glyph, and the constrained layout
measured every tick label again in a pre-pass of each ``savefig``. :func:`settle` labels a
log axis ``10²¹`` (unicode superscripts, the same glyphs as plain text), lays the figure out
once with its constrained layout, and then removes its layout engine, so a ``savefig`` (or a
second one, in another format) draws the figure once and lays nothing out::

    settle(fig)             # after the figure is built, before fig.savefig(...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from matplotlib.ticker import LogFormatterSciNotation

__all__ = ["PowerLabels", "power_label", "settle"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(value: float, *, base: float = 10.0) -> str:
    """``value`` as a power of ``base`` in plain text: ``10²¹``, ``3 × 10⁻²``, ``−10⁴``.

    Args:
        value: A tick's value.
        base: The log axis's base.

    Returns:
        The label, with unicode superscript digits rather than mathtext.
    """
    import math

    if value == 0:
        return "0"
    sign = "−" if value < 0 else ""
    size = abs(value)
    power = math.log(size) / math.log(base)
    exponent = math.floor(power + 1e-9)  # 1e21 computed as 20.999999: the decade 21
    coeff = size / base**exponent
    whole = f"{base:g}{str(exponent).translate(_SUPERSCRIPT)}"
    if math.isclose(coeff, 1.0, rel_tol=1e-9):
        return sign + whole
    # thin spaces about the ×, as mathtext spaces a binary operator
    return f"{sign}{round(coeff, 6):g}\u2009×\u2009{whole}"


class PowerLabels(LogFormatterSciNotation):
    """Matplotlib's log tick labels (which ticks are labelled, as it decides) written as
    plain text by :func:`power_label`, not mathtext: the same look, drawn several times
    faster, as mathtext is parsed into glyphs label by label."""

    def __init__(self, *, base: float, label_only_base: bool, minor_thresholds: Any) -> None:
        super().__init__(
            base=base, labelOnlyBase=label_only_base, minor_thresholds=minor_thresholds
        )
        self.base_value = base

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``: ``""`` where matplotlib labels none."""
        if not super().__call__(x, pos):  # which ticks carry a label: matplotlib's rule
            return ""
        return power_label(x, base=self.base_value)


def settle(fig: Any) -> None:
    """Make ``fig`` quick to draw, its content and look unchanged: log ticks labelled by
    :class:`PowerLabels`, and its constrained layout (if it has one) run once and fixed.

    Call it once the figure is built, before saving it; again, it does nothing more.
    """
    for axis in _axes(fig):
        _plain_log_labels(axis)
    _layout_once(fig)


def _axes(fig: Any) -> list[Any]:
    return [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]


def _plain_log_labels(axis: Any) -> None:
    """Swap matplotlib's default log formatters (major and minor) for :class:`PowerLabels`;
    a formatter set by the plot (``2.5`` on a short loss axis) is left as it is."""
    if axis.get_scale() != "log":
        return
    base = float(axis.get_transform().base)
    major, minor = axis.get_major_formatter(), axis.get_minor_formatter()
    if type(major) is LogFormatterSciNotation:
        axis.set_major_formatter(_plain(major, base))
    if type(minor) is LogFormatterSciNotation:
        axis.set_minor_formatter(_plain(minor, base))


def _plain(formatter: LogFormatterSciNotation, base: float) -> PowerLabels:
    return PowerLabels(
        base=base,
        label_only_base=formatter.labelOnlyBase,
        minor_thresholds=formatter.minor_thresholds,
    )


def _layout_once(fig: Any) -> None:
    """Run ``fig``'s constrained layout now, then fix it (no layout engine, positions kept).

    Minor ticks that carry no label are left out of the measure: their marks are shorter
    than the major ticks' and inside the layout's padding, and measuring them doubled its
    cost (a log axis over many decades has dozens).
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.ticker import NullLocator

    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        return  # a fixed layout already, or none
    unlabelled = [axis for axis in _axes(fig) if not _minor_labels(axis)]
    kept = [axis.get_minor_locator() for axis in unlabelled]
    for axis in unlabelled:
        axis.set_minor_locator(NullLocator())
    try:
        with _ticks_once_per_place(fig):
            engine.execute(fig)
    finally:
        for axis, locator in zip(unlabelled, kept, strict=True):
            axis.set_minor_locator(locator)
    _no_engine(fig)  # keeps the positions just computed


def _no_engine(fig: Any) -> None:
    """Leave ``fig`` with no layout engine at all, its axes where they are.

    ``set_layout_engine("none")`` leaves a placeholder engine on a figure that had one, and
    ``savefig`` draws a figure with any engine once, its output thrown away, before the draw
    it writes: a whole second draw of every figure (its ticks and labels measured again) for
    a layout that no longer moves anything. With no engine, ``savefig`` draws it once.
    """
    from matplotlib import rc_context

    # ``None`` takes the engine the rc settings name: here none, so the figure keeps none
    with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


@contextmanager
def _ticks_once_per_place(fig: Any) -> Iterator[None]:
    """Within the block, each axis of ``fig`` places its ticks once per place of its axes.

    The constrained layout measures an axes' tight box, each spine's extent and its
    neighbours' tick labels, and each measure places the axis's ticks again (matplotlib's
    ``Axis._update_ticks``: locate, format, move every tick), some eight times per axes in
    each of the layout's two passes, with nothing moved in between. Here an axis places its
    ticks anew only where its axes' box on the canvas, its view limits or the figure's dpi
    changed since it last did (between the passes), and gives the same ticks otherwise:
    what a placing again would give, as the ticks are those objects, placed just so.
    Where matplotlib has no such method, the block changes nothing.
    """
    from matplotlib.axis import Axis

    place = getattr(Axis, "_update_ticks", None)
    if place is None:  # pragma: no cover - another matplotlib: measured as it measures
        yield
        return
    axes = _axes(fig)
    for axis in axes:
        axis._update_ticks = _placed_once(axis, place)
    try:
        yield
    finally:
        for axis in axes:
            del axis._update_ticks  # matplotlib's own again


def _placed_once(axis: Any, place: Callable[[Any], list[Any]]) -> Callable[[], list[Any]]:
    last: list[Any] = [None, []]  # where the ticks were placed, and those drawn there

    def placed() -> list[Any]:
        where = (
            tuple(axis.axes.bbox.bounds),
            tuple(axis.get_view_interval()),
            axis.figure.dpi,
        )
        if where != last[0]:
            last[:] = [where, place(axis)]
        return list(last[1])

    return placed


def _minor_labels(axis: Any) -> bool:
    """Whether any minor tick in view of ``axis`` carries a label."""
    locs = axis.get_minorticklocs()
    return any(axis.get_minor_formatter().format_ticks(locs)) if len(locs) else False
