"""Results by name (a loss-to-loss fit's groups, a chain's tasks) as a ``dict`` whose missing
name is a :class:`~scalinglab._errors.MissingKeyError` listing the names there are, rather
than Python's bare ``KeyError: 'c4'``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from scalinglab._errors import MissingKeyError, meant, nearest_name

__all__ = ["Keyed"]

_V = TypeVar("_V")


class Keyed(dict[str, _V]):
    """A ``dict`` of results by name; ``what`` names a key in the message (``"group"``)."""

    def __init__(self, items: Iterable[tuple[str, _V]] = (), *, what: str = "key") -> None:
        super().__init__(items)
        self.what = what

    def __missing__(self, key: str) -> _V:
        names = [str(k) for k in self]
        near = nearest_name(str(key), names) if isinstance(key, str) else None
        raise MissingKeyError(
            f"no {self.what} {key!r}; the {self.what}s are {', '.join(map(repr, names)) or 'none'}",
            hint=meant(near, hint=True) if near else f"index by one of the {self.what}s",
        )
