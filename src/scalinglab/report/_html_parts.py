"""Pieces of the report's HTML: a :class:`Section`, escaping, and number cells.

Every number is shown rounded and carried exactly in ``data-value`` (``repr`` of the float),
so tests and scripts read the same values the fit holds.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scalinglab._format import (
    format_gain,
    format_grouped,
    format_infinite,
    format_interval,
    format_loss,
    format_number,
    format_quantity,
)

if TYPE_CHECKING:
    from scalinglab.fit import FitResult

__all__ = [
    "Section",
    "bootstrap_said",
    "escape",
    "estimate_cell",
    "figure_block",
    "g",
    "human",
    "kept_said",
    "notes_list",
    "number_cell",
    "page",
    "percent",
    "quantity_cell",
    "span",
    "status_class",
    "warnings_list",
]


@dataclass(frozen=True)
class Section:
    """One section of the page.

    Attributes:
        key: HTML id (``[a-z0-9-]``), also its anchor in the contents.
        title: Heading (plain text; escaped when written).
        body: The section's HTML, already escaped by whoever built it.
        validation: One line for the card's "validation" item, if the section validates the fit.
        warnings: The warnings the section shows, in its order: ``report`` prints them on
            stderr, as the commands that compute them do.
        shown: What the section shows, for ``report --json`` (the allocations of the plan,
            a :class:`~scalinglab.validate.Backtest`, an ``IsoFLOPResult``), or ``None``.
    """

    key: str
    title: str
    body: str
    validation: str = ""
    warnings: tuple[str, ...] = ()
    shown: Any = None


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value: ``& < > " '`` escaped."""
    return html.escape(str(text), quote=True)


def g(value: float, digits: int = 5) -> str:
    """``value`` to ``digits`` significant figures as the command line's tables write it
    (:func:`scalinglab._format.format_number`: ``0.058214``, ``1.2346e5``); ``—`` for NaN,
    ``∞`` or ``-∞`` for an infinite end, as the command line writes one
    (:func:`scalinglab._format.format_infinite`)."""
    if not math.isfinite(value):
        return "—" if math.isnan(value) else format_infinite(value)
    return format_number(value, digits)


def percent(value: float, digits: int = 2) -> str:
    """A fraction as a percentage, ``1.01%``; ``—`` where there is none (NaN)."""
    return f"{value:.{digits}%}" if math.isfinite(value) else "—"


def human(value: float, column: str) -> str:
    """A size in the units the command line prints: counts as 70M, 1.4T; FLOPs as 5.76e23;
    a ``loss`` as its tables write one, ``1.8940`` (:func:`scalinglab._format.format_loss`)."""
    if not math.isfinite(value):
        return g(value)
    if column in ("params", "tokens", "flops"):
        return format_quantity(value, column)
    return format_loss(value) if column == "loss" else g(value)


def span(lower: float, upper: float, form: Callable[[float], str] = g) -> str:
    """An interval as ``[lower, upper]`` in ``form``, as the command line writes one
    (:func:`scalinglab._format.format_interval`: an unbounded one ``[0, ∞]``); ``—`` where
    there is none (NaN)."""
    return format_interval(lower, upper, form) or "—"


def quantity_cell(value: float, column: str) -> str:
    """:func:`number_cell` in human units (:func:`human`), the exact value in ``data-value``."""
    return f"<td class='num' data-value='{float(value)!r}'>{escape(human(value, column))}</td>"


def residual_cell(value: float) -> str:
    """A fit's residual to four decimals with its sign (``+0.0102``, ``-0.0629``), one style
    down the column, the exact value in ``data-value``."""
    shown = g(value) if not math.isfinite(value) else format_gain(value)
    return f"<td class='num' data-value='{float(value)!r}'>{escape(shown)}</td>"


def number_cell(
    value: float, *, param: str = "", end: str = "", digits: int = 5, shown: str = ""
) -> str:
    """A number shown rounded (or as ``shown``: its column's way, as
    :func:`~scalinglab._format.format_column` writes one),
    with the exact value in ``data-value`` for machines."""
    attrs = f" data-value='{float(value)!r}'"
    if param:
        attrs += f" data-param='{escape(param)}'" + (f" data-end='{end}'" if end else "")
    text = shown if shown and math.isfinite(value) else g(float(value), digits)
    return f"<td class='num'{attrs}>{escape(text)}</td>"


def estimate_cell(estimate: Any, *, digits: int = 3, column: str = "") -> str:
    """An estimate and its interval in brackets (none where it has none), in the units of
    ``column`` (:func:`human`: ``params``, ``tokens``, ``flops``) or to ``digits`` figures."""

    def shown(x: float) -> str:
        return escape(human(x, column) if column else g(x, digits))

    lo, hi = float(estimate.lower), float(estimate.upper)
    value = float(estimate.value)
    interval = "" if math.isnan(lo) else f" <span class='ci'>[{shown(lo)}, {shown(hi)}]</span>"
    return f"<td class='num' data-value='{value!r}'>{shown(value)}{interval}</td>"


def figure_block(key: str, title: str, caption: str, markup: str) -> str:
    """A figure with its caption (bold ``title``, then ``caption``) above its inline SVG."""
    return (
        f"<figure id='fig-{escape(key)}'><figcaption><strong>{escape(title)}.</strong> "
        f"{escape(caption)}</figcaption>{markup}</figure>"
    )


def notes_list(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    return "<ul class='notes'>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>"


def warnings_list(warnings: Sequence[str]) -> str:
    """A fit's warnings, each a line the command line prints as ``warning: ...``."""
    if not warnings:
        return ""
    items = "".join(f"<li><strong>warning:</strong> {escape(w)}</li>" for w in warnings)
    return f"<ul class='warnings'>{items}</ul>"


def status_class(*, ok: bool, flagged: bool) -> str:
    """The status line's class: ``bad`` (not converged), ``warn`` (converged, but warned
    about or at a bound) or ``ok``."""
    return "bad" if not ok else ("warn" if flagged else "ok")


def page(heading: str, kind: str, sections: Sequence[Section], *, banner: str = "") -> str:
    """A self-contained page of ``sections`` under ``heading``, with contents; ``kind`` (the
    word after the version: ``report``) and ``banner`` (HTML, under the heading) name it."""
    from scalinglab import __version__
    from scalinglab.report._html_style import STYLE

    toc = "".join(f"<li><a href='#{escape(s.key)}'>{escape(s.title)}</a></li>" for s in sections)
    body = "".join(
        f"<section id='{escape(s.key)}'><h2>{escape(s.title)}</h2>{s.body}</section>"
        for s in sections
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'>"
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(heading)}</h1>{banner}"
        f"<p class='meta'>scalinglab {escape(__version__)} {escape(kind)}</p>"
        f"<nav><ol>{toc}</ol></nav></header><main>{body}</main></body></html>\n"
    )


def bootstrap_said(result: FitResult, *, noun: str = "bootstrap resamples") -> str:
    """How many bootstrap ``noun`` ``result``'s intervals come from, counting the resamples
    kept (one whose fit failed is left out of every interval): ``200 bootstrap resamples``,
    ``197 bootstrap resamples (3 of 200 resamples failed and were left out)``; ``""`` for
    none kept (no intervals: never "over 0 resamples")."""
    kept = 0 if result.samples is None else len(result.samples)
    if not kept:
        return ""
    failed = result.n_bootstrap - kept
    if failed <= 0:  # resamples given (fit(resamples=...)) count as refitted
        return f"{format_grouped(kept)} {noun}"
    return (
        f"{format_grouped(kept)} {noun} ({format_grouped(failed)} of "
        f"{format_grouped(result.n_bootstrap)} resamples failed and were left out)"
    )


def kept_said(
    requested: int, kept: Sequence[int], *, noun: str = "resamples", per: str = ""
) -> str:
    """How many resamples drew a page's intervals, as the card counts them: ``1,000
    resamples`` where every one was kept, ``1,000 resamples, 997 kept`` where some fits
    failed (left out of every interval), ``1,000 resamples, 950 to 1,000 kept per cell``
    (``per``: `` per cell``) where each interval kept its own; ``kept`` empty: not known
    (a fit read back without its draws), the requested alone."""
    said = f"{format_grouped(requested)} {noun}"
    if not kept or min(kept) == max(kept) == requested:
        return said
    lo, hi = min(kept), max(kept)
    lo_, hi_ = format_grouped(lo), format_grouped(hi)
    return f"{said}, {lo_} kept" if lo == hi else f"{said}, {lo_} to {hi_} kept{per}"
