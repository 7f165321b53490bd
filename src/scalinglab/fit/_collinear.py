"""Collinear variables: runs whose variables lie on one power curve.

One token count per model size at a fixed tokens per parameter, or one compute budget,
puts every run on a curve ``D = c·N^b``; a term in ``N`` and a term in ``D`` then fit
equally well swapped, so how the law splits the loss between them (and any allocation
planned from it) is arbitrary: a discrete ambiguity no derivative shows. Part of the
structural identifiability checks of :mod:`scalinglab.fit._identified`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from scalinglab._format import format_g
from scalinglab._format import join_and as _and
from scalinglab.fit._objective import Array
from scalinglab.fit._terms import power_terms
from scalinglab.laws import Law

__all__ = ["COLLINEAR_TOL", "collinear", "distinct_rows", "log_line", "power_curve"]

#: Two variables whose logs lie within this RMS distance (natural log, 1%) of one line (a
#: power curve) are collinear: token counts rounded to whole steps at one tokens-per-parameter
#: ratio stay far closer, and off the curve by 1% a term ``B·D^-β`` (β <= 1) moves by under
#: 1% of itself, below the ~1% run-to-run noise of a final loss.
COLLINEAR_TOL = 0.01


def collinear(
    law: Law, data: Mapping[str, Any], names: Mapping[str, str]
) -> list[tuple[str, tuple[str, ...]]]:
    """(line, parameters) per group of variables that move together on one power curve."""
    try:
        terms = power_terms(law.expression())
    except (AttributeError, NotImplementedError):
        return []
    variables = [v for v in law.variables if v in data and any(w == v for _, w, _ in terms)]
    # by pairs: terms in N and D on one curve can swap, but a third term in C = 6ND on a
    # two-dimensional design cannot (a power of a product is not a sum of powers)
    groups: list[list[str]] = []
    curves: dict[str, str] = {}
    for k, v in enumerate(variables):
        for w in variables[k + 1 :]:
            found = power_curve(data[v], data[w], names.get(v, v), names.get(w, w))
            if found is None:
                continue
            linked = [g for g in groups if v in g or w in g]
            merged = [v, w] + [x for g in linked for x in g]
            groups = [g for g in groups if g not in linked]
            groups.append([x for x in variables if x in merged])
            curves[v + " " + w] = found
    out = []
    for group in groups:
        shown = [names.get(v, v) for v in group]
        curve = curves.get(" ".join(group), f"one power curve of {_and(shown)}")
        by_var = _and(
            [f"{v} ({', '.join(p for c, w, e in terms if w == v for p in (c, e))})" for v in group]
        )
        params = tuple(dict.fromkeys(p for c, v, e in terms if v in group for p in (c, e)))
        out.append(
            (
                f"{_and(shown)} move together: every run lies on {curve} (under "
                f"{100 * COLLINEAR_TOL:g}% RMS off it), so the law's terms in {by_var} cannot "
                "be told apart and how it splits the loss between them (and any allocation "
                "planned from it) is arbitrary — add runs off that curve (other tokens per "
                "parameter, other budgets), or fit a law of one variable",
                params,
            )
        )
    return out


def power_curve(x: Any, y: Any, x_name: str, y_name: str) -> str | None:
    """``y = c·x^b`` (or ``x`` of ``y`` where ``y`` barely varies) when every distinct
    ``(x, y)`` lies within :data:`COLLINEAR_TOL` RMS of it in logs, else ``None``."""
    line = log_line(x, y)
    if line is None or line[2] >= COLLINEAR_TOL:
        return None
    mean, normal, rms = line
    shown = (x_name, y_name)
    i = 1 if abs(normal[1]) >= 0.5 * abs(normal[0]) else 0  # the one written as a power
    b = -normal[1 - i] / normal[i]
    c = math.exp(float(mean[i] - b * mean[1 - i]))
    off = "exactly" if rms < 1e-9 else f"to {format_g(100 * rms, 2)}% RMS"
    return f"{shown[i]} = {format_g(c, 3)}·{shown[1 - i]}^{b:.2f} {off}"


def log_line(x: Any, y: Any) -> tuple[Array, Array, float] | None:
    """The line nearest the distinct positive ``(log x, log y)``: ``(mean, unit normal,
    RMS distance of the points from it)``; ``None`` with fewer than two distinct points.
    A point ``p`` (in logs) lies ``normal · (p - mean)`` from it."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a value <= 0: left out below
        logs = np.column_stack(
            [np.log(np.asarray(x, dtype=np.float64)), np.log(np.asarray(y, dtype=np.float64))]
        )
    logs = distinct_rows(logs[np.all(np.isfinite(logs), axis=1)])
    if len(logs) < 2:
        return None
    mean = logs.mean(axis=0)
    _, s, vt = np.linalg.svd(logs - mean, full_matrices=False)  # vt[-1]: the line's normal
    rms = (float(s[1]) if len(s) > 1 else 0.0) / math.sqrt(len(logs))
    return mean, vt[-1], rms


def distinct_rows(x: Array) -> Array:
    """The distinct rows of ``x``, sorted (``np.unique`` would load ``numpy.ma``, which a
    default fit does without: tests/test_cli_process.py)."""
    if len(x) == 0:
        return x
    x = x[np.lexsort(x.T[::-1])]
    return x[np.concatenate(([True], np.any(np.diff(x, axis=0) != 0, axis=1)))]
