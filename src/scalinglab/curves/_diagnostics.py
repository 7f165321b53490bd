"""A curve fit's warnings and notes and its size notes: the checks a scaling-law fit makes
(:mod:`scalinglab.fit._diagnostics`: few resamples, an estimate outside its interval, an
interval spanning decades or reaching a bound of its range, coefficients at bounds), and what
its model sizes allow.

A coefficient's span is judged by the rule of every fit
(:func:`scalinglab.fit._spans.identified`; several at the edge are one note, as a loss
fit's): from its resamples, at any likely seed, so that
one at the edge of two decades is a note at any seed and not a warning at some, and one
clearly wider is warned of at every seed."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
from numpy.typing import NDArray

from scalinglab._cells import estimate_parts
from scalinglab._format import format_count, format_counted, join_first
from scalinglab.curves._laws import CurveLaw
from scalinglab.curves._sized import SizedLaw
from scalinglab.fit._diagnostics import at_bounds, few_resamples_warning, outside_interval
from scalinglab.fit._spans import edge_notes, judged

__all__ = ["fit_lines", "held_out_sizes", "is_edge_note", "size_notes", "size_warnings"]


def fit_lines(
    law: CurveLaw,
    coefs: Mapping[str, float],
    intervals: Mapping[str, tuple[float, float]],
    samples: NDArray[np.float64] | None,
    *,
    level: float,
    tail: float,
    at_bound: Sequence[str],
) -> tuple[list[str], list[str]]:
    """Reasons not to trust the fit and notes on its coefficients, worded as
    :func:`scalinglab.fit` words them: with fewer resamples than
    :func:`~scalinglab.fit._diagnostics.few_resamples` one warning about them, and no
    estimate called outside its interval (the ends are single resamples: one resample gives
    ``[x, x]``); a coefficient whose span is at the edge of identified, a note.

    Args:
        law: The law fitted.
        coefs: Its coefficients, by name.
        intervals: Their intervals, by name.
        samples: The resamples behind them, ``(R, K)`` in ``coefs``' order (``None``: none).
        level: Coverage of the intervals.
        tail: The share of resamples beyond each end of the intervals
            (:func:`~scalinglab.curves._bootstrap.interval_tail`: they are expanded).
        at_bound: Coefficients that ended at a bound of their range.
    """
    drawn = 0 if samples is None else len(samples)
    few = few_resamples_warning(drawn, level)
    params = {p.name: p for p in law.params}
    warnings, edges = [few] if few else [], []
    for j, (name, value) in enumerate(coefs.items()):
        p = params.get(name)  # an interval on a bound: the range, not the data, sets it
        bounds = None if p is None else (p.lower, p.upper)
        written = partial(estimate_parts, bounds=bounds)  # as the table: a round bound bare
        shifted = None if few else outside_interval(name, value, intervals[name], written=written)
        wide, edge = judged(
            name,
            intervals[name],
            None if samples is None or drawn < 2 else samples[:, j],
            positive=p is not None and p.positive,
            bounds=bounds,
            level=level,
            tail=tail,
            value=value,  # the interval to its decimals, as the table writes it
        )
        warnings += [w for w in (shifted, wide) if w]
        edges += [edge] if edge else []
    bound = at_bounds(at_bound)  # coefficients at the edge: one note (a loss fit's words)
    return warnings + ([bound] if bound else []), edge_notes(edges)


def is_edge_note(note: str) -> bool:
    """A note of :func:`fit_lines` on coefficients at the edge of identified
    (:func:`scalinglab.fit._spans.edge_notes`): ``fit --from-curves`` names it the curve
    fit's, as it names that fit's warnings, beside the scaling-law fit's own (both have a
    ``B``)."""
    return " at the edge of identified: " in note


def size_warnings(
    law: CurveLaw, sizes: Sequence[float], *, resample: str, level: float, drawn: int
) -> list[str]:
    """Curves of several sizes under one law, or (a fit across sizes resampled by whole
    curves) resamples that hold one size only often enough to set an interval's end."""
    distinct = sorted({n for n in sizes if math.isfinite(n)})
    if len(distinct) > 1 and not isinstance(law, SizedLaw):
        shown = join_first([format_count(n) for n in distinct], 4)
        return [
            f"the curves are of {len(distinct)} model sizes ({shown}), fitted by one {law.name} "
            f"law as if of one: fit them with --law sized:{law.name} (L0 and A as powers "
            "of N), or one size at a time"
        ]
    if not (isinstance(law, SizedLaw) and resample == "curves" and drawn):
        return []
    # a resample of m curves drawn with replacement holds one size only with probability
    # sum over sizes of (its share)^m; there l0_N and A_N trade off with L0 and A
    m = len(sizes)
    one = sum((sum(1 for n in sizes if n == s) / m) ** m for s in distinct)
    if one <= (1 - level) / 2:
        return []
    return [
        f"about {one:.0%} of whole-curve resamples of these {m} curves hold curves of one "
        "model size only, where l0_N and A_N are not identified (they trade off with L0 and "
        "A): "
        "their intervals, and those of predictions at other sizes, are not the data's — add "
        "curves of the rarer sizes, or resample='wild-jackknife' (every curve kept)"
    ]


def size_notes(law: CurveLaw, sizes: Sequence[float]) -> list[str]:
    """At exactly two sizes, that nothing tests the power laws in N (each passes through
    its two points)."""
    distinct = sorted({n for n in sizes if math.isfinite(n)})
    if not isinstance(law, SizedLaw) or len(distinct) != 2:
        return []
    shown = " and ".join(format_count(n) for n in distinct)
    return [
        f"two model sizes ({shown}): L0 and A each follow a power of N through exactly these "
        "two, so nothing tests that form (a third size would); predictions at other sizes "
        "rest on it"
    ]


def held_out_sizes(law: CurveLaw, fitted: Sequence[float], held: Mapping[str, float]) -> str:
    """A warning for held-out curves (``held``: run -> model size) of sizes the one-size
    ``law`` was not fitted on (``fitted``: the training curves' sizes), which it predicts as
    if of those: the errors then measure the size gap, not the schedules; ``""`` where every
    held-out size was fitted, or unknown, or the law is fitted across sizes."""
    if isinstance(law, SizedLaw):
        return ""
    seen = {n for n in fitted if math.isfinite(n)}
    other = {r: n for r, n in held.items() if math.isfinite(n) and n not in seen}
    if not other:
        return ""
    sizes = join_first([format_count(n) for n in sorted(set(other.values()))], 4)
    on = " and ".join(format_count(n) for n in sorted(seen)) if seen else "no known size"
    return (
        f"{format_counted(len(other), 'held-out curve')} of {sizes} ({join_first(list(other), 3)}) "
        f"{'is' if len(other) == 1 else 'are'} predicted by one {law.name} law fitted on curves "
        f"of {on}, as if of that size: {'its' if len(other) == 1 else 'their'} errors measure the size gap, not the schedules; backtest across sizes with --law "
        f"sized:{law.name} (L0 and A as powers of N) and training "
        "curves of each size, or hold out curves of the fitted size alone"
    )
