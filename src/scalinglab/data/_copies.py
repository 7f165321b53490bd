"""Runs that are copies of each other under other names: the same params, tokens and loss,
to the last digit, in two runs of one table (a table saved twice and read as one, or
ingested from two files whose runs were named differently). A fit counts each as its own
evidence, so its bootstrap intervals come out too narrow; the note says so once.

The loss of a copy may be written to fewer digits than its original's (``5.38597`` beside
``5.385970359316781``): it matches when the longer rounds to it. With fewer than
:data:`MIN_DIGITS` significant digits only an equal loss matches, as two runs of one size
often agree to three or four digits. Params and tokens must be equal, and so must every
other column of numbers a table has (a sweep's learning rate and batch: two runs of one size
at two learning rates are two runs, however close their losses), a blank one included.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scalinglab.data._raw import named_by_row
from scalinglab.data._table import RunTable

__all__ = ["MIN_DIGITS", "copies", "with_copies_note"]

#: The fewest significant digits of a loss that match a longer one rounded to them.
MIN_DIGITS = 5
#: What every copies note says, by which an older one is replaced.
_SAID = "copies of one run count as independent evidence"


def _digits(value: float) -> int:
    """Significant digits of ``value`` as the shortest text that reads back as it."""
    mantissa = repr(abs(value)).split("e")[0].replace(".", "").strip("0")
    return max(len(mantissa), 1)


def _rounded(value: float, digits: int) -> float:
    return float(f"{value:.{digits - 1}e}")


def _sizes(table: RunTable) -> list[str]:
    """The columns a copy's size is compared on: the params and tokens the table has, its
    flops where it has neither, else its other columns of numbers (a law of mapped columns,
    ``--x U=width``, reads no size column); none where it has only the loss."""
    return (
        [c for c in ("params", "tokens") if table.has(c)]
        or [c for c in ("flops",) if table.has(c)]
        or [c for c in table.columns if c != "loss"]
    )


def copies(table: RunTable) -> list[tuple[int, int]]:
    """``(copy, original)`` positions of the runs of ``table`` whose sizes, other columns
    of numbers and loss repeat an earlier run's (the original: the first such run), in
    table order; none where the table has no column of numbers but the loss.

    Sizes are the params and tokens the table has (flops where it has neither, its other
    columns of numbers where it has no size column).
    """
    sizes = _sizes(table)
    if not sizes or not table.has("loss"):
        return []
    # flops too where sizes are: given in one file and 6·N·D in another, they may differ
    others = [c for c in table.columns if c not in (*sizes, "loss", "flops")]
    keys = np.nan_to_num(np.column_stack([table[c] for c in (*sizes, *others)]), nan=-1.0)
    loss = table["loss"]
    # most tables hold one run per size: only sizes shared by several runs are looked into
    _, group, count = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    group = np.asarray(group).ravel()
    shared = np.flatnonzero((count[group] > 1) & np.isfinite(loss))
    shared = shared[np.argsort(group[shared], kind="stable")]  # each size's runs in order
    found: list[tuple[int, int]] = []
    for part in np.split(shared, np.flatnonzero(np.diff(group[shared])) + 1):
        rows = [int(i) for i in part]
        found += _matches(rows, [float(loss[i]) for i in rows])
    return sorted(found)


def _matches(rows: list[int], losses: list[float]) -> list[tuple[int, int]]:
    """Among runs of one size (``rows``, in order), each whose loss is an earlier one's."""
    digits = [_digits(x) for x in losses]
    kept = sorted({d for d in digits if d >= MIN_DIGITS})
    exact: dict[float, int] = {}
    rounded: dict[tuple[int, float], int] = {}  # a run's loss rounded to fewer digits
    short: dict[tuple[int, float], int] = {}  # a run's loss, by its own digits
    out = []
    for row, x, d in zip(rows, losses, digits, strict=True):
        original = exact.get(x)
        if original is None and d >= MIN_DIGITS:
            original = rounded.get((d, x))  # an earlier loss written longer
            for k in (k for k in kept if k < d and original is None):
                original = short.get((k, _rounded(x, k)))  # an earlier one written shorter
        if original is not None:
            out.append((row, original))
        exact.setdefault(x, row)
        if d >= MIN_DIGITS:
            short.setdefault((d, x), row)
            for k in (k for k in kept if k <= d):
                rounded.setdefault((k, _rounded(x, k)), row)
    return out


def with_copies_note(table: RunTable) -> RunTable:
    """``table`` with one note naming its runs that are copies of another (:func:`copies`),
    in place of any such note of the runs it was selected from; as it is without copies.

    A table without run names (each run is its row: ``row2``) has its own note of rows
    that repeat each other (:func:`~scalinglab.data._repeats.repeated_rows`).
    """
    notes = tuple(n for n in table.notes if _SAID not in n)
    unnamed = table.run_column == "run" and named_by_row(table.runs, table.rows)
    found = [] if unnamed or not table.has("loss") or len(table) < 2 else copies(table)
    if not found:
        return table if len(notes) == len(table.notes) else replace(table, notes=notes)
    sizes = _sizes(table)  # not empty: copies() found some on them
    shown = ", ".join(f"{table.runs[c]} = {table.runs[o]}" for c, o in found[:2])
    runs = "1 run repeats" if len(found) == 1 else f"{len(found)} runs repeat"
    note = (
        f"{runs} another run's {', '.join(sizes)} and loss exactly (to the last digit; "
        f"e.g. {shown}): {_SAID} and narrow the intervals; remove the copies"
    )
    return replace(table, notes=(*notes, note))
