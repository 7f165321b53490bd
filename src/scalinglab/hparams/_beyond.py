"""How far a hyperparameter prediction reaches beyond the cells its laws were fitted to."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scalinglab._format import format_count
from scalinglab.fit._diagnostics import FAR

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["beyond_cells"]


def beyond_cells(fit: HparamFit, where: Mapping[str, float]) -> tuple[str, ...]:
    """A warning when ``where`` lies more than ``FAR`` decade outside the fitted cells."""
    cells = [fit.cells[i].keys for i in fit.used]
    far: list[str] = []
    for name, symbol in (("params", "N"), ("tokens", "D")):
        seen = [float(k[name]) for k in cells if name in k]
        if not seen or name not in where:
            continue
        lo, hi, v = min(seen), max(seen), where[name]
        d = max(math.log10(v / hi), math.log10(lo / v), 0.0)
        if d > FAR:
            edge = (
                f"above the largest fitted {symbol}, {format_count(hi)}"
                if v > hi
                else f"below the smallest fitted {symbol}, {format_count(lo)}"
            )
            far.append(f"{symbol} = {format_count(v)} is {d:.2f} decades {edge}")
    if not far:
        return ()
    line = "; ".join(far) + ": lr* and B* extrapolate their laws that far"
    if fit.has_intervals:  # without a bootstrap there is no interval to say this of
        line += ", and their intervals hold the cells' noise, not the error of the laws' forms"
    choice = fit.law_choice
    if choice is not None and choice.left_first:
        line += (
            "; the forms were chosen on these cells alone (Step Law's forms, found over a "
            "wider range of sizes: --law steplaw, law='steplaw')"
        )
    return (line,)
