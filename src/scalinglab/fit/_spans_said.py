"""What :mod:`._spans` says of a coefficient's interval, in words: the warning of one not
identified (:func:`unidentified`) and the note of those at the edge (:func:`edge_notes`).

An interval a fit's table shows is quoted as the table writes it: given the coefficient's
value, its ends go to the value's decimals (:func:`scalinglab._cells.estimate_parts`, the
coefficient table's cells), so ``fit``'s note reads ``[0.0582, 1.6949]`` beside the
table's ``1.1366 [0.0582, 1.6949]``, not ``[0.0582, 1.69]``; given the form its table
writes each end by (an hparams law's coefficient: ``[0.002077, 1.145e9]``), by that form;
with neither, to three figures as before."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._cells import estimate_parts
from scalinglab._format import format_g, format_grouped, format_interval, format_level, join_and
from scalinglab.fit._bounds import interval_at_bounds

if TYPE_CHECKING:
    from scalinglab.fit._spans import Span

__all__ = ["MAX_DECADES", "Edge", "Form", "edge_notes", "interval_said", "unidentified"]

#: A positive quantity's bootstrap interval spanning this many decades is not identified.
MAX_DECADES = 2.0


#: How a table writes one end of an interval by itself (``coef``: ``1.145e9``).
Form = Callable[[float], str]


def interval_said(
    interval: tuple[float, float],
    value: float = math.nan,
    *,
    form: Form | None = None,
    digits: int = 5,
    bounds: tuple[float, float] | None = None,
) -> str:
    """``[lower, upper]`` as a coefficient's table writes it: each end by ``form`` where
    its table writes the ends so (an hparams law's, :func:`scalinglab._hparams_numbers.coef`),
    else beside ``value`` (its ends to the value's decimals, the value to ``digits``
    figures, an end on a round one of ``bounds`` bare:
    :func:`~scalinglab._cells.estimate_parts`); with neither, each end to three figures
    (:func:`~scalinglab._format.format_g`)."""
    lo, hi = interval
    if form is not None:
        return format_interval(lo, hi, form)
    band = estimate_parts(value, lo, hi, digits, bounds=bounds)[1] if math.isfinite(value) else ""
    return band or f"[{format_g(lo, 3)}, {format_g(hi, 3)}]"


@dataclass(frozen=True)
class Edge:
    """A parameter whose span is at the edge of :data:`MAX_DECADES`: what its note says.

    Attributes:
        name: The parameter as the note names it.
        interval: Its interval, natural units.
        span: Its span at its ends' seed-to-seed error (:func:`~._spans.span`).
        resamples: The resamples drawn.
        level: Coverage of the interval.
        value: Its estimate, whose decimals the note writes the interval to as the
            table does (:func:`interval_said`); NaN: to three figures.
        form: How its table writes each end alone, where it does so (:func:`interval_said`).
        digits: The figures its table writes ``value`` to (the law's
            :attr:`~scalinglab.laws.Law.figures`).
        bounds: Its range: an end on a round bound is written bare.
    """

    name: str
    interval: tuple[float, float]
    span: Span
    resamples: int
    level: float
    value: float = math.nan
    form: Form | None = None
    digits: int = 5
    bounds: tuple[float, float] | None = None


def edge_notes(edges: Sequence[Edge]) -> list[str]:
    """The note of parameters at the edge of identified: one line for those of one count of
    resamples and level (a fit's), each interval and span in turn."""
    groups = dict.fromkeys((e.resamples, e.level) for e in edges)
    return [_edge_note([e for e in edges if (e.resamples, e.level) == g]) for g in groups]


def _edge_note(edges: Sequence[Edge]) -> str:
    first, one = edges[0], len(edges) == 1
    shown = [
        interval_said(e.interval, e.value, form=e.form, digits=e.digits, bounds=e.bounds)
        for e in edges
    ]
    to = " to " if one else "-"
    spans = [f"{_said(e.span.inner)}{to}{_said(e.span.outer)}" for e in edges]
    none = "it is not" if one else "neither is" if len(edges) == 2 else "none is"
    return (
        f"{join_and([e.name for e in edges])} {'is' if one else 'are'} at the edge of "
        f"identified: {'its' if one else 'their'} {format_level(first.level)} "
        f"interval{'' if one else 's'} {join_and(shown)} span{'s' if one else ''} "
        f"{join_and(spans)} decades within {'its' if one else 'their'} ends' seed-to-seed "
        f"error at {format_grouped(first.resamples)} resamples, around the {MAX_DECADES:g} that warn; the seed "
        f"would decide, so {none} warned of (more runs narrow {'it' if one else 'them'})"
    )


def unidentified(
    name: str,
    interval: tuple[float, float],
    positive: bool | None,
    *,
    bounds: tuple[float, float] | None = None,
    edge: bool = False,
    value: float = math.nan,
    form: Form | None = None,
    digits: int = 5,
) -> str | None:
    """The warning for a positive parameter whose interval spans :data:`MAX_DECADES`
    decades or more, or (given its range's ``bounds``) an interval with an end on a bound,
    the whole range at both: one line per parameter, or ``None``. ``edge``: its resamples
    put the span at the edge of :data:`MAX_DECADES` (:func:`~._spans.span`), so the seed,
    not the data, would decide a warning for it: none is given for the span. ``value``:
    its estimate, to whose decimals the interval is written, as its table writes it;
    ``form``: how its table writes each end alone, where it does; ``digits``: the figures it
    writes ``value`` to (:func:`interval_said`)."""
    lo, hi = interval
    low, high = interval_at_bounds(interval, bounds, positive=bool(positive)) if bounds else (0, 0)
    band = interval_said(interval, value, form=form, digits=digits, bounds=bounds)
    said = f"{name} is not identified: its interval {band}"
    if low and high:  # the resamples filled the range: the bounds are the interval
        return f"{said} is its whole allowed range"
    side = "lower" if low else "upper"
    reach = f"reaches the {side} bound of its range, which sets that end, not the data"
    if positive and not edge and lo > 0 and math.isfinite(hi) and hi / lo >= 10**MAX_DECADES:
        spans = f"{said} spans {math.log10(hi / lo):.1f} decades"
        return f"{spans} and {reach}" if low or high else spans
    return f"{said} {reach}" if low or high else None


def _said(decades: float) -> str:
    return "∞" if math.isinf(decades) else f"{decades:.1f}"
