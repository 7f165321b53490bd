"""``NAME=COLUMN`` pairs and comma-separated lists as users write them: the command line's
options (:mod:`scalinglab.cli._options`) and the library's ``x=``
(:func:`scalinglab.data._readers.xy_columns`) read them alike. No NumPy here, so that
``--help`` and ``--version`` stay light."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from scalinglab._errors import ConfigError
from scalinglab._format import format_g

__all__ = ["comma_items", "drop_repeats", "split_pair", "unique_pairs"]

_T = TypeVar("_T", bound=Hashable)


def _number(value: object) -> str:
    return format_g(value) if isinstance(value, float) else str(value)


def drop_repeats(
    values: Sequence[_T], *, who: str, shown: Callable[[_T], str] | None = None
) -> tuple[list[_T], str]:
    """``values`` in the order given, each repeat dropped, and the one line that says so
    (``""`` where none repeats). A budget (a target) given twice is one budget, planned
    once: a slip of the keyboard, not a reason to stop (``--compute 1e21,1e21``).

    Args:
        values: The values, as parsed.
        who: The option or argument that gave them (``--compute``, ``budgets``).
        shown: How the line writes a value (``None``: a number as ``1e21``, ``2.1``).
    """
    kept = list(dict.fromkeys(values))
    if len(kept) == len(values):
        return kept, ""
    twice = ", ".join((shown or _number)(v) for v in kept if values.count(v) > 1)
    return kept, f"{who} {twice} given more than once: each is used once"


def comma_items(values: Iterable[str]) -> list[str]:
    """Every value split at its commas, stripped, empty items dropped:
    ``["N=params, D=tokens", "C=flops"]`` -> ``["N=params", "D=tokens", "C=flops"]``."""
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def split_pair(text: str) -> tuple[str, str] | None:
    """``"N = params"`` -> ``("N", "params")``; ``None`` without ``=`` or with an empty side."""
    name, _, column = (part.strip() for part in text.partition("="))
    return (name, column) if name and column else None


def unique_pairs(pairs: Iterable[tuple[str, str]], *, who: str, give: str = "") -> dict[str, str]:
    """``pairs`` as a mapping, read in order; the same pair twice is one.

    Args:
        pairs: ``(name, column)`` pairs; a generator may raise on a malformed one, so that
            the first mistake in the user's order is the one reported.
        who: What maps, as its messages name it (``"--map"``, ``"x"``).
        give: What the hint writes before ``NAME=...`` (``"--map "``, or nothing).

    Raises:
        ConfigError: For a name mapped to two different columns.
    """
    out: dict[str, str] = {}
    for name, column in pairs:
        if out.get(name, column) != column:
            raise ConfigError(
                f"{who} maps {name!r} twice, to {out[name]!r} and to {column!r}",
                hint=f"give {give}{name}=... once",
            )
        out[name] = column
    return out
