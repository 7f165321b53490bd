"""``NAME=COLUMN`` pairs and comma-separated lists as users write them: the command line's
options (:mod:`scalinglab.cli._options`) and the library's ``x=``
(:func:`scalinglab.data._readers.xy_columns`) read them alike. No NumPy here, so that
``--help`` and ``--version`` stay light."""

from __future__ import annotations

from collections.abc import Iterable

from scalinglab._errors import ConfigError

__all__ = ["comma_items", "split_pair", "unique_pairs"]


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
