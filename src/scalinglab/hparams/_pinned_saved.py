"""Which cells the lr grid pins, in a fit saved before :attr:`CellOptimum.pinned
<scalinglab.hparams.CellOptimum.pinned>` was written: read off what the file does hold.

The runs' losses the flag is decided on are not saved, so it cannot be recomputed. Such a
file was written by code that decided the same thing each time it was needed, and left two
records of it (verified on files written by the code before the flag, commit ``1ec1fc84``'s
parent):

- the loss* law has no bootstrap draws (``"samples": null``) where the lr* law has some
  exactly when a cell the laws were fitted to was pinned (the loss* law's draws were dropped
  for that alone, :mod:`scalinglab.hparams._pinned`);
- the warning ``lr* of K cell(s) (LABELS) is known only to the grid: ...`` names the pinned
  cells, the first 3 of them (``, ...`` after them where there were more); the code since
  writes it with the noun agreeing, ``lr* of 1 cell (LABEL)`` and ``lr* of K cells
  (LABELS)``, and both wordings are read.

So a cell named by the warning is pinned; where the laws' draws say a fitted cell is pinned
and the warning names none of them, every bracketed fitted cell not named may be, and is
read as pinned (a note says the file cannot tell which). Without bootstrap draws neither
record exists: the cells read as not pinned, and a note says the file does not say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from scalinglab._format import join_first
from scalinglab.hparams._optimum import CellOptimum

__all__ = ["saved_pinned"]

#: The pinned warning as the code before the flag wrote it (``cell(s)``), and as the code
#: since writes it (``1 cell``, ``3 cells``).
_WARNING = re.compile(r"^lr\* of (\d+) cell(?:\(s\)|s)? \((.*?)\) is known only to the grid:")
_BEFORE = "saved before a fit recorded which cells' lr* the lr grid pins (CellOptimum.pinned)"


def saved_pinned(
    data: Mapping[str, Any],
    cells: Sequence[CellOptimum],
    used: Sequence[int],
    warnings: Sequence[str],
) -> tuple[tuple[CellOptimum, ...], str | None]:
    """``cells`` with :attr:`~CellOptimum.pinned` read off a file saved without it, and the
    note that says so (``None``: the file has the flag, and ``cells`` are as read).

    Args:
        data: The saved fit's JSON.
        cells: Its cells as read (``pinned`` False where the file has no such key).
        used: Indices of the cells the laws were fitted to.
        warnings: The fit's warnings as read.
    """
    if not cells or any("pinned" in c for c in data["cells"]):
        return tuple(cells), None
    drawn = _has_draws(data.get("lr_law"))
    loss = data.get("loss_law")
    by_laws = drawn and bool(loss) and not _has_draws(loss)  # a fitted cell is pinned
    named: set[str] = set()
    for line in warnings:
        found = _WARNING.match(line)
        if found:
            named |= {s for s in found.group(2).split(", ") if s != "..."}
    pins = {i for i, c in enumerate(cells) if c.bracketed and c.label() in named}
    unsure = by_laws and not pins & set(used)
    if unsure:  # the warning names none of the fitted cells: any unnamed one may be pinned
        pins |= {i for i in used if cells[i].bracketed}
    out = tuple(replace(c, pinned=i in pins) for i, c in enumerate(cells))
    if not pins and not drawn:  # no draws, so no warning: nothing in the file says
        return out, (
            f"{_BEFORE}, with no bootstrap draws: the file does not say which, so none is "
            "marked (fit the sweep again to know)"
        )
    if not pins:  # drawn, and no warning: the code then would have warned of any
        return out, None
    which = join_first([cells[i].label() for i in sorted(pins)], 3)
    how = (
        "the loss* law has no bootstrap draws where the lr* law has some, so a cell it was "
        "fitted to is pinned, and the warning names none of them: every bracketed fitted cell "
        "is marked"
        if unsure
        else "named by its warning"
        + ("; the loss* law has no draws, as a pinned cell leaves it" if by_laws else "")
    )
    return out, f"{_BEFORE}: read off the file: pinned {which} ({how})"


def _has_draws(law: Any) -> bool:
    """Whether a saved law (its JSON object) holds bootstrap draws."""
    return bool(law) and bool(law.get("samples"))
