"""A run store given where a command name goes (``scalinglab runs runs.duckdb``): the
hint names ``--store``, where click's said only ``see 'scalinglab runs --help'``."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

__all__ = ["store_slip"]

_NO_SUCH = re.compile(r"No such command (['\"])(?P<name>.+)\1\.")
#: The subcommand to show first, where a group has it: what a store alone most likely asks.
_FIRST = ("runs", "status")


def _takes_store(command: Any) -> bool:
    return any(p.name == "store" for p in getattr(command, "params", ()))


def store_slip(ctx: Any, message: str) -> str | None:
    """The hint for ``message`` (click's ``No such command 'X'.``) when ``X`` is an existing
    path or ends in ``.duckdb``: the group's own ``--store`` (``runs``), else its
    subcommands that take one; ``None`` otherwise (or where none does)."""
    found = _NO_SUCH.match(message)
    if found is None or ctx is None:
        return None
    name = found["name"]
    if not (name.lower().endswith(".duckdb") or Path(name).exists()):
        return None
    group, where, store = ctx.command, ctx.command_path, shlex.quote(name)
    if _takes_store(group):
        return f"a run store is given with --store: '{where} --store {store}'"
    subs = [n for n, c in getattr(group, "commands", {}).items() if _takes_store(c)]
    if not subs:
        return None
    first = next((n for n in _FIRST if n in subs), subs[0])
    which = f"of {', '.join(subs)}" if len(subs) > 1 else f"of {first}"
    return f"a run store is the --store option {which}: e.g. '{where} {first} --store {store}'"
