"""Read-only mappings in frozen results: a frozen dataclass stops ``r.coefs = ...`` but not
``r.coefs["E"] = 0.0``, after which its predictions would follow the edit. Results that
mix in :class:`ReadOnlyMappings` hold their mapping fields as
:class:`types.MappingProxyType` views of a private copy; pickling, copying and
:func:`dataclasses.replace` keep working, and their JSON forms (``dict(...)``) are as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

__all__ = ["ReadOnlyMappings"]


class ReadOnlyMappings:
    """Mix-in for a frozen dataclass: the fields named in ``_read_only`` become read-only
    views of a copy of what was given (an item assignment raises ``TypeError``)."""

    _read_only: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        self._freeze_mappings()

    def _freeze_mappings(self) -> None:
        for name in self._read_only:
            value = getattr(self, name)
            if isinstance(value, Mapping):
                # a copy: the caller's dict, edited later, must not change the result either
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __getstate__(self) -> dict[str, Any]:
        # a mappingproxy does not pickle: store plain dicts, frozen again on load
        return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in vars(self).items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._freeze_mappings()
