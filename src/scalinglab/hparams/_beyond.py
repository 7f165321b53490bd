"""How far a hyperparameter prediction reaches beyond the cells its laws were fitted to."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scalinglab._format import format_count, format_g
from scalinglab.fit._diagnostics import FAR
from scalinglab.hparams._flops_convention import expected_flops

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["beyond_cells", "cell_value", "cells_distance"]

#: The name of D/N, tokens per parameter, as plans write it (``tokens_per_param``).
_RATIO = "tokens_per_param"


def beyond_cells(
    fit: HparamFit,
    where: Mapping[str, float],
    *,
    intervals: bool = True,
    within: float = FAR,
    ratio_slack: float = 0.0,
) -> tuple[str, ...]:
    """A warning when ``where`` lies more than ``within`` decades (``FAR``) outside the
    fitted cells: in N and D, in tokens per parameter D/N (a plan's N*, D* may each lie
    inside the cells' range at a D/N none of them trained at: the laws then extrapolate how
    lr* and B* trade N against D), and in C where a law of the fit reads C (a law of C
    extrapolates in C, which moves as N·D does: further than N or D alone).

    ``intervals``: whether the warning is shown beside the intervals (``predict``), so that it
    says what they hold; a ladder shows its rungs' lr and batch without any, and says of
    every rung outside the cells (``within=0``) how far. ``ratio_slack``: decades of D/N
    beyond the cells' that count as inside (a ladder's rungs train a hair off their ratio).
    """
    far = [said for d, said in _outside(fit, where, ratio_slack) if d > within]
    if not far:
        return ()
    both = fit.batch_law is not None  # else lr* alone: no B* to speak of
    said = ("lr* and B* extrapolate their laws", "lr* extrapolates its law")[not both]
    line = "; ".join(far) + f": {said} that far"
    if intervals and fit.has_intervals:  # without intervals there are none to say this of
        held = ("their intervals hold", "its interval holds")[not both]
        forms = ("the laws' forms", "the law's form")[not both]
        line += f", and {held} the cells' noise, not the error of {forms}"
    choice = fit.law_choice
    if choice is not None and choice.left_first:
        line += (
            "; the forms were chosen on these cells alone (Step Law's forms, found over a "
            "wider range of sizes: --law steplaw, law='steplaw')"
        )
    return (line,)


def cells_distance(
    fit: HparamFit, where: Mapping[str, float], *, ratio_slack: float = 0.0
) -> float:
    """How many decades ``where`` lies outside the fitted cells, in the farthest of N, D,
    D/N and C (as :func:`beyond_cells` reads them, with its ``ratio_slack``); 0 inside."""
    return max((d for d, _ in _outside(fit, where, ratio_slack)), default=0.0)


def _outside(
    fit: HparamFit, where: Mapping[str, float], ratio_slack: float = 0.0
) -> list[tuple[float, str]]:
    """``(decades, words)`` for each of N, D, D/N and C where ``where`` lies outside the
    fitted cells' range at all (D/N: by more than ``ratio_slack`` decades)."""
    cells = [fit.cells[i].keys for i in fit.used]
    columns = [("params", "N"), ("tokens", "D"), (_RATIO, "tokens/param")]  # as plans name it
    columns += [("flops", "C")] if fit.reads_flops else []
    at = dict(where)
    if {"params", "tokens"} <= where.keys():
        at[_RATIO] = where["tokens"] / where["params"]
    out: list[tuple[float, str]] = []
    for name, symbol in columns:
        seen = [v for v in (cell_value(fit, k, name) for k in cells) if v is not None]
        if not seen or name not in at:
            continue
        lo, hi, v = min(seen), max(seen), at[name]
        d = max(math.log10(v / hi), math.log10(lo / v), 0.0)
        if d > (ratio_slack if name == _RATIO else 0.0):
            edge = (
                f"above the largest fitted {symbol}, {_number(name, hi)}"
                if v > hi
                else f"below the smallest fitted {symbol}, {_number(name, lo)}"
            )
            out.append((d, f"{symbol} = {_number(name, v)} is {d:.2f} decades {edge}"))
    return out


def cell_value(fit: HparamFit, keys: Mapping[str, float], name: str) -> float | None:
    """A fitted cell's ``name``: its key, its D/N (``"tokens_per_param"``), or for C (cells
    keyed by N and D) the C its sweep's FLOPs convention counts there (its median ratio to
    6·N·D where it has no rule); ``None`` where the cell has neither."""
    if name in keys:
        return float(keys[name])
    if name == _RATIO and {"params", "tokens"} <= keys.keys():
        return float(keys["tokens"]) / float(keys["params"])
    if name != "flops" or not {"params", "tokens"} <= keys.keys():
        return None
    return expected_flops(fit.flops_convention, float(keys["params"]), float(keys["tokens"]))


def _number(name: str, value: float) -> str:
    """N and D as counts (``537M``), C as FLOPs are written (``1.61e20``), D/N as a
    ratio (``18.6``)."""
    return format_g(value, 3) if name in ("flops", _RATIO) else format_count(value)
