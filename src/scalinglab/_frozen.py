"""Read-only mappings in frozen results: a frozen dataclass stops ``r.coefs = ...`` but not
``r.coefs["E"] = 0.0``, after which its predictions would follow the edit. Results that
mix in :class:`ReadOnlyMappings` hold their mapping fields as
:class:`types.MappingProxyType` views of a private copy; pickling, copying and
:func:`dataclasses.replace` keep working, and their JSON forms (``dict(...)``) are as before;
a coefficient's name missing from ``coefs`` or ``intervals`` is a
:class:`~scalinglab.MissingKeyError` (a ``KeyError`` too) that lists the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from scalinglab._keyed import Keyed

__all__ = ["ReadOnlyMappings"]


class ReadOnlyMappings:
    """Mix-in for a frozen dataclass: the fields named in ``_read_only`` become read-only
    views of a copy of what was given (an item assignment raises ``TypeError``); those in
    ``_keyed`` too, of a :class:`~scalinglab._keyed.Keyed` copy, so that a name missing
    from them (``r.coefs["nope"]``) is a :class:`~scalinglab.MissingKeyError` listing the
    names there are, not a bare ``KeyError``."""

    _read_only: ClassVar[tuple[str, ...]] = ()
    #: Fields of ``_read_only`` whose missing key is named, with what a key is.
    _keyed: ClassVar[Mapping[str, str]] = {"coefs": "coefficient", "intervals": "coefficient"}

    def __post_init__(self) -> None:
        self._freeze_mappings()

    def _freeze_mappings(self) -> None:
        for name in self._read_only:
            value = getattr(self, name)
            if isinstance(value, Mapping):
                # a copy: the caller's dict, edited later, must not change the result either
                what = self._keyed.get(name)
                copy = dict(value) if what is None else Keyed(value.items(), what=what)
                object.__setattr__(self, name, MappingProxyType(copy))

    def __getstate__(self) -> dict[str, Any]:
        # a mappingproxy does not pickle: store plain dicts, frozen again on load
        return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in vars(self).items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._freeze_mappings()
