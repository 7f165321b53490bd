"""Whether a bootstrap interval spans :data:`MAX_DECADES` decades, judged so that the seed
does not decide it.

A percentile interval's ends are sample quantiles of ``R`` resamples, and a sample quantile
moves from seed to seed: the count of resamples below the true ``t``-quantile is binomial,
``R·t ± sqrt(R·t·(1-t))``. Where the resamples' distribution has a gap at an end (on the
bundled runs, 3-8% of resamples collapse ``E`` to ~0, next to the 5% that sets a 90%
interval's lower end), that end jumps across the gap with the seed: ``E``'s interval was
[0.06, 1.7] at some seeds and [3e-7, 1.7] at others, and a fixed two-decade threshold turned
the fit untrusted at six seeds in ten. So each end is read at its quantile shifted by
:data:`Z` binomial standard errors: inward (the *inner* span) and outward (the *outer* span).
An inner span of two decades or more is wide at any likely seed (a warning); an outer one
under two is narrow at any likely seed (nothing said); between them the seed decides, so
it is said as a note, which does not make the fit untrusted. What this steadies is the
warning, and so ``trusted``: it turns with the seed only where an end strays more than
``Z`` standard errors (~2% a side at ``Z = 2``: ~2-5% of seeds), not ~50%. A note has no
such guarantee: a span near either limit of the edge is a note at some seeds and not at
others. Measured 2026-12-05 on ``fit("chinchilla", default_runs(), seed=s)``, s = 0-99 (200
resamples): no warning and trusted at 96 seeds, E warned of at 4 (17, 21, 47, 84); E's
note at the other 96, B's at 42, A's at 5.

:func:`identified` is that rule for one parameter, the warning or the note: a loss fit's
warnings (:mod:`._diagnostics`) and notes (:func:`edge_of_identified`), both from one
:func:`judge` of its parameters, an hparams fit's
laws of the optimum (:mod:`scalinglab.hparams._unidentified`) and a curve fit's coefficients
(:mod:`scalinglab.curves._diagnostics`) all read it, so a coefficient is judged alike
wherever it is fitted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab.fit._spans_said import MAX_DECADES, Edge, Form, edge_notes, unidentified
from scalinglab.laws import Law

__all__ = [
    "MAX_DECADES",
    "Edge",
    "Judged",
    "Span",
    "Z",
    "edge_notes",
    "edge_of_identified",
    "identified",
    "judge",
    "judged",
    "span",
    "unidentified",
]

#: Binomial standard errors an interval's end is shifted by to read it at any likely seed.
Z = 2.0

WIDE, EDGE, NARROW = "wide", "edge", "narrow"


@dataclass(frozen=True)
class Span:
    """Decades a bootstrap interval spans, at its ends' seed-to-seed error.

    Attributes:
        inner: Decades between the ends moved :data:`Z` standard errors inward.
        outer: Decades between the ends moved :data:`Z` standard errors outward.
        verdict: ``"wide"`` (``inner`` reaches :data:`MAX_DECADES`), ``"narrow"``
            (``outer`` does not) or ``"edge"`` (between: the seed decides).
    """

    inner: float
    outer: float
    verdict: str


def span(values: ArrayLike, *, level: float, tail: float | None = None) -> Span | None:
    """How many decades the ``level`` percentile interval of the positive ``values`` (one
    per resample) spans, at any likely seed; ``None`` under 5x
    :func:`~._diagnostics.few_resamples` resamples (100 at 90%), or where an
    outer upper end is infinite (a target out of reach: no span is measured there).

    A value at or below 0 (a collapsed ``E``) lies beyond any decade. Ends are order
    statistics, rounded outward for the outer span and inward for the inner one: no
    interpolation across a gap, which would put an end inside it.

    ``tail``: the share of resamples beyond each end where the interval takes other
    percentiles than ``level``'s (a curve fit's expanded interval: 2.4% a side at 90% for
    nine curves, :func:`scalinglab.curves._bootstrap.interval_tail`); its ends are read
    there. The fewest resamples stay ``level``'s, as the few-resamples warning counts them."""
    # imported here: _diagnostics reads this module's MAX_DECADES
    from scalinglab.fit._diagnostics import few_resamples

    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[~np.isnan(v)]
    r = len(v)
    # under 5x the fewest (100 at 90%) the ends' error is ~10 points of probability: every
    # span would be at the edge. There the coarse-resamples note already says the ends move
    # with the seed, and the interval's own ends judge it, as they always did
    if r < 5 * few_resamples(level):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):  # log10(0) = -inf: beyond any decade
        logs = np.sort(np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), -np.inf))
    tail = (1 - level) / 2 if tail is None else tail
    shift = Z * math.sqrt(tail * (1 - tail) / r)
    last = r - 1
    lo_out = logs[max(0, math.floor((tail - shift) * last))]
    hi_out = logs[min(last, math.ceil((1 - tail + shift) * last))]
    lo_in = logs[min(last, math.ceil((tail + shift) * last))]
    hi_in = logs[max(0, math.floor((1 - tail - shift) * last))]
    if not math.isfinite(hi_out) or hi_in == -math.inf:
        return None
    outer = float(hi_out - lo_out)
    inner = max(0.0, float(hi_in - lo_in))  # under ~10 resamples the inner ends may cross
    verdict = WIDE if inner >= MAX_DECADES else NARROW if outer < MAX_DECADES else EDGE
    return Span(inner=inner, outer=outer, verdict=verdict)


@dataclass(frozen=True)
class Judged:
    """Every parameter of a fit judged once by :func:`identified`, in the law's order.

    Attributes:
        warnings: A line for each parameter not identified (:func:`unidentified`).
        notes: A line for each at the edge of identified (:func:`edge_of_identified`).
    """

    warnings: tuple[str, ...]
    notes: tuple[str, ...]


def judge(
    law: Law,
    intervals: Mapping[str, tuple[float, float]],
    samples: NDArray[np.float64] | None,
    *,
    level: float,
    params: Mapping[str, float] | None = None,
) -> Judged:
    """Each parameter of ``law`` judged by :func:`identified`, once: its interval (from
    ``intervals``, NaN where missing), its resamples (column of ``samples`` ``(R, K)`` in
    the law's order, or ``None``) and the bounds of its range. A fit reads both the
    warnings and the notes from it, so neither judges the resamples again. ``params``:
    the fitted values, to whose decimals the lines write each interval, as the fit's table
    does, the values to the law's :attr:`~scalinglab.laws.Law.figures`
    (:func:`~._spans_said.interval_said`)."""
    values = params or {}
    warnings, edges = [], []
    for j, p in enumerate(law.params):
        warning, edge = judged(
            p.name,
            intervals.get(p.name, (math.nan, math.nan)),
            None if samples is None else samples[:, j],
            positive=p.positive,
            bounds=(p.lower, p.upper),
            level=level,
            value=values.get(p.name, math.nan),
            digits=law.figures,
        )
        warnings += [warning] if warning else []
        edges += [edge] if edge else []
    return Judged(warnings=tuple(warnings), notes=tuple(edge_notes(edges)))


def edge_of_identified(
    law: Law,
    intervals: Mapping[str, tuple[float, float]],
    samples: NDArray[np.float64] | None,
    *,
    level: float,
    params: Mapping[str, float] | None = None,
) -> list[str]:
    """A note for each positive parameter of ``law`` whose interval (``intervals``, from
    ``samples`` ``(R, K)`` in the law's parameter order) is at the edge of
    :data:`MAX_DECADES`: wide at some seeds, narrow at others (:func:`identified`). Such a
    parameter draws no warning for its span (:func:`unidentified`); this says why."""
    if samples is None or len(samples) < 2:
        return []
    return list(judge(law, intervals, samples, level=level, params=params).notes)


def identified(
    name: str,
    interval: tuple[float, float],
    values: ArrayLike | None,
    *,
    positive: bool | None,
    bounds: tuple[float, float] | None = None,
    level: float,
    tail: float | None = None,
    value: float = math.nan,
    form: Form | None = None,
) -> tuple[str | None, str | None]:
    """One parameter judged by the rule of every fit: its warning (:func:`unidentified`: a
    span of :data:`MAX_DECADES` decades at any likely seed, an end on a bound) and its note
    (the span at the edge, so the seed would decide: no warning for it), each ``None``
    where there is none.

    Args:
        name: The parameter as the lines name it (``"E"``, ``"the lr* law's A"``).
        interval: Its bootstrap percentile interval, natural units.
        values: Its resamples (the interval's source), or ``None``: then, and under the
            resamples :func:`span` needs, the interval's own ends judge its span.
        positive: Whether it is positive (only a positive one's span is judged).
        bounds: Its range, natural units: an interval end on one is warned of.
        level: Coverage of the interval.
        tail: The share of resamples beyond each end, where the interval's percentiles
            are not ``level``'s (a curve fit's, expanded: :func:`span`).
        value: Its estimate: the lines write the interval to its decimals, as its table
            does (NaN: to three figures; :func:`~._spans_said.interval_said`).
        form: How its table writes each end alone, where it does (an hparams law's
            coefficient): the lines write the interval so.
    """
    warning, edge = judged(
        name, interval, values, positive=positive, bounds=bounds, level=level, tail=tail,
        value=value, form=form,
    )  # fmt: skip
    return warning, None if edge is None else edge_notes([edge])[0]


def judged(
    name: str,
    interval: tuple[float, float],
    values: ArrayLike | None,
    *,
    positive: bool | None,
    bounds: tuple[float, float] | None = None,
    level: float,
    tail: float | None = None,
    value: float = math.nan,
    form: Form | None = None,
    digits: int = 5,
) -> tuple[str | None, Edge | None]:
    """:func:`identified` with the edge as a record, not a line: several parameters' are
    said as one (:func:`edge_notes`). ``digits``: the figures the table writes ``value`` to
    (the law's :attr:`~scalinglab.laws.Law.figures`)."""
    got = None if values is None or not positive else span(values, level=level, tail=tail)
    edge = got is not None and got.verdict == EDGE
    warning = unidentified(
        name, interval, positive, bounds=bounds, edge=edge, value=value, form=form, digits=digits
    )
    if got is None or not edge:
        return warning, None
    return warning, Edge(
        name, interval, got, int(np.asarray(values).size), level, value, form, digits, bounds
    )
