"""A ``flops=`` that gives far fewer tokens than any run trained on: most likely a slip.

A prediction of a law of N and D given ``params=`` and ``flops=`` reads D as
``C/(6·N·r(N))`` (:func:`~scalinglab.fit._flops_inputs.tokens_of`). A compute typed a
dozen orders too small (``flops=1e3`` for 1e23) gives a D below one token and a loss of
millions, and the notes of distance alone (:func:`~scalinglab.fit._far.far_notes`: rows
far below the runs) do not show the D that made it. Where a D so derived lies more than
:data:`~scalinglab.fit._diagnostics.FAR` decade below the smallest D the law's numbers rest
on, a note names it, the compute and size it came from, and the rule ``flops = 6·N·D`` that
links them. The prediction is still made: a user may mean it.

One rule, one wording, wherever tokens are derived from a compute: the reference is a fit's
smallest fitted D (:func:`fit_floor`: a loss fit's runs; :func:`fitted_floor`: an hparams
fit's cells), or the smallest D a preset's source trained on, where the preset records it
(:func:`preset_floor`, off :attr:`~scalinglab.laws.Preset.trained_tokens`); a plan from a
preset says the same of its D* at the budget (:func:`budget_notes`: a fit's plan shows its
distance below the runs already). Hyperparameter presets record the sizes N their sources
fitted, not the tokens: no note there.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._format import format_count, format_flops, format_g
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.fit._diagnostics import FAR
from scalinglab.fit._inputs import names_for

if TYPE_CHECKING:
    from scalinglab.laws import Preset

__all__ = [
    "TokensFloor",
    "budget_notes",
    "fit_floor",
    "fitted_floor",
    "preset_floor",
    "said_flops",
    "slip_notes",
]


@dataclass(frozen=True)
class TokensFloor:
    """The smallest D a law's numbers rest on, and how a note names it.

    Attributes:
        tokens: That D.
        named: Its words, after "below" (``""``: ``"the smallest fitted D"``, by the law's
            symbol of the tokens; a preset's ``"the smallest D the runs behind preset
            kaplan2020 trained on"``).
        source: Where that D is stated, shown beside it (``""``: a fit's own runs).
    """

    tokens: float
    named: str = ""
    source: str = ""


def fitted_floor(tokens: float) -> TokensFloor | None:
    """The smallest fitted D (a fit's runs or cells) as a :class:`TokensFloor`; ``None``
    where it is not one positive, finite number."""
    if not (math.isfinite(tokens) and tokens > 0):
        return None
    return TokensFloor(tokens)


def fit_floor(ex: Any, columns: Mapping[str, str]) -> TokensFloor | None:
    """A loss fit's smallest fitted D, off its
    :class:`~scalinglab.fit._extrapolation.Extrapolation` ``ex`` (the fit's ``columns``
    name the symbol of the tokens); ``None`` without one (``ex`` ``None``, a law of no
    tokens, a fit saved before it recorded the floor)."""
    tokens = _symbol(columns, "tokens")
    if ex is None or tokens is None:
        return None
    return fitted_floor(float(getattr(ex, "floor", {}).get(tokens, math.nan)))


def said_flops(flag: str, flops: float) -> str:
    """``flops`` as the note names it given by ``flag``: ``flops=1e3``, ``--flops 1e3``."""
    return flag + ("" if flag.endswith("=") else " ") + format_flops(flops)


def preset_floor(preset: Preset) -> TokensFloor | None:
    """The smallest D the runs behind ``preset``'s numbers trained on, as its source states
    it (:attr:`~scalinglab.laws.Preset.trained_tokens`); ``None`` where not recorded."""
    t = preset.trained_tokens
    if t is None:
        return None
    return TokensFloor(
        t.low, f"the smallest D the runs behind preset {preset.name} trained on", t.source
    )


def _symbol(columns: Mapping[str, str], name: str) -> str | None:
    return next((s for s in columns if name in names_for(s, columns)), None)


def slip_notes(
    floor: TokensFloor | None,
    columns: Mapping[str, str],
    given: Collection[str],
    data: Mapping[str, Any],
    flops: Any,
    rule: FlopsConvention,
    *,
    flag: str = "flops=",
) -> list[str]:
    """The note on tokens derived from ``flops`` more than ``FAR`` decade below ``floor``
    (the farthest such point named); none where the tokens were given, or no floor is known
    (``floor`` ``None``: a fit saved before it records one, a preset that records none).

    Args:
        floor: The smallest D the law rests on (:func:`fit_floor`, :func:`fitted_floor`,
            a preset's), or ``None``.
        columns: Symbol -> column of the law.
        given: The keywords given (``params``, ``flops``, ...).
        data: Each symbol's values, the tokens derived from ``flops`` among them.
        flops: The compute given.
        rule: How the law counts FLOPs (``r(N)``: its ratio to 6·N·D).
        flag: How ``flops`` was given, for the note (``flops=``; ``--flops``).
    """
    tokens, sized = _symbol(columns, "tokens"), _symbol(columns, "params")
    if tokens is None or sized is None or floor is None or "flops" not in given:
        return []
    if any(k in given for k in names_for(tokens, columns)):  # D given: not derived
        return []
    d, n, c = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (data[tokens], data[sized], flops))
    )
    with np.errstate(all="ignore"):
        low = np.isfinite(d) & (d > 0) & (np.log10(floor.tokens / d) > FAR)
    if not low.any():
        return []
    i = int(np.argmin(np.where(low, d, np.inf)))
    di, ni, ci = float(d.flat[i]), float(n.flat[i]), float(c.flat[i])
    k = rule.per_token()
    said = said_flops(flag, ci)
    rows = (
        ""
        if low.sum() == 1 and low.size == 1
        else f" ({int(low.sum())} of {low.size} rows; the farthest)"
    )
    at_floor = float(6.0 * ni * floor.tokens * rule.ratio(np.float64(ni)))
    return [
        f"{tokens} = {format_g(di, 3)} tokens{rows}, derived from {said} at {sized} = "
        f"{format_count(ni)} as flops = {k}·{sized}·{tokens}, is {_below(floor, di, tokens)}: "
        f"check {said} for a slip ({tokens} = {format_count(floor.tokens)} at this {sized} "
        f"takes {format_flops(at_floor)} FLOPs); predicted there as asked"
    ]


def budget_notes(floor: TokensFloor | None, tokens: float, flops: float) -> list[str]:
    """The note on a plan's D* at the budget ``flops`` more than ``FAR`` decade below
    ``floor``, by :func:`slip_notes`'s rule, the floor named in its words: a budget typed
    orders of magnitude too small (``1e3`` for 1e23) plans a model of a few parameters on a
    few tokens. None where ``floor`` is ``None`` or D* is nearer.

    Args:
        floor: The smallest D the law rests on (:func:`preset_floor`), or ``None``.
        tokens: The optimum's D* at the budget.
        flops: The budget.
    """
    if floor is None or not (math.isfinite(tokens) and tokens > 0):
        return []
    if not math.log10(floor.tokens / tokens) > FAR:
        return []
    return [
        f"D* = {format_g(tokens, 3)} tokens, the optimum at a budget of "
        f"{format_flops(flops)} FLOPs, is {_below(floor, tokens, 'D')}: check the budget "
        "for a slip (a compute typed orders of magnitude too small?); planned there as asked"
    ]


def _below(floor: TokensFloor, tokens: float, symbol: str) -> str:
    """``"12.3 decades below the smallest fitted D (40M)"``: how far ``tokens`` lies below
    ``floor``, which it names with where it is stated."""
    named = floor.named or f"the smallest fitted {symbol}"
    where = format_count(floor.tokens) + (f"; {floor.source}" if floor.source else "")
    return f"{math.log10(floor.tokens / tokens):.1f} decades below {named} ({where})"
