"""A planned allocation as text, in parts: the table ``scalinglab plan`` prints
(:func:`scalinglab.cli._views.print_allocation` draws it with Rich) and a notebook shows
(:meth:`Allocation._repr_html_ <scalinglab.plan.Allocation._repr_html_>`), built here once
so the two never drift."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._cells import beyond_text, count_for, flops, interval, ratio
from scalinglab._format import format_level, format_loss

if TYPE_CHECKING:
    from scalinglab.plan._result import Allocation, Estimate

__all__ = [
    "BEYOND",
    "AllocationText",
    "FrontierText",
    "allocation_text",
    "flops_interval_line",
    "frontier_text",
    "has_band",
    "loss_interval_line",
]

#: The label of the row of how far N*, D* (C, for a law of compute alone) lie outside the runs.
BEYOND = "beyond the data"
_NOT_DETERMINED = ("params N*", "tokens D*", "tokens/param")


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
        # the loss as its row writes it, 2.0000 in both
        title = f"compute needed to reach loss {format_loss(a.loss.value)}, allocated optimally"
    if alone:
        title = (
            f"loss at C = {flops(a.flops.value)} FLOPs"
            if query == "flops"
            else f"compute needed to reach loss {format_loss(a.loss.value)}"
        ) + " (a law of compute alone: no allocation)"
    level = a.level if has_band(a) else 0.0
    # no distance: a preset (or a fit-like without runs), a point estimate, not a fit
    unbanded = "the fit has no bootstrap" if math.isfinite(a.distance) else "none: a point estimate"
    band_column = f"{format_level(level)} interval" if level else f"interval ({unbanded})"
    shown: list[tuple[str, Estimate, Callable[[float], str], bool]] = [
        ("params N*", a.params, _count(a.params), False),
        ("tokens D*", a.tokens, _count(a.tokens), False),
        ("tokens/param", a.tokens_per_param, ratio, False),
        ("loss", a.loss, format_loss, query == "target_loss"),
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
        rows.append((BEYOND, far, "C" if alone else "N, D, N·D or tokens/param"))
    return AllocationText(title, ("quantity", "value", band_column), tuple(rows))


@dataclass(frozen=True)
class FrontierText:
    """The text of several budgets' allocations in one table, a row each: the plan table
    ``scalinglab fit`` prints (:func:`scalinglab.cli._fit_views.print_plan_summary` draws
    it with Rich) and a notebook shows of a :class:`~scalinglab.plan.Frontier`.

    Attributes:
        title: ``compute-optimal allocation (C = 6·N·D, 90% intervals)``.
        columns: The header cells: compute, then N*, D* and tokens per parameter (none for
            a law of compute alone), loss, and ``beyond data`` where measured.
        rows: Each budget's cells, each ``(value, interval)``: the interval ``""`` where
            there is none (the budget, the distance, a preset's numbers); a distance's value
            on two lines, its factor and its decades.
        far: Whether the last column is the distance beyond the data.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]
    far: bool


def frontier_text(allocations: Sequence[Allocation], *, above: bool = True) -> FrontierText:
    """The parts of the table of several budgets' allocations (see :class:`FrontierText`).

    Args:
        allocations: One or more allocations of one plan, each at a budget.
        above: Whether a line above the table says why there are no intervals (``fit``'s
            does): the title then says ``(see above)``.

    Returns:
        The title, header and cells, the same for the terminal and a notebook.
    """
    from scalinglab.plan._compute_alone import COMPUTE_ALONE

    first = allocations[0]
    level = first.level if any(has_band(a) for a in allocations) else 0.0
    bare = ", no intervals (see above)" if above else ", no intervals"
    band = f", {format_level(level)} intervals" if level else bare
    alone = first.method == COMPUTE_ALONE  # L(C): the loss at a budget, no allocation
    what = "loss at each budget" if alone else "compute-optimal allocation"
    far = any(math.isfinite(a.distance) for a in allocations)
    sized = () if alone else ("params N*", "tokens D*", "tokens/param")
    columns = ("compute (FLOPs)", *sized, "loss", *(("beyond data",) if far else ()))
    rows = []
    for a in allocations:
        row = [(flops(a.flops.value), "")]
        if not alone:
            row += [_pair(a.params, _count(a.params)), _pair(a.tokens, _count(a.tokens))]
            row.append(_pair(a.tokens_per_param, ratio))
        row.append(_pair(a.loss, format_loss))
        if far:
            row.append((beyond_text(a.distance, below=a.below), ""))
        rows.append(tuple(row))
    return FrontierText(f"{what} ({first.flops_rule}{band})", columns, tuple(rows), far)


def _at(allocation: Allocation) -> str:
    """Where a plan's prediction interval is read: at the budget ``C`` for a law of compute
    alone (whose plan has no other intervals), else at the optimum ``(N*, D*)``."""
    from scalinglab.plan._compute_alone import COMPUTE_ALONE

    return "C" if allocation.method == COMPUTE_ALONE else "(N*, D*)"


def _others(at: str) -> str:
    return (
        ""
        if at == "C"
        else "; the other intervals: over the bootstrap fits' optima, one per resample"
    )


def loss_interval_line(allocations: Sequence[Allocation]) -> str:
    """The line under a compute plan saying what its loss interval is, where it is the fit's
    prediction interval for one run rather than the other rows' spread over the bootstrap's
    optima; ``""`` where it is not (no bootstrap, a preset)."""
    from scalinglab.plan._allocation import interval_kinds

    kinds = interval_kinds(allocations)
    if not kinds:
        return ""
    at = _at(allocations[0])
    return (
        f"loss interval: the fit's {'/'.join(kinds)} prediction interval for one run at {at}"
        + _others(at)
    )


def flops_interval_line(allocation: Allocation) -> str:
    """The line under a plan for a target loss saying what its compute interval is, where
    it is the fit's prediction interval for one run, inverted, rather than the other rows'
    spread over the bootstrap's optima; ``""`` where it is not."""
    from scalinglab.plan._allocation import interval_kinds

    kinds = interval_kinds([allocation], of="flops")
    if not kinds:
        return ""
    at, level = _at(allocation), allocation.level
    return (
        f"compute interval: from where the lower bound of the fit's {kinds[0]} "
        f"prediction interval for one run at {at} reaches the loss "
        f"({format_level((1 - level) / 2)} of runs would) to where its upper bound "
        f"does ({format_level((1 + level) / 2)} would){_others(at)}"
    )


def _count(est: Estimate) -> Callable[[float], str]:
    """How an estimate's counts are written, the value and its interval in one style."""
    return count_for(est.value, est.lower, est.upper)


def _pair(est: Estimate, form: Callable[[float], str]) -> tuple[str, str]:
    """An estimate's value and its interval (``""`` without one), each as ``form`` writes."""
    return form(est.value), interval(est.lower, est.upper, form)
