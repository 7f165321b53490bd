"""Sizes too small to be counts: a params column in millions (``Params (M)``: 20 to 760) or
a tokens column in billions reads as models of a few hundred parameters trained on a few
tokens, which fits without complaint and plans nonsense. No language model that a scaling
law is fitted to has under :data:`FEWEST_PARAMS` parameters or sees under
:data:`FEWEST_TOKENS` tokens, so such a column gets a ``warning:`` note saying what was read
and what to do, naming the unit its header carries (``(M)``, ``[B]``) where it does, or, for
a tokens column named as steps are (``steps``, ``_step``), the tokens per step. (A
column found by such a name, not mapped with ``--map``, is scaled by its unit as it is read:
:mod:`scalinglab.data._unit_columns`.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g
from scalinglab._quantiles import median

__all__ = [
    "FEWEST_FLOPS",
    "FEWEST_PARAMS",
    "FEWEST_TOKENS",
    "counts_steps",
    "is_size_warning",
    "is_tokens_warning",
    "size_warnings",
]

Array = NDArray[np.float64]

#: Below this many parameters at the largest, a params column is not a count of them.
FEWEST_PARAMS = 1e4
#: Below this many tokens at the largest, a tokens column is not a count of them.
FEWEST_TOKENS = 1e6
#: Below this, a flops column counts no FLOPs: 6·N·D of the fewest params on the fewest tokens.
FEWEST_FLOPS = 6.0 * FEWEST_PARAMS * FEWEST_TOKENS
#: The sizes a derived one comes from, in the order a warning names them.
SIZED = ("params", "tokens", "flops")
#: PF-days in a column's name: ``compute (PF-days)``, ``pf_days``, ``petaflop-days``.
_PF_DAYS = re.compile(r"p(?:eta)?f(?:lop)?s?[-_ ]?days?", re.IGNORECASE)

#: The words of a column that counts optimizer steps (``steps``, ``train/global_step``,
#: ``num_iters``, W&B's ``_step``): read as tokens, it is in no unit that scaling mends.
_STEP_WORDS = frozenset({"step", "steps", "iter", "iters", "iteration", "iterations"})

#: A unit in a column's header, in brackets: ``Params (M)``, ``tokens [B]``, ``N (bn)``.
_HEADER_UNIT = re.compile(r"[(\[]\s*([a-z]+)\s*[)\]]", re.IGNORECASE)
#: Such a unit -> the suffix that writes it (as :mod:`scalinglab.data._units` reads it),
#: its factor and its word.
_UNITS = {
    "k": ("K", "1e3", "thousands"), "thousands": ("K", "1e3", "thousands"),
    "m": ("M", "1e6", "millions"), "mn": ("M", "1e6", "millions"),
    "millions": ("M", "1e6", "millions"),
    "b": ("B", "1e9", "billions"), "bn": ("B", "1e9", "billions"), "g": ("B", "1e9", "billions"),
    "billions": ("B", "1e9", "billions"),
    "t": ("T", "1e12", "trillions"), "trillions": ("T", "1e12", "trillions"),
}  # fmt: skip


def _advice(column: str, low: float, high: float) -> str:
    """What to do: the header's unit where it names one, else millions or billions."""
    found = _HEADER_UNIT.search(column)
    unit = _UNITS.get(found[1].lower()) if found else None
    if found is None or unit is None:
        return (  # one unit for both ends: 0.4M to 121.6B would be no reading of the column
            "the column may be in millions or billions: write its values with units "
            f"({format_g(low)}M to {format_g(high)}M, or {format_g(low)}B to {format_g(high)}B) or scale the column"
        )
    suffix, factor, word = unit
    return (
        f"the column is likely in {word} ({found[0]!r} in its name): write its values with "
        f"units ({format_g(low)}{suffix} to {format_g(high)}{suffix}) or scale the column by {factor}"
    )


def counts_steps(column: str) -> bool:
    """Whether ``column``'s name says it counts steps (one of :data:`_STEP_WORDS` among its
    words), not tokens (no word of it starts with ``token``: ``tokens_per_step``)."""
    words = re.split(r"[^a-z]+", column.lower())
    return bool(_STEP_WORDS.intersection(words)) and not any(w.startswith("token") for w in words)


def _steps_advice(column: str) -> str:
    """What to do with a tokens column that counts steps: tokens per step, not a unit."""
    return (
        f"the column likely counts optimizer steps ({column!r} in its name), not tokens: "
        "multiply it by the tokens per step (batch size × sequence length) to give each "
        "run's tokens"
    )


def _mixed_advice(values: Array, fewest: float, *, flops: bool = False) -> str:
    """What to do where most sizes are too small but the largest is a count: the small ones
    alone may be in another unit (PF-days, for ``flops``), and scaling the whole column
    would scale the counts too."""
    small = values[values < fewest]
    lo, hi = small.min(), small.max()
    unit, write = (
        ("PF-days or another unit", "in FLOPs (a PF-day is 8.64e19)")
        if flops
        else ("millions or billions", f"with their unit ({format_g(lo)}M or {format_g(lo)}B)")
    )
    return (
        f"the sizes look mixed (some perhaps in {unit}): the {small.size} under {format_g(fewest)} "
        f"are {format_g(lo)} to {format_g(hi)}; check those rows and write them {write}, leaving the counts "
        "as they are"
    )


def _flops_advice(column: str) -> str:
    """What to do with a flops column too small to count FLOPs: PF-days where its name says."""
    if _PF_DAYS.search(column):
        return (
            f"the column is likely in PF-days ({column!r}): scale it by 8.64e19 FLOPs a PF-day "
            "(1e15 FLOP/s for a day)"
        )
    return (
        "the column may be in PF-days (×8.64e19) or another unit: write it in FLOPs "
        "(6·N·D for a run of N parameters on D tokens)"
    )


def size_warnings(
    columns: Mapping[str, Array],
    read_from: Mapping[str, str],
    rows: Sequence[int],
    *,
    derived: str = "",
) -> list[str]:
    """A ``warning:`` note for each size column (``read_from``: target -> its source column;
    ``derived``: the one derived from the other two) whose values are too small to be
    counts: params under :data:`FEWEST_PARAMS`, tokens under :data:`FEWEST_TOKENS`, flops
    under :data:`FEWEST_FLOPS`, at the largest or at the median (most runs), and tokens
    under one at any row. A derived column is warned of only where neither column it came
    from is (it is then the first to show a unit is wrong)."""
    out: list[str] = []
    checks = (
        ("params", FEWEST_PARAMS, ("models", "parameters")),
        ("tokens", FEWEST_TOKENS, ("runs", "training tokens")),
        ("flops", FEWEST_FLOPS, ("runs", "training FLOPs")),
    )
    for target, fewest, what in sorted(checks, key=lambda c: c[0] == derived):  # read first
        if target not in columns or (target not in read_from and target != derived):
            continue
        values = columns[target]
        finite = np.isfinite(values)
        if not finite.any():
            continue
        low, high = float(values[finite].min()), float(values[finite].max())
        middle = median(values[finite])  # np.median would load numpy.ma (issue 12)
        if target == derived and out:  # a column it came from is warned of: that is the cause
            continue
        if target == derived:  # named by what it came from, whose units are to check
            came = " and ".join(repr(read_from[s]) for s in SIZED if s in read_from)
            where, advice = (
                f"derived from columns {came}",
                f"check the units of {came}: params and tokens as counts, flops in FLOPs",
            )
        else:
            source = read_from[target]
            where = f"column {source!r}"
            if target == "tokens" and counts_steps(source):  # no unit: tokens per step
                advice = _steps_advice(source)
            elif high < fewest or middle >= fewest:
                advice = _flops_advice(source) if target == "flops" else _advice(source, low, high)
            else:  # the largest is a count: only the small ones may be in another unit
                advice = _mixed_advice(values[finite], fewest, flops=target == "flops")
        if high < fewest or middle < fewest:
            noun, unit = what
            most = (
                f"{noun} of at most {format_g(high)} {unit}"
                if high < fewest
                else f"half the {noun} have at most {format_g(middle)} {unit} (the median)"
            )
            said = f"{target} {format_g(low)} to {format_g(high)} ({where}): {most}"
            out.append(f"warning: {said}; {advice}")
        elif target == "tokens" and low < 1.0:
            row = rows[int(np.flatnonzero(finite & (values < 1.0))[0])]
            out.append(
                f"warning: tokens {format_g(low)} at row {row} ({where}): a run of less than "
                "one training token; check that row's tokens"
            )
    return out


def is_size_warning(note: str) -> bool:
    """Whether ``note`` is one of :func:`size_warnings`' (a reader of runs whose sizes were
    counted, not typed, such as a ladder's rungs, leaves them out)."""
    return note.startswith(("warning: params ", "warning: tokens ", "warning: flops "))


def is_tokens_warning(note: str) -> bool:
    """Whether ``note`` is :func:`size_warnings`' of a tokens column (tokens that count
    steps, as ``fit --from-curves`` derives them without ``--tokens-per-step``, are in no
    other unit: its reader leaves it out)."""
    return note.startswith("warning: tokens ")
