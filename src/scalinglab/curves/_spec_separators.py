"""A schedule spec written with spaces for its separators (``cosine peak=3e-3 steps=2000``,
``cosine: peak=3e-3 steps=2000``), told apart from an unknown kind or a malformed key, with
the spec as it should read (``cosine:peak=3e-3,steps=2000``); a slip of the kind in it
(``cosin peak=3e-3``) named with the kind meant."""

from __future__ import annotations

import re
from collections.abc import Collection
from difflib import get_close_matches

from scalinglab._errors import ConfigError, meant

__all__ = ["spaced"]

_HEAD = re.compile(r"\s*([A-Za-z]+)\s*:?\s*(.*)$", re.DOTALL)
# key=value, or a bare number (wsd:0.2's decay); ';' stays inside a value (multistep's lists)
_PART = re.compile(r"[A-Za-z]+\s*=\s*[^\s,=]+|[0-9.eE+-]+%?$")


def spaced(spec: str, kinds: Collection[str]) -> ConfigError | None:
    """The error for ``spec`` when it reads as a spec of one of ``kinds`` once its spaces
    are taken as separators (``:`` after the kind, ``,`` between keys), else ``None``.

    Args:
        spec: The spec as given.
        kinds: The schedule kinds a spec may start with.

    Returns:
        A :class:`ConfigError` naming the separators, its hint the spec rewritten.
    """
    head = _HEAD.match(spec)
    if head is None or not re.search(r"\w\s+\w", spec):
        return None
    typed = head.group(1).lower()  # a slip of a kind too (`cosin peak=3e-3`): the kind meant
    kind = typed if typed in kinds else next(iter(get_close_matches(typed, kinds, 1, 0.75)), "")
    if not kind:
        return None
    # `peak = 3e-3` is one key: its spaces around '=' closed first
    rest = re.sub(r"\s*=\s*", "=", head.group(2).strip())
    parts = [p for p in re.split(r"[\s,]+", rest) if p]
    if not parts or not all(_PART.fullmatch(p) for p in parts):
        return None
    fixed = f"{kind}:{','.join(parts)}"
    slip = "" if kind == typed else f"; and {typed!r} is no kind{meant(kind)}"
    return ConfigError(
        f"schedule {spec!r}: its parts are separated by spaces: a spec is kind:key=value,... "
        f"with ':' after the kind and ',' between keys (no spaces){slip}",
        hint=f"write {fixed!r}",
    )
