"""Pieces of the report's plan section: a row's distance beyond the fitted runs, and the
fit's allocation exponents, each as the command line's plan says it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._format import format_beyond
from scalinglab.report._html_parts import escape

if TYPE_CHECKING:
    from scalinglab.fit import AllocationExponents

__all__ = ["beyond_cell", "exponents_paragraph"]


def beyond_cell(distance: float, below: bool | None) -> str:
    """The distance outside the fitted runs, as the CLI's plan shows it: ``x22 (1.34 dec)``,
    ``x22 below (1.34 dec)`` for a row below them."""
    from scalinglab.fit._diagnostics import FAR

    factor, decades = format_beyond(distance)
    factor += " below" if below and decades else ""
    shown = f"{factor} ({decades})" if decades else factor
    far = " far" if math.isfinite(distance) and distance > FAR else ""
    return f"<td class='num{far}' data-value='{float(distance)!r}'>{escape(shown)}</td>"


def exponents_paragraph(exponents: AllocationExponents | None) -> str:
    """The line ``fit`` prints under its plan's method, ``allocation exponents: N* ∝ C^a,
    a = beta/(alpha+beta) = 0.578 [0.404, 0.685]; ...``, as a paragraph; ``""`` for none
    (a law without a closed-form allocation)."""
    return "" if exponents is None else f"<p class='exponents'>{escape(exponents)}</p>"
