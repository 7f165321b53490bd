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
from collections.abc import Collection, Sequence
from dataclasses import replace

import numpy as np

from scalinglab._cells import ratio
from scalinglab._format import format_count, format_grouped, join_and
from scalinglab.fit._spans import EDGE, MAX_DECADES, span
from scalinglab.plan._result import Allocation, AllocationSpan, Estimate
from scalinglab.plan._search import Optimum

__all__ = ["said_once", "unpinned"]

#: Why an interval of a budget's plan reaches 0 or ∞.
WHOLE = " (some resamples' optima put the whole budget in N or in D)"
#: What narrows an allocation the runs do not pin down.
TODO = "runs at more model sizes per budget, and at larger budgets, narrow it"
#: How the lines of several budgets point at the intervals they leave out.
TABLES = "the plan's intervals"  # one table (fit) or one per budget (plan)


def unpinned(found: Allocation, *, at: str, optima: Optimum | None = None) -> Allocation:
    """``found`` with a warning (:attr:`Allocation.warnings`) when its tokens-per-parameter
    or ``N*`` interval spans :data:`MAX_DECADES` decades or more (``at``: the budget or
    target it is planned at, ``"1e23"``, as the warning names it); as it was otherwise (no
    interval: a preset, a fit without bootstrap; an end NaN, or infinite where resamples
    never reach a target). An end at 0 or ∞ of a budget's plan is said as unbounded. The
    intervals the lines speak of are kept as records (:attr:`Allocation.spans`).

    ``optima``: every row's optimum, the point estimate's first, as the intervals were
    taken from. With it, a span at the edge of :data:`MAX_DECADES` within its ends'
    seed-to-seed error (:func:`~scalinglab.fit._spans.span`) is a note, not a warning."""
    quantities = (
        ("tokens/param", found.tokens_per_param, "tokens_per_param"),
        ("N*", found.params, "params"),
    )
    resampled = {} if optima is None else _resampled(optima)
    drawn = len(resampled.get("params", ()))
    spans = []
    for label, e, key in quantities:
        decades = _decades(e, reached=not found.unreachable)
        got = span(resampled[key], level=found.level) if key in resampled else None
        kept = AllocationSpan(at, label, e.lower, e.upper, decades, resamples=drawn)
        if got is not None and got.verdict == EDGE:
            spans.append(replace(kept, inner=got.inner, outer=got.outer, edge=True))
        elif decades >= MAX_DECADES:  # inf too: unbounded
            spans.append(kept)
    warnings, notes = said([spans])
    if not (notes or warnings):
        return found
    return replace(
        found,
        notes=tuple(dict.fromkeys([*found.notes, *notes])),
        warnings=tuple(dict.fromkeys([*found.warnings, *warnings])),
        spans=tuple(spans),
    )


def said(rows: Sequence[Sequence[AllocationSpan]]) -> tuple[list[str], list[str]]:
    """The warning and the notes of ``rows`` (each an allocation's :attr:`~Allocation.spans`),
    one line for all: the warning of the rows with a span of two decades or more, the note
    of those whose spans are at the edge only (one a count of resamples). One row's lines
    name its intervals; several rows' point at the table's."""
    warned = [[s for s in row if not s.edge] for row in rows]
    warned = [row for row in warned if row]
    edges = [list(row) for row in rows if row and all(s.edge for s in row)]
    warnings = [_warning(warned)] if warned else []
    counts = dict.fromkeys(row[0].resamples for row in edges)
    notes = [_note([r for r in edges if r[0].resamples == n]) for n in counts]
    return warnings, notes


def said_once(
    allocations: Sequence[Allocation], *, less: Collection[str] = ()
) -> tuple[list[str], list[str]]:
    """The warnings and notes of ``allocations`` where they are said together (a plan
    table's, a plan's footer), once each, less the lines in ``less`` (a fit's own warnings,
    said apart): the rows' lines that the runs do not pin them down (and those that they do
    at the edge only) are one line (:func:`said`), in the first one's place."""
    warnings = [w for a in allocations for w in a.warnings if w not in less]
    notes = [n for a in allocations for n in a.notes]
    # a row whose own line is no longer among its warnings (taken off, said apart) is left out
    own = [(a, said([a.spans])) for a in allocations]
    warned = [a.spans for a, (w, _) in own if w and w[0] in a.warnings and w[0] not in less]
    edged = [a.spans for a, (_, n) in own if n and n[0] in a.notes]
    return (
        _in_place(warnings, {w for _, (ws, _) in own for w in ws}, said(warned)[0]),
        _in_place(notes, {n for _, (_, ns) in own for n in ns}, said(edged)[1]),
    )


def _in_place(lines: Sequence[str], own: Collection[str], merged: Sequence[str]) -> list[str]:
    """``lines`` once each, those in ``own`` replaced by ``merged`` where the first was."""
    out: list[str] = []
    for line in dict.fromkeys(lines):
        if line not in own:
            out.append(line)
        elif merged:
            out += merged
            merged = []
    return out


def _warning(rows: Sequence[Sequence[AllocationSpan]]) -> str:
    """That the runs do not pin down the allocation of ``rows``: one row's intervals, or
    each quantity's spans over several rows."""
    unbounded = any(math.isinf(s.decades) for row in rows for s in row)
    if len(rows) == 1:
        said = join_and([f"{_interval(s)} {_spans(s)}" for s in rows[0]])
        why = WHOLE if unbounded else ""
    else:
        said = f"{_across(rows)} ({TABLES}"
        why = f"; {WHOLE.strip(' ()')})" if unbounded else ")"
    return f"the runs do not pin down the allocation at {_at(rows)}: {said}{why}; {TODO}"


def _note(rows: Sequence[Sequence[AllocationSpan]]) -> str:
    """That the allocation of ``rows`` is at the edge of pinned down: the seed decides."""
    edge = f"either side of the {MAX_DECADES:g} that warn; the seed would decide"
    drawn = rows[0][0].resamples
    if len(rows) == 1:
        said = join_and([f"{_interval(s)} spans {_edge(s, ' to ')} decades" for s in rows[0]])
        return (
            f"the allocation at {_at(rows)} is at the edge of pinned down: {said} within its "
            f"ends' seed-to-seed error at {format_grouped(drawn)} resamples, {edge}, so it is not warned of"
        )
    said = _across(rows, edge=True)
    none = "neither" if len(rows) == 2 else "none"
    return (
        f"the allocations at {_at(rows)} are at the edge of pinned down: {said} ({TABLES}) "
        f"within their ends' seed-to-seed error at {format_grouped(drawn)} resamples, {edge}, so {none} is "
        "warned of"
    )


def _across(rows: Sequence[Sequence[AllocationSpan]], *, edge: bool = False) -> str:
    """Each quantity's spans over ``rows`` (at the edge: each end of its span at the
    seed-to-seed error), naming the rows where not every row has one."""
    every = [row[0].at for row in rows]
    pieces = []
    for label in dict.fromkeys(s.quantity for row in rows for s in row):
        spans = [s for row in rows for s in row if s.quantity == label]
        if edge:
            edges = join_and([_edge(s, "-") for s in spans])
            words = [f"spans {edges} decades{_where(spans, every)}"]
        else:
            finite = [s for s in spans if math.isfinite(s.decades)]
            boundless = [s for s in spans if math.isinf(s.decades)]
            decades = [f"{s.decades:.1f}" for s in finite]
            words = [f"spans {join_and(decades)} decades{_where(finite, every)}"] if finite else []
            words += [f"is unbounded{_where(boundless, every)}"] if boundless else []
        pieces.append(f"{label} {' and '.join(words)}")
    return join_and(pieces)


def _where(spans: Sequence[AllocationSpan], every: Sequence[str]) -> str:
    """`` at 1e23 and 1e24``: the rows of ``spans``, where they are not ``every`` row."""
    at = [s.at for s in spans]
    return "" if at == list(every) else f" at {_ats(at)}"


def _at(rows: Sequence[Sequence[AllocationSpan]]) -> str:
    return _ats([row[0].at for row in rows])


def _ats(at: Sequence[str]) -> str:
    """``1e22, 1e23 and 1e24``; targets as ``target losses 2 and 1.9``."""
    target = "target loss "
    if len(at) > 1 and all(a.startswith(target) for a in at):
        return "target losses " + join_and([a.removeprefix(target) for a in at])
    return join_and(at)


def _interval(s: AllocationSpan) -> str:
    """``tokens/param [0.0927, 72.1]``, in the plan table's numbers."""
    shown = _ratio if s.quantity == "tokens/param" else format_count
    return f"{s.quantity} [{shown(s.lower)}, {'∞' if s.upper == math.inf else shown(s.upper)}]"


def _spans(s: AllocationSpan) -> str:
    return "is unbounded" if math.isinf(s.decades) else f"spans {s.decades:.1f} decades"


def _edge(s: AllocationSpan, to: str) -> str:
    """``1.8 to 3.0``: the span's inner and outer decades."""
    return f"{s.inner:.1f}{to}{s.outer:.1f}"


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
    """Tokens per parameter as the plan table writes them (:func:`scalinglab._cells.ratio`):
    ``0.0927``, ``72.1``, ``2360``, ``1.85e5``."""
    return ratio(x)
