"""Which column holds a quantity, by name: a column the user names (``--map
loss=val_loss``), found exactly or by :func:`column_key`; else the column named as the
quantity; else the one column named like it (an alias); several are refused, naming them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from scalinglab._errors import DataError

__all__ = ["alias_column", "column_key", "named_column"]


def column_key(name: str) -> str:
    """A column name as names are compared: lower-cased, spaces and hyphens as underscores."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def named_column(names: Sequence[str], wanted: str, what: str, *, source: str, hint: str) -> str:
    """The column of ``names`` the user named ``wanted`` (exactly, else by :func:`column_key`).

    Raises:
        DataError: When there is no such column (or several), listing the columns there are.
    """
    found = [n for n in names if n == wanted] or [
        n for n in names if column_key(n) == column_key(wanted)
    ]
    if len(found) != 1:
        raise DataError(
            f"no column {wanted!r} to read {what} from; the columns are "
            + ", ".join(repr(n) for n in names),
            source=source,
            column=wanted,
            hint=hint,
        )
    return found[0]


def alias_column(
    free: Sequence[str],
    target: str,
    aliases: Collection[str],
    *,
    source: str,
    flag: str = "--map",
    example: str | None = None,
) -> str | None:
    """The column of ``free`` named ``target``, else the one named like one of its
    ``aliases`` (by :func:`column_key`); ``None`` when there is none.

    Args:
        free: The columns not taken yet.
        target: The canonical name.
        aliases: The other names it goes by (as :func:`column_key` writes them).
        source: Named in the error.
        flag: The option the hint says to choose with.
        example: The column the hint writes (default: the first of the candidates).

    Raises:
        DataError: When several columns could be ``target``.
    """
    exact = [n for n in free if column_key(n) == target]
    candidates = exact or [n for n in free if column_key(n) in aliases]
    if len(candidates) > 1:
        names = ", ".join(repr(n) for n in candidates)
        raise DataError(
            f"columns {names} could each be {target}; which one is it?",
            source=source,
            hint=f"say which: {flag} {target}={example or candidates[0]}",
        )
    return candidates[0] if candidates else None
