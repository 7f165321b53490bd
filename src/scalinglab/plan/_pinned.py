"""A warning for an allocation its runs do not pin down: an interval of tokens per parameter
or of ``N*`` that spans :data:`~scalinglab.fit._diagnostics.MAX_DECADES` decades or more,
as a fit warns of a coefficient whose interval does.

A fit's coefficients may each be pinned while their combination is not: on the bundled
overtraining runs (31 runs, at most 412M params, a few budgets) no coefficient spans two
decades, yet at 1e23 FLOPs tokens per parameter lies in [0.0927, 72.1], three decades, and
the plan would read as trusted.

Given the resamples' own optima, a span is judged as a fit's coefficients are
(:mod:`scalinglab.fit._spans`): one whose ends' seed-to-seed error puts it either side of
two decades is a note, not a warning that the seed decides (the bundled runs' 1e21 budget
spanned 1.97 decades at one seed and 2.06 at the next). The warning turns with the seed
rarely; the note may come and go: on the bundled runs, seeds 0-99, 1e21 warns at 3 seeds
and is a note at the rest, 1e22 warns at 90 and is a note at 10."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from scalinglab._format import format_count, format_flops, format_g, join_and
from scalinglab.fit._spans import EDGE, MAX_DECADES, span
from scalinglab.plan._result import Allocation, Estimate
from scalinglab.plan._search import Optimum

__all__ = ["unpinned"]

#: Why an interval of a budget's plan reaches 0 or ∞.
WHOLE = " (some resamples' optima put the whole budget in N or in D)"


def unpinned(found: Allocation, *, at: str, optima: Optimum | None = None) -> Allocation:
    """``found`` with a warning (:attr:`Allocation.warnings`) when its tokens-per-parameter
    or ``N*`` interval spans :data:`MAX_DECADES` decades or more (``at``: the budget or
    target it is planned at, ``"1e23"``, as the warning names it); as it was otherwise (no
    interval: a preset, a fit without bootstrap; an end NaN, or infinite where resamples
    never reach a target). An end at 0 or ∞ of a budget's plan is said as unbounded.

    ``optima``: every row's optimum, the point estimate's first, as the intervals were
    taken from. With it, a span at the edge of :data:`MAX_DECADES` within its ends'
    seed-to-seed error (:func:`~scalinglab.fit._spans.span`) is a note, not a warning."""
    quantities = (
        ("tokens/param", found.tokens_per_param, _ratio, "tokens_per_param"),
        ("N*", found.params, format_count, "params"),
    )
    resampled = {} if optima is None else _resampled(optima)
    spans, edges = [], []
    for label, e, shown, key in quantities:
        decades = _decades(e, reached=not found.unreachable)
        got = span(resampled[key], level=found.level) if key in resampled else None
        said = f"{label} [{shown(e.lower)}, {'∞' if e.upper == math.inf else shown(e.upper)}]"
        if got is not None and got.verdict == EDGE:
            edges.append(f"{said} spans {got.inner:.1f} to {got.outer:.1f} decades")
        elif decades == math.inf:
            spans.append(f"{said} is unbounded")
        elif decades >= MAX_DECADES:
            spans.append(f"{said} spans {decades:.1f} decades")
    notes = (
        [
            f"the allocation at {at} is at the edge of pinned down: {join_and(edges)} within "
            f"its ends' seed-to-seed error at {len(resampled['params'])} resamples, either "
            f"side of the {MAX_DECADES:g} that warn; the seed would decide, so it is not "
            "warned of"
        ]
        if edges and not spans  # a warning already says it is not pinned down
        else []
    )
    warnings = (
        [
            f"the runs do not pin down the allocation at {at}: {join_and(spans)}"
            + (WHOLE if any(s.endswith("unbounded") for s in spans) else "")
            + "; runs at more model sizes per budget, and at larger budgets, narrow it"
        ]
        if spans
        else []
    )
    if not (notes or warnings):
        return found
    return replace(
        found,
        notes=tuple(dict.fromkeys([*found.notes, *notes])),
        warnings=tuple(dict.fromkeys([*found.warnings, *warnings])),
    )


def _resampled(optima: Optimum) -> dict[str, np.ndarray]:
    """The resamples' tokens per parameter and ``N*`` (the point estimate's row left out,
    as :func:`~._allocation.allocation` leaves it out of the intervals)."""
    log_n, log_d = optima.log_n[1:], optima.log_d[1:]
    if not len(log_n):
        return {}
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf: a target never reached
        return {"tokens_per_param": np.exp(log_d - log_n), "params": np.exp(log_n)}


def _decades(e: Estimate, *, reached: bool = True) -> float:
    """Decades an interval spans; NaN without two ends. ``reached`` (every resample reached
    its target: a budget's plan): an end at 0 or ∞ spans without bound (inf), as a resample
    whose law puts all of the budget in N (``beta`` at 0) gives ``N* = ∞`` and
    ``D* = 0``; else, where resamples never reach a target loss and their ``∞`` is said in
    a note of its own, NaN."""
    lo, hi = e.lower, e.upper
    if not (lo >= 0 and hi >= lo and hi > 0):  # NaN ends fail every comparison
        return math.nan
    if lo == 0 or math.isinf(hi):
        return math.inf if reached else math.nan
    return math.log10(hi / lo)


def _ratio(x: float) -> str:
    """Tokens per parameter as the plan table writes them (``cli._render.ratio``, which
    the library does not import): ``0.0927``, ``72.1``, ``2360``, ``1.67e20``."""
    if x >= 1e6:
        return format_flops(x)
    return f"{x:.0f}" if x >= 100 else format_g(x, 3)
