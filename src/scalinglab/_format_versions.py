"""The versions of scalinglab's file formats (``scalinglab.fit/1``): a file a newer
release wrote is said to be one, not "not a fit" (:func:`scalinglab._formats.check_format`)."""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["known_kind", "newer_version"]

#: A format's kind and version: ``scalinglab.fit/1`` -> ``scalinglab.fit``, ``1``.
_VERSIONED = re.compile(r"\A(scalinglab\.[a-z0-9_]+)/([0-9]+)\Z")


def known_kind(found: object, kinds: Collection[str]) -> object:
    """``found``, or for a version this release does not know of a kind it knows
    (``downstream/2``), that kind's latest version among ``kinds``, which says what the
    file is."""
    match = _VERSIONED.match(found) if isinstance(found, str) else None
    if match is None or found in kinds:
        return found
    same = [k for k in kinds if k.startswith(f"{match[1]}/")]
    return max(same, key=lambda k: int(k.rpartition("/")[2]), default=found)


def newer_version(found: object, expected: str) -> str | None:
    """What to say of a file of format ``found`` where ``expected`` is read, when it is the
    same kind in a later version (``fit/2`` where this release reads ``fit/1``): a newer
    scalinglab wrote it; else ``None`` (another kind, or an older version, which a reader
    that still reads it takes before this check)."""
    have = _VERSIONED.match(found) if isinstance(found, str) else None
    want = _VERSIONED.match(expected)
    if have is None or want is None or have[1] != want[1] or int(have[2]) <= int(want[2]):
        return None
    short, reads = (f"{m[1].removeprefix('scalinglab.')}/{m[2]}" for m in (have, want))
    return f"written by a newer scalinglab ({short}); this version reads {reads}"
