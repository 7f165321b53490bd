"""A curve fit's warnings and size notes: the checks a scaling-law fit makes
(:mod:`scalinglab.fit._diagnostics`: few resamples, an estimate outside its interval, an
interval spanning decades or reaching a bound of its range, coefficients at bounds), and what its model sizes allow."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from scalinglab._format import format_count, join_first
from scalinglab.curves._laws import CurveLaw
from scalinglab.curves._sized import SizedLaw
from scalinglab.fit._diagnostics import (
    at_bounds,
    few_resamples_warning,
    outside_interval,
    unidentified,
)

__all__ = ["fit_warnings", "size_notes", "size_warnings"]


def fit_warnings(
    law: CurveLaw,
    coefs: Mapping[str, float],
    intervals: Mapping[str, tuple[float, float]],
    *,
    drawn: int,
    level: float,
    at_bound: Sequence[str],
) -> list[str]:
    """Reasons not to trust the fit, worded as :func:`scalinglab.fit` words them: with
    fewer resamples than :func:`~scalinglab.fit._diagnostics.few_resamples` one warning
    about them, and no estimate called outside its interval (the ends are single
    resamples: one resample gives ``[x, x]``)."""
    few = few_resamples_warning(drawn, level)
    params = {p.name: p for p in law.params}
    out = [few] if few else []
    for name, value in coefs.items():
        shifted = None if few else outside_interval(name, value, intervals[name])
        p = params.get(name)  # an interval on a bound: the range, not the data, sets it
        bounds = None if p is None else (p.lower, p.upper)
        wide = unidentified(name, intervals[name], p is not None and p.positive, bounds=bounds)
        out += [w for w in (shifted, wide) if w]
    bound = at_bounds(at_bound)
    return out + ([bound] if bound else [])


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
