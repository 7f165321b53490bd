"""A warning for an allocation its runs do not pin down: an interval of tokens per parameter
or of ``N*`` that spans :data:`~scalinglab.fit._diagnostics.MAX_DECADES` decades or more,
as a fit warns of a coefficient whose interval does.

A fit's coefficients may each be pinned while their combination is not: on the bundled
overtraining runs (31 runs, at most 412M params, a few budgets) no coefficient spans two
decades, yet at 1e23 FLOPs tokens per parameter lies in [0.0927, 72.1], three decades, and
the plan would read as trusted."""

from __future__ import annotations

import math
from dataclasses import replace

from scalinglab._format import format_count, format_flops, join_and
from scalinglab.fit._diagnostics import MAX_DECADES
from scalinglab.plan._result import Allocation, Estimate

__all__ = ["unpinned"]


def unpinned(found: Allocation, *, at: str) -> Allocation:
    """``found`` with a warning (:attr:`Allocation.warnings`) when its tokens-per-parameter
    or ``N*`` interval spans :data:`MAX_DECADES` decades or more (``at``: the budget or
    target it is planned at, ``"1e23"``, as the warning names it); as it was otherwise (no
    interval: a preset, a fit without bootstrap; an end infinite or NaN)."""
    spans = [
        f"{label} [{shown(e.lower)}, {shown(e.upper)}] spans {_decades(e):.1f} decades"
        for label, e, shown in (
            ("tokens/param", found.tokens_per_param, _ratio),
            ("N*", found.params, format_count),
        )
        if _decades(e) >= MAX_DECADES
    ]
    if not spans:
        return found
    warning = (
        f"the runs do not pin down the allocation at {at}: {join_and(spans)}; runs at more "
        "model sizes per budget, and at larger budgets, narrow it"
    )
    return replace(found, warnings=tuple(dict.fromkeys([*found.warnings, warning])))


def _decades(e: Estimate) -> float:
    """Decades an interval spans; NaN without two positive, finite ends."""
    lo, hi = e.lower, e.upper
    if not (lo > 0 and math.isfinite(hi) and hi >= lo):
        return math.nan
    return math.log10(hi / lo)


def _ratio(x: float) -> str:
    """Tokens per parameter as the plan table writes them (``cli._render.ratio``, which
    the library does not import): ``0.0927``, ``72.1``, ``2360``, ``1.67e20``."""
    if x >= 1e6:
        return format_flops(x)
    return f"{x:.0f}" if x >= 100 else f"{x:.3g}"
