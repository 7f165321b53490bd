"""A planned allocation as text, in parts: the table ``scalinglab plan`` prints
(:func:`scalinglab.cli._views.print_allocation` draws it with Rich) and a notebook shows
(:meth:`Allocation._repr_html_ <scalinglab.plan.Allocation._repr_html_>`), built here once
so the two never drift."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._cells import beyond_text, count, flops, interval, ratio
from scalinglab._format import format_g, format_level

if TYPE_CHECKING:
    from scalinglab.plan._result import Allocation, Estimate

__all__ = ["BEYOND", "AllocationText", "allocation_text", "has_band"]

#: The label of the row of how far N*, D* (C, for a law of compute alone) lie outside the runs.
BEYOND = "beyond the data"
_NOT_DETERMINED = ("params N*", "tokens D*", "tokens per param")


@dataclass(frozen=True)
class AllocationText:
    """The text of one allocation's table.

    Attributes:
        title: ``compute-optimal allocation for C = 1e24 FLOPs``, or the target's.
        columns: The header cells: ``quantity``, ``value`` and the interval's.
        rows: Each row's cells: the quantity, its value, its interval (``(given)`` for the
            budget or target given, ``—`` without one); last, where measured, how far
            outside the runs (:data:`BEYOND`), its value on two lines.
    """

    title: str
    columns: tuple[str, str, str]
    rows: tuple[tuple[str, str, str], ...]


def has_band(allocation: Allocation) -> bool:
    """Whether an allocation carries intervals (a fit without bootstrap samples has none)."""
    return any(
        math.isfinite(e.lower) for e in (allocation.params, allocation.tokens, allocation.loss)
    )


def allocation_text(a: Allocation, *, query: str, defaulted: bool = False) -> AllocationText:
    """The parts of an allocation's table (see :class:`AllocationText`).

    Args:
        a: The allocation.
        query: ``"flops"`` (a budget) or ``"target_loss"``: which row was given rather
            than solved.
        defaulted: The budget or target was ``plan``'s default, none given: its row says
            ``(default)``, not ``(given)``.
    """
    from scalinglab.plan._compute_alone import COMPUTE_ALONE

    alone = a.method == COMPUTE_ALONE  # L(C): no N*, D* (the notes say why)
    if query == "flops":
        title = f"compute-optimal allocation for C = {flops(a.flops.value)} FLOPs"
    else:
        title = f"compute needed to reach loss {format_g(a.loss.value, 4)}, allocated optimally"
    if alone:
        title = (
            f"loss at C = {flops(a.flops.value)} FLOPs"
            if query == "flops"
            else f"compute needed to reach loss {format_g(a.loss.value, 4)}"
        ) + " (a law of compute alone: no allocation)"
    level = a.level if has_band(a) else 0.0
    band_column = (
        f"{format_level(level)} interval" if level else "interval (the fit has no bootstrap)"
    )
    shown: list[tuple[str, Estimate, Callable[[float], str], bool]] = [
        ("params N*", a.params, count, False),
        ("tokens D*", a.tokens, count, False),
        ("tokens per param", a.tokens_per_param, ratio, False),
        ("loss", a.loss, lambda x: f"{x:.4f}", query == "target_loss"),
        ("compute (FLOPs)", a.flops, flops, query == "flops"),
    ]
    rows = []
    for label, est, form, given in shown:
        band = interval(est.lower, est.upper, form) or "—"
        if given:
            band = "(default)" if defaulted else "(given)"
        if alone and label in _NOT_DETERMINED:
            band = "not determined by L(C)"
        rows.append((label, form(est.value), band))
    if math.isfinite(a.distance):  # from a fit: how far beyond its runs N*, D* reach
        far = beyond_text(a.distance, below=a.below)
        rows.append((BEYOND, far, "C" if alone else "N, D, N·D or D/N"))
    return AllocationText(title, ("quantity", "value", band_column), tuple(rows))
