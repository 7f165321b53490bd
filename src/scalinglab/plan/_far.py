"""How far a plan reaches outside the fitted runs, and what its intervals assume there (the
notes are the library's, :mod:`scalinglab.fit._far`, which a prediction carries too)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab.fit._far import below, far_notes
from scalinglab.fit._flops_slip import budget_notes, preset_floor
from scalinglab.fit._implausible import unconverged_warning
from scalinglab.fit._reach import reported_distance
from scalinglab.plan._search import planning_symbols

if TYPE_CHECKING:
    from scalinglab.laws import Law
    from scalinglab.plan._result import Allocation
    from scalinglab.plan._source import Source

__all__ = ["optimum_point", "with_budget_slip", "with_distance"]


def optimum_point(law: Law, found: Allocation) -> dict[str, float]:
    """``(N*, D*)`` of an allocation by the law's symbols that read params and tokens (``N``
    and ``D``; ``P`` and ``T`` in a formula): where its distance and intervals are taken."""
    n, d = planning_symbols(law)
    return {n: found.params.value, d: found.tokens.value}


def with_distance(found: Allocation, source: Source, at: Mapping[str, float]) -> Allocation:
    """The allocation with its distance outside the fitted runs (beyond the largest or
    below the smallest, in N, D, N·D or tokens per parameter) at ``at`` (by the law's
    symbols: :func:`optimum_point` for a budget's optimum), which way (:attr:`Allocation.below`),
    flagged past ``FAR``; first among its notes, a ``warning: ...`` that the fit did not
    converge (:func:`~scalinglab.fit._implausible.unconverged_warning`)."""
    status = getattr(source, "status", "converged")  # a preset: no fit, nothing to say
    failed = unconverged_warning(status, getattr(source, "message", ""))
    if failed:
        found = replace(found, notes=(f"warning: {failed}", *found.notes))
    ex = getattr(source, "extrapolation", None)  # a preset has no data: no distance
    if ex is None:
        return found
    far, down = float(reported_distance(ex, at)), bool(below(ex, at))
    return replace(found, distance=far, below=down, notes=(*found.notes, *far_notes(ex, at)))


def with_budget_slip(found: Allocation, source: Source, flops: float) -> Allocation:
    """The allocation at the budget ``flops`` with, for a preset (no runs: no distance), the
    note of a D* more than a decade below the smallest D its source's runs trained on
    (:func:`~scalinglab.fit._flops_slip.budget_notes`: a budget typed too small?). A fit's
    plan says how far it lies below the fitted runs already (:func:`with_distance`)."""
    from scalinglab.laws import Preset, get_preset

    preset = get_preset(source) if isinstance(source, str) else source  # a name: checked
    if not isinstance(preset, Preset):
        return found
    said = budget_notes(preset_floor(preset), found.tokens.value, flops)
    return replace(found, notes=(*found.notes, *said)) if said else found
