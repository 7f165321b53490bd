"""The numbers of a table's cells as text, one way for every view: the CLI's Rich tables
(:mod:`scalinglab.cli._render` re-exports these) and a plan's notebook HTML
(:mod:`scalinglab.plan._text`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scalinglab._format import (
    format_beyond,
    format_count,
    format_flops,
    format_g,
    format_infinite,
    format_interval,
    format_number,
)

__all__ = [
    "accuracy",
    "beyond_style",
    "beyond_text",
    "count",
    "count_for",
    "estimate",
    "estimate_ends",
    "estimate_parts",
    "exponent",
    "flops",
    "interval",
    "number",
    "ratio",
]


def number(x: float, digits: int = 5) -> str:
    """``x`` to ``digits`` significant figures, scientific when very large or small
    (:func:`scalinglab._format.format_number`: the report's tables write it so too)."""
    return format_number(x, digits)


def estimate(value: float, lower: float, upper: float, digits: int = 5) -> str:
    """``value [lower, upper]``: the value to ``digits`` significant figures (:func:`number`),
    its interval's ends to the same decimals (``2.735 [2.644, 2.840]``, never ``2.735 [2.644,
    2.84]`` nor ``2.685 [1.5288, 2.6854]``); ends in exponent form where the value is, or
    where an end is too large for them; the value alone without an interval."""
    shown, band = estimate_parts(value, lower, upper, digits)
    return f"{shown} {band}" if band else shown


def estimate_parts(
    value: float,
    lower: float,
    upper: float,
    digits: int = 5,
    *,
    bounds: tuple[float, float] | None = None,
) -> tuple[str, str]:
    """:func:`estimate`'s value and interval apart, for a table that gives each its column
    (a fit's coefficients): ``("1.7449", "[1.6021, 1.9120]")``, each end as
    :func:`estimate_ends` writes it; ``(number(value), "")`` without an interval."""
    shown, low, high = estimate_ends(value, lower, upper, digits, bounds=bounds)
    return shown, (f"[{low}, {high}]" if low else "")


def estimate_ends(
    value: float,
    lower: float,
    upper: float,
    digits: int = 5,
    *,
    bounds: tuple[float, float] | None = None,
) -> tuple[str, str, str]:
    """A coefficient's value and its interval's two ends, each as its cell writes it (the
    report's table gives each end its column; :func:`estimate_parts` brackets them): the
    ends to the value's decimals, never ``1.912`` beside ``1.7449``. An end those decimals
    would write with more figures than ``digits`` (``578.0234`` beside ``1.2345``) or under
    3 (``0.0021534`` beside ``1.9966``) is written by its own figures (``578.02``,
    ``0.0021534``), as a column's numbers are (:func:`~scalinglab._format.format_column`),
    its trailing zeros kept whatever the value's form (``0.0011330`` beside ``3.1595e-4``
    as ``0.035600`` beside ``0.027127``: one style down the column); where either end is in
    exponent form (``1.5721e5``), both ends are, ``[3.5312, 1.5721e5]``, not ``[3.53,
    1.5721e5]``. An end on a round bound of the coefficient's range (``bounds``: ``-1``,
    ``3``, ``0.001``, ``1e-6``) is the bound, bare: ``[-1, 3]``, never ``[-1.0000,
    3.0000]``; a value on the bound an end is on too (``3 [0.18465, 3]``, not ``3.0000``). A value of 0 is ``0``, its ends by their own figures (``0 [0, 0.0123]``, not
    ``0.000 [0, 0]``); an infinite end ``∞`` or ``-∞``
    (:func:`~scalinglab._format.format_infinite`); ``(number(value), "", "")`` without an
    interval (an end NaN)."""
    shown = number(value, digits)
    # else figures, not decimals; 0 has no figures to count: "0 [0, 0]", as "0" alone
    fixed = "e" not in shown and math.isfinite(value) and value != 0
    places = len(f"{value:#.{digits}g}".partition(".")[2]) if fixed else 0  # trailing 0s too
    round_bounds = [b for b in bounds or () if _round(b)]

    def bound(x: float) -> float | None:  # the round bound x sits on (to float noise)
        return next((b for b in round_bounds if abs(x - b) <= 1e-9 * abs(b)), None)

    ends = [bound(x) or x for x in (lower, upper) if math.isfinite(x)]
    # an end past fixed form (1e5 on, under 1e-3) puts both to their own figures
    alike = fixed and not any("e" in number(x, digits) for x in ends)
    # the value's figures, zeros kept, where it has any (0 has none: "0 [0, 0.0123]")
    padded = math.isfinite(value) and value != 0

    def end(x: float) -> str:
        on = bound(x)
        if on is not None:  # set by the range, not measured: no zeros to pad
            return number(on, digits)
        text = f"{x:.{places}f}" if alike else ""
        if 3 <= len(text.lstrip("-").replace(".", "").lstrip("0")) <= digits:
            return text
        own = f"{x:#.{digits}g}"  # its own figures, trailing zeros kept as the value's
        if padded and 1e-3 <= abs(x) < 1e5 and "e" not in own:
            return own.rstrip(".")
        return number(x, digits)

    if math.isnan(lower) or math.isnan(upper):  # no interval
        return shown, "", ""

    def written(x: float) -> str:  # as :func:`interval` writes an end
        return end(x) if math.isfinite(x) else format_infinite(x)

    # a value on the bound an end sits on is that bound, as the end is: "3 [0.18, 3]"
    on = bound(value)
    if on is not None and any(bound(x) == on for x in (lower, upper)):
        return number(on, digits), written(lower), written(upper)
    return (f"{value:.{places}f}" if fixed else shown), written(lower), written(upper)


def _round(x: float) -> bool:
    """Whether ``x`` is a number of one figure, as a law's bounds are (``-1``, ``3``,
    ``0.001``, ``1e-6``; not 0, which every form writes bare already)."""
    return math.isfinite(x) and x != 0 and x == float(f"{x:.0e}")


def exponent(e: Any) -> str:
    """An allocation exponent (``e``: ``value``, ``lower``, ``upper``), ``a`` of ``N* ∝ C^a``
    or ``b`` of ``D* ∝ C^b``, to three decimals with its interval, ``0.578 [0.430, 0.720]``
    (the value alone without one): ``isoflop``, ``envelope`` and ``fit`` write them so."""
    band = f" [{e.lower:.3f}, {e.upper:.3f}]" if math.isfinite(e.lower) else ""
    return f"{e.value:.3f}{band}"


def accuracy(x: float) -> str:
    """A task's accuracy (a fraction) to three decimals, ``0.850``, as every table of task
    scores writes it, the command line's and the report's; ``—`` for NaN."""
    return f"{x:.3f}" if math.isfinite(x) else "—"


def flops(x: float) -> str:
    """A FLOP count, ``5.76e23``, ``1e24``."""
    return format_flops(x) if math.isfinite(x) else number(x)


def count(x: float) -> str:
    """A parameter or token count in units people use: ``70B``, ``1.4T``."""
    return format_count(x) if math.isfinite(x) else number(x)


def count_for(*values: float) -> Callable[[float], str]:
    """How to write one estimate's counts (its value and its interval's ends), in one style:
    :func:`count` (``70B``, ``1.4T``), or all as FLOP counts are (``1.79e17 [3.67e12, ∞]``)
    where one finite value is past the units (from 1e15 on), never ``1.79e17 [3.67T, ∞]``."""
    big = any(math.isfinite(v) and abs(float(f"{v:.3g}")) >= 1e15 for v in values)
    return flops if big else count


def interval(lower: float, upper: float, form: Any = number) -> str:
    """``[lower, upper]`` (an infinite end as ∞), or ``""`` where there is no interval."""
    return format_interval(lower, upper, form)


def ratio(x: float) -> str:
    """Tokens per parameter: ``3.5``, ``20``, ``12450``; from 1e5 on, where :func:`number`
    turns to exponent form too, to three figures as a FLOP count is written, ``1.85e5``,
    ``1.67e20`` (not ``185185``, nor a degenerate plan's edge in 21 digits)."""
    if not math.isfinite(x):
        return number(x)
    if abs(x) >= 1e5:
        return format_flops(x)
    return f"{x:.0f}" if abs(x) >= 100 else format_g(x, 3)


def beyond_style(d: float, *, unit: str = "dec") -> str:
    """The style of :func:`beyond_text`'s cell: ``"bold yellow"`` outside the data past
    :data:`~scalinglab.fit._diagnostics.FAR` (a decade), ``""`` otherwise; the terminal's
    tables and the notebook's alike."""
    from scalinglab.fit._diagnostics import FAR  # NumPy: only where a table is drawn

    return "bold yellow" if bool(format_beyond(d, unit=unit)[1]) and d > FAR else ""


def beyond_text(d: float, *, below: bool | None = False, unit: str = "dec") -> str:
    """Distance outside the data as a factor and in decades, on two lines (``x500`` then
    ``2.7 dec``; ``x500 below`` for a point below the runs); in another ``unit`` (spans of a
    fitted range), without a factor (``0.40 span below``); ``inside`` or ``—`` alone."""
    factor, decades = format_beyond(d, unit=unit)
    if not decades:  # unknown, or inside the data
        return factor
    where = " below" if below else ""
    return f"{factor}{where}\n{decades}" if factor else f"{decades}{where}"
