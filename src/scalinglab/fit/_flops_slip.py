"""A ``flops=`` that gives far fewer tokens than any run trained on: most likely a slip.

A prediction of a law of N and D given ``params=`` and ``flops=`` reads D as
``C/(6·N·r(N))`` (:func:`~scalinglab.fit._flops_inputs.tokens_of`). A compute typed a
dozen orders too small (``flops=1e3`` for 1e23) gives a D below one token and a loss of
millions, and the notes of distance alone (:func:`~scalinglab.fit._far.far_notes`: rows
far below the runs) do not show the D that made it. Where a D so derived lies more than
:data:`~scalinglab.fit._diagnostics.FAR` decade below the smallest fitted D, a note names
it, the compute and size it came from, and the rule ``flops = 6·N·D`` that links them. The
prediction is still made: a user may mean it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

from scalinglab._format import format_count, format_flops, format_g
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.fit._diagnostics import FAR
from scalinglab.fit._inputs import names_for

__all__ = ["slip_notes"]


def _symbol(columns: Mapping[str, str], name: str) -> str | None:
    return next((s for s in columns if name in names_for(s, columns)), None)


def slip_notes(
    ex: Any,
    columns: Mapping[str, str],
    given: Collection[str],
    data: Mapping[str, Any],
    flops: Any,
    rule: FlopsConvention,
    *,
    flag: str = "flops=",
) -> list[str]:
    """The note on tokens derived from ``flops`` more than ``FAR`` decade below the
    smallest fitted D (the farthest such point named); none where the tokens were given,
    or the fit records no smallest D (``ex`` ``None``, or a fit saved before it).

    Args:
        ex: The fit's :class:`~scalinglab.fit._extrapolation.Extrapolation`, or ``None``.
        columns: Symbol -> column of the fit.
        given: The keywords given (``params``, ``flops``, ...).
        data: Each symbol's values, the tokens derived from ``flops`` among them.
        flops: The compute given.
        rule: How the fit counts FLOPs (``r(N)``: its ratio to 6·N·D).
        flag: How ``flops`` was given, for the note (``flops=``; ``--flops``).
    """
    tokens, sized = _symbol(columns, "tokens"), _symbol(columns, "params")
    if tokens is None or sized is None or ex is None or "flops" not in given:
        return []
    if any(k in given for k in names_for(tokens, columns)):  # D given: not derived
        return []
    floor = float(getattr(ex, "floor", {}).get(tokens, math.nan))
    if not (math.isfinite(floor) and floor > 0):
        return []
    d, n, c = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (data[tokens], data[sized], flops))
    )
    with np.errstate(all="ignore"):
        low = np.isfinite(d) & (d > 0) & (np.log10(floor / d) > FAR)
    if not low.any():
        return []
    i = int(np.argmin(np.where(low, d, np.inf)))
    di, ni, ci = float(d.flat[i]), float(n.flat[i]), float(c.flat[i])
    k = rule.per_token()
    said = flag + ("" if flag.endswith("=") else " ") + format_flops(ci)
    rows = (
        ""
        if low.sum() == 1 and low.size == 1
        else f" ({int(low.sum())} of {low.size} rows; the farthest)"
    )
    at_floor = float(6.0 * ni * floor * rule.ratio(np.float64(ni)))
    return [
        f"{tokens} = {format_g(di, 3)} tokens{rows}, derived from {said} at {sized} = "
        f"{format_count(ni)} as flops = {k}·{sized}·{tokens}, is "
        f"{math.log10(floor / di):.1f} decades below the smallest fitted {tokens} "
        f"({format_count(floor)}): check {said} for a slip (the smallest fitted {tokens} at "
        f"this {sized} takes {format_flops(at_floor)} FLOPs); predicted there as asked"
    ]
