"""Which held-out runs ``backtest --limit`` lists first, and the line saying which: those
that reach farthest past the largest fitted run, by the extrapolation distance each row
carries (``× fitted``, or spans past the fitted range on an axis reaching 0 or below).
The command's table, a notebook's and the report's head that column and order their rows
by this module alone, so the three read alike.

A hold-out rule by a predicate (``'tokens>=1e10'``) or by ``near-best`` holds out runs
inside the fitted range too, so the words say "farthest past the largest fitted" only where
every run listed lies past it. A run with no distance (no value in the split's column) is
ordered by its FLOPs over the largest fitted, where the runs have FLOPs, and else last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["by_distance", "distance_heading", "listed_said", "run_distance"]


def distance_heading(bt: Any) -> str:
    """The held-out runs' distance column's heading: ``× fitted``, or ``spans past fitted``
    where the split's axis reaches 0 or below (a ratio there is no distance)."""
    return "spans past fitted" if bt.split.span() is not None else "× fitted"


def run_distance(run: Any, *, linear: bool) -> float:
    """The extrapolation distance the row carries: spans past the fitted range on an axis
    reaching 0 or below, else its scale over the largest fitted (NaN: none)."""
    return float(run.spans_beyond if linear else run.times_fitted)


def _flops_factor(split: Any) -> dict[str, float]:
    """Each held-out run's FLOPs over the largest fitted, by run; ``{}`` where the runs
    have no FLOPs or the split already measures by them."""
    if split.column == "flops" or not (split.held_out.has("flops") and split.fitted.has("flops")):
        return {}
    largest = max(float(v) for v in split.fitted["flops"])
    return {
        run: float(v) / largest
        for run, v in zip(split.held_out.runs, split.held_out["flops"], strict=True)
        if largest > 0
    }


def by_distance(bt: Any) -> list[Any]:
    """``bt.runs`` farthest past the largest fitted run first: by the distance each row
    carries, then, where it has none, by FLOPs over the largest fitted, then the runs with
    neither (ties keep the split's order)."""
    linear = bt.split.span() is not None
    flops = _flops_factor(bt.split)

    def key(run: Any) -> tuple[int, float]:
        d = run_distance(run, linear=linear)
        if not math.isnan(d):
            return 0, -d
        f = flops.get(run.run, math.nan)
        return (1, -f) if not math.isnan(f) else (2, 0.0)

    return sorted(bt.runs, key=key)


def listed_said(bt: Any, shown: Sequence[Any]) -> str:
    """``the 3 farthest past the largest fitted flops of 30 held-out runs listed`` where
    every run listed lies past it; else which order they are listed in, and how many lie
    within the fitted range or have no distance."""
    linear = bt.split.span() is not None
    column, n, k = bt.split.column, len(bt.runs), len(shown)
    past = 0.0 if linear else 1.0
    distances = [run_distance(r, linear=linear) for r in shown]
    if all(d > past for d in distances):
        return f"the {k} farthest past the largest fitted {column} of {n} held-out runs listed"
    measure = "farthest along" if linear else "with the largest × fitted"
    order = "farthest" if linear else "largest"
    within = sum(d <= past for d in distances)
    none = sum(math.isnan(d) for d in distances)
    said = [f"{within} of them not past the largest fitted {column}"] if within else []
    said += [f"{none} with no {column}, listed after the others"] if none else []
    return (
        f"the {k} of {n} held-out runs {measure} {column} listed, {order} first ({'; '.join(said)})"
    )
