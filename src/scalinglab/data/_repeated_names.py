"""Columns that share a name: a table read keeps one cell list per name, so a repeated
column that would be read is ambiguous and refused, naming its positions; one the reader
does not use (a second ``note``) is dropped with one warning."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from scalinglab._errors import DataError
from scalinglab._format import noun_for
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import RawTable

__all__ = ["refuse_repeats", "repeat_warnings", "unread_repeats"]

#: How the warning of :func:`unread_repeats` ends, by which :func:`repeat_warnings` finds it.
_LEFT_OUT = ": not read (no value is read from them), so left out"


def _positions(names: tuple[str, ...], name: str) -> str:
    """``columns 4 and 7``: the 1-based positions of ``name`` among ``names``."""
    at = [str(k + 1) for k, n in enumerate(names) if n == name]
    return f"columns {', '.join(at[:-1])} and {at[-1]}"


def _ambiguous(raw: RawTable, name: str) -> DataError:
    return DataError(
        f"{_positions(raw.names, name)} are both named {name!r}, which is read: "
        "which one is meant is not clear",
        source=raw.source,
        column=name,
        hint=f"rename or remove the other {noun_for(raw.names.count(name) - 1, 'column')} of "
        "that name",
    )


def refuse_repeats(raw: RawTable, names: Iterable[str]) -> None:
    """Refuse a repeated column among ``names``, columns of ``raw`` read before its table
    is built (``--where``'s, on the raw rows), as :func:`unread_repeats` refuses one.

    Raises:
        DataError: When one of ``names`` repeats, naming its positions.
    """
    for name in names:
        if raw.names.count(name) > 1:
            raise _ambiguous(raw, name)


def unread_repeats(
    raw: RawTable,
    read: Callable[[RawTable], tuple[str | None, Mapping[str, str]]],
    *,
    also: Iterable[str] = (),
) -> tuple[RawTable, tuple[str, ...]]:
    """``raw`` less its repeated columns the reader does not read, and the warning that
    says they were left out (none where no name repeats).

    Args:
        raw: The table as read.
        read: The columns a table of ``raw``'s names, each once, is read from: its run
            column, and the column of each value mapped or found.
        also: The columns the command reads beyond a run table's (a sweep's learning
            rate and batch, by their names or aliases; ``loss2loss --y``), compared as
            :func:`~scalinglab.data._column_names.column_key` compares names.

    Raises:
        DataError: When a repeated column would be read, naming its positions.
    """
    repeated = [n for n in dict.fromkeys(raw.names) if raw.names.count(n) > 1]
    if not repeated:
        return raw, ()
    run_col, chosen = read(replace(raw, names=tuple(dict.fromkeys(raw.names))))
    keys = {column_key(name) for name in also}
    used = {run_col, *chosen.values(), *(n for n in repeated if column_key(n) in keys)}
    used &= set(repeated)
    if used:
        raise _ambiguous(raw, sorted(n for n in used if n is not None)[0])
    said = "; ".join(f"{_positions(raw.names, n)} are named {n!r}" for n in repeated)
    kept = tuple(n for n in raw.names if n not in repeated)
    cells = {n: c for n, c in raw.cells.items() if n not in repeated}
    warning = f"warning: {said}{_LEFT_OUT}"
    return replace(raw, names=kept, cells=cells), (warning,)


def repeat_warnings(notes: Iterable[str]) -> tuple[str, ...]:
    """The warnings of :func:`unread_repeats` among a table's ``notes``, less their
    ``warning:`` prefix: for a command that shows its own warnings, not the table's notes
    (``hparams fit``, ``loss2loss fit``)."""
    return tuple(n.removeprefix("warning: ") for n in notes if n.endswith(_LEFT_OUT))
