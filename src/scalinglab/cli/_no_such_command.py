"""Click's ``No such command 'X'.`` read once for the hints that answer it (a store, the
presets, ``compare``, ``store``): which name was typed, and the root it was typed at."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

__all__ = ["NO_SUCH", "asked", "top_level_root"]

NO_SUCH = re.compile(r"No such command (['\"])(?P<name>.+)\1\.")


def asked(message: str, words: Collection[str]) -> bool:
    """Whether ``message`` is click's ``No such command`` for one of ``words`` (any case)."""
    found = NO_SUCH.match(message)
    return found is not None and found["name"].strip().lower() in words


def top_level_root(ctx: Any) -> str | None:
    """The program's name where the slip was typed at the top level (``scalinglab``);
    ``None`` inside a group (``curves compare`` is that group's business) or without one."""
    root = str(getattr(ctx, "command_path", "") or "")
    return None if not root or " " in root else root
