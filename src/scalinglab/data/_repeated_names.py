"""Columns that share a name: a table read keeps one cell list per name, so a repeated
column that would be read is ambiguous and refused, naming its positions; one the reader
does not use (a second ``note``) is dropped with one warning."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from scalinglab._errors import DataError
from scalinglab.data._raw import RawTable

__all__ = ["unread_repeats"]


def _positions(names: tuple[str, ...], name: str) -> str:
    """``columns 4 and 7``: the 1-based positions of ``name`` among ``names``."""
    at = [str(k + 1) for k, n in enumerate(names) if n == name]
    return f"columns {', '.join(at[:-1])} and {at[-1]}"


def unread_repeats(
    raw: RawTable, read: Callable[[RawTable], tuple[str | None, Mapping[str, str]]]
) -> tuple[RawTable, tuple[str, ...]]:
    """``raw`` less its repeated columns the reader does not read, and the warning that
    says they were left out (none where no name repeats).

    Args:
        raw: The table as read.
        read: The columns a table of ``raw``'s names, each once, is read from: its run
            column, and the column of each value mapped or found.

    Raises:
        DataError: When a repeated column would be read, naming its positions.
    """
    repeated = [n for n in dict.fromkeys(raw.names) if raw.names.count(n) > 1]
    if not repeated:
        return raw, ()
    run_col, chosen = read(replace(raw, names=tuple(dict.fromkeys(raw.names))))
    used = {run_col, *chosen.values()} & set(repeated)
    if used:
        name = sorted(n for n in used if n is not None)[0]
        raise DataError(
            f"{_positions(raw.names, name)} are both named {name!r}, which is read: "
            "which one is meant is not clear",
            source=raw.source,
            column=name,
            hint="rename or remove the other column(s) of that name",
        )
    said = "; ".join(f"{_positions(raw.names, n)} are named {n!r}" for n in repeated)
    kept = tuple(n for n in raw.names if n not in repeated)
    cells = {n: c for n, c in raw.cells.items() if n not in repeated}
    warning = f"warning: {said}: not read (no value is read from them), so left out"
    return replace(raw, names=kept, cells=cells), (warning,)
