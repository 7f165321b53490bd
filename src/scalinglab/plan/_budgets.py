"""The budgets a plan table takes when none are given: the standard 1e21-1e24 FLOPs where
the runs reach near them, else budgets a few decades above the largest run.

Small runs (a ladder on one GPU reaches 1e15-1e18 FLOPs) planned at 1e21-1e24 extrapolate
the law nine or more decades past its data, where its interval says nothing; ``fit``'s plan
table and ``report``'s plan section take the same default (:func:`default_budgets`), and
``plan`` without ``--compute`` the same for a saved fit's runs (:func:`fit_budgets`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from scalinglab._format import format_flops
from scalinglab.data._flops_rule import flops_of
from scalinglab.plan._source import compute_symbol

if TYPE_CHECKING:
    from scalinglab.data import RunTable

__all__ = [
    "NEAR_DECADES",
    "STANDARD_BUDGETS",
    "Budgets",
    "budgets_for",
    "default_budgets",
    "fit_budgets",
    "saved_budgets",
]

#: Budgets planned when none are given and the runs reach within :data:`NEAR_DECADES` of
#: the first, in FLOPs.
STANDARD_BUDGETS: tuple[float, ...] = (1e21, 1e22, 1e23, 1e24)
#: How many decades below the first standard budget the largest run may lie for the
#: standard budgets to stay the default.
NEAR_DECADES = 2.0
#: Multiples of the largest run's compute planned where it lies further below.
_MULTIPLES = (10.0, 100.0, 1000.0)


@dataclass(frozen=True)
class Budgets:
    """Budgets to plan for, and how they were chosen.

    Attributes:
        values: The budgets in FLOPs, in increasing order.
        note: One line saying which default was used and why; ``None`` for the standard
            budgets (the runs reach near them) and for budgets given.
    """

    values: tuple[float, ...]
    note: str | None = None


def default_budgets(flops: ArrayLike | None, *, python: str = "budgets=") -> Budgets:
    """The default budgets for runs of compute ``flops`` (the fitted runs' FLOPs column).

    :data:`STANDARD_BUDGETS` where the largest run lies within :data:`NEAR_DECADES` of the
    first of them (or no run has a finite compute); else 10×, 100× and 1000× the largest
    run's compute, each rounded to one significant digit, with a note saying so.

    Args:
        flops: Each run's compute in FLOPs; ``None`` where the runs have none.
        python: The Python keyword that chooses them, as the note names it (``fit`` and
            ``report``'s ``budgets=``; ``flops=`` of the plan functions).

    Returns:
        The budgets, and the note for budgets relative to the runs.
    """
    values = np.asarray([] if flops is None else flops, dtype=np.float64).ravel()
    finite = values[np.isfinite(values) & (values > 0)]
    first = STANDARD_BUDGETS[0]
    if not finite.size or float(finite.max()) >= first / 10**NEAR_DECADES:
        return Budgets(STANDARD_BUDGETS)
    top = float(finite.max())
    chosen = tuple(_one_digit(m * top) for m in _MULTIPLES)
    shown = ", ".join(format_flops(c) for c in chosen)
    decades = math.log10(first / top)
    return Budgets(
        chosen,
        note=(
            f"budgets {shown} FLOPs: 10x, 100x, 1000x the largest run's compute "
            f"({format_flops(top)}), as it lies {decades:.1f} decades below the default "
            f"{format_flops(first)}-{format_flops(STANDARD_BUDGETS[-1])}; choose with --compute ({python} in Python)"
        ),
    )


def budgets_for(given: Sequence[float], runs: RunTable, *, python: str = "budgets=") -> Budgets:
    """The budgets a plan table of ``runs``' fit takes: those ``given``, else
    :func:`default_budgets` for the runs' FLOPs column (none where they have none);
    ``python``: the keyword its note names (``write_report``'s ``budgets=``; ``fit``'s
    table is ``optimal_allocation``'s ``flops=``)."""
    if len(given):
        return Budgets(tuple(given))
    return default_budgets(runs["flops"] if runs.has("flops") else None, python=python)


def saved_budgets(path: str | os.PathLike[str]) -> tuple[float, ...]:
    """The budgets of the plan table ``fit --out`` saved with a fit (its ``"plan"`` list's
    ``flops``, positive and finite), in increasing order; ``()`` where it saved none."""
    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8")).get("plan") or []
    except (OSError, ValueError, AttributeError):  # read as a fit already: none then
        return ()
    flops = [r.get("flops") for r in rows if isinstance(r, dict)]
    return tuple(
        sorted({float(f) for f in flops if isinstance(f, int | float) and 0 < f < math.inf})
    )


def fit_budgets(source: Any, *, saved: Sequence[float] = ()) -> Budgets:
    """The budgets ``plan`` takes from ``source`` when none are given: those ``fit``'s
    table took for the fitted runs, :func:`default_budgets` of the largest run's compute.

    A law of compute alone reads it off its variable's reach, whatever column it read
    (``--x C=flops_6nd``); a law in N and D off the largest FLOPs its fit records
    (:attr:`FlopsConvention.largest`), else (a file from before) off the largest ``N·D``
    counted as the fit's FLOPs convention counts it. A fit that records no reach (an older
    file) takes the budgets of fit's plan table ``saved`` with it (:func:`saved_budgets`),
    else the standard budgets, as a preset does; each of these says so in its note.
    """
    reach = getattr(getattr(source, "extrapolation", None), "reach", None) or {}
    law = getattr(source, "law", None)
    columns = getattr(source, "columns", None) or {}
    symbol = None if law is None else compute_symbol(law)  # C by the law, whatever it read
    symbol = symbol or next((s for s, column in columns.items() if column == "flops"), None)
    if symbol is not None:
        return default_budgets([reach[symbol]] if symbol in reach else None, python="flops=")
    largest = getattr(getattr(source, "flops_convention", None), "largest", None)
    if largest is not None:
        return default_budgets([largest], python="flops=")
    product = next((key for key in reach if "*" in key), None)  # N*D: the compute axis
    if product is None and saved:
        shown = ", ".join(format_flops(c) for c in saved)
        return Budgets(tuple(saved), note=f"budgets {shown} FLOPs: those of fit's plan table, "
                       "saved in the fit's file, which records no compute of its runs; choose with "
                       "--compute (flops= in Python)")  # fmt: skip
    if product is None:
        from scalinglab.fit import FitResult

        shown = ", ".join(format_flops(c) for c in STANDARD_BUDGETS)
        why = (
            "the fit's file records neither its runs' compute nor fit's plan table (an older "
            "file), so they may lie far from its runs"
            if isinstance(source, FitResult)
            else "a preset has no runs of its own"
        )
        return Budgets(STANDARD_BUDGETS, note=f"budgets {shown} FLOPs: the standard ones, as {why}; choose "
                       "with --compute (flops= in Python)")  # fmt: skip
    # N·D's largest is an iso-FLOP grid's top budget at its largest model, whose ratio to
    # 6·N·D is the ratio at the largest N (r(N) falls with N): exact there, near elsewhere
    params = reach.get(product.split("*")[0], math.nan)
    top = 6.0 * reach[product] * float(flops_of(source).ratio(params))
    return default_budgets([top], python="flops=")


def _one_digit(x: float) -> float:
    """``x`` rounded to one significant digit (4.1e12 -> 4e12)."""
    scale = 10.0 ** math.floor(math.log10(x))
    return float(round(x / scale) * scale)
