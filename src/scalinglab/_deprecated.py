"""Old names kept for one release: :class:`AsDictAlias`, ``as_dict`` of every result whose
plain dictionary is now ``to_dict`` (one name per concept)."""

from __future__ import annotations

import warnings
from typing import Protocol, TypeVar

from typing_extensions import deprecated

__all__ = ["AsDictAlias"]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class _HasToDict(Protocol[_T_co]):
    def to_dict(self) -> _T_co: ...


class AsDictAlias:
    """A base for results that had ``as_dict``: the old name warns, then calls ``to_dict``.

    One method for all of them, so type checkers see it deprecated (``@deprecated``, no
    runtime warning of its own) with each class's own return type, and the runtime warning
    names the class.
    """

    __slots__ = ()

    @deprecated("as_dict is deprecated and goes in the next release: use to_dict", category=None)
    def as_dict(self: _HasToDict[_T]) -> _T:
        """Deprecated alias of ``to_dict`` (one release)."""
        warnings.warn(
            f"{type(self).__name__}.as_dict is deprecated and goes in the next release: use "
            f"{type(self).__name__}.to_dict (every result's plain dictionary is to_dict)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_dict()
