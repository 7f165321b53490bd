"""Sizes too small to be counts: a params column in millions (``Params (M)``: 20 to 760) or
a tokens column in billions reads as models of a few hundred parameters trained on a few
tokens, which fits without complaint and plans nonsense. No language model that a scaling
law is fitted to has under :data:`FEWEST_PARAMS` parameters or sees under
:data:`FEWEST_TOKENS` tokens, so such a column gets a ``warning:`` note saying what was read
and what to do, naming the unit its header carries (``(M)``, ``[B]``) where it does. (A
column found by such a name, not mapped with ``--map``, is scaled by its unit as it is read:
:mod:`scalinglab.data._unit_columns`.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "FEWEST_PARAMS",
    "FEWEST_TOKENS",
    "is_size_warning",
    "is_tokens_warning",
    "size_warnings",
]

Array = NDArray[np.float64]

#: Below this many parameters at the largest, a params column is not a count of them.
FEWEST_PARAMS = 1e4
#: Below this many tokens at the largest, a tokens column is not a count of them.
FEWEST_TOKENS = 1e6

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
            f"({low:g}M to {high:g}M, or {low:g}B to {high:g}B) or scale the column"
        )
    suffix, factor, word = unit
    return (
        f"the column is likely in {word} ({found[0]!r} in its name): write its values with "
        f"units ({low:g}{suffix} to {high:g}{suffix}) or scale the column by {factor}"
    )


def size_warnings(
    columns: Mapping[str, Array], read_from: Mapping[str, str], rows: Sequence[int]
) -> list[str]:
    """A ``warning:`` note for each size column read (``read_from``: target -> its source
    column; a derived one is not read) whose values are too small to be counts: params
    under :data:`FEWEST_PARAMS` at the largest, tokens under :data:`FEWEST_TOKENS` at the
    largest or under one at any row."""
    out = []
    for target, fewest, what in (
        ("params", FEWEST_PARAMS, "models of at most {} parameters"),
        ("tokens", FEWEST_TOKENS, "runs of at most {} training tokens"),
    ):
        if target not in read_from or target not in columns:
            continue
        values = columns[target]
        finite = np.isfinite(values)
        if not finite.any():
            continue
        low, high = float(values[finite].min()), float(values[finite].max())
        source = read_from[target]
        if high < fewest:
            said = f"{target} {low:g} to {high:g} (column {source!r}): {what.format(f'{high:g}')}"
            out.append(f"warning: {said}; {_advice(source, low, high)}")
        elif target == "tokens" and low < 1.0:
            row = rows[int(np.flatnonzero(finite & (values < 1.0))[0])]
            out.append(
                f"warning: tokens {low:g} at row {row} (column {source!r}): a run of less than "
                "one training token; check that row's tokens"
            )
    return out


def is_size_warning(note: str) -> bool:
    """Whether ``note`` is one of :func:`size_warnings`' (a reader of runs whose sizes were
    counted, not typed, such as a ladder's rungs, leaves them out)."""
    return note.startswith(("warning: params ", "warning: tokens "))


def is_tokens_warning(note: str) -> bool:
    """Whether ``note`` is :func:`size_warnings`' of a tokens column (tokens that count
    steps, as ``fit --from-curves`` derives them without ``--tokens-per-step``, are in no
    other unit: its reader leaves it out)."""
    return note.startswith("warning: tokens ")
