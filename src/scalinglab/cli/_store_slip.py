"""A file given where a command name goes: a run store (``scalinglab runs runs.duckdb``)
is hinted to ``--store``, a table (``scalinglab fixed.csv``) to a command that reads it,
where click's said only ``see 'scalinglab runs --help'``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from scalinglab.cli._no_such_command import NO_SUCH

__all__ = ["store_slip"]

#: The subcommand to show first, where a group has it: what a store alone most likely asks.
_FIRST = ("runs", "status")
#: What a table is named by (``.csv.gz`` too): read by ``fit``, never a store.
_TABLES = (".csv", ".tsv", ".parquet", ".pq", ".json", ".jsonl", ".ndjson")


def _takes_store(command: Any) -> bool:
    return any(p.name == "store" for p in getattr(command, "params", ()))


def _said(command: str) -> str:
    """``command`` quoted in a hint: ``'...'``, or ``\\`...\\``` where it holds a shell
    quote itself (``--store 'my dir'``), which single quotes around it would break."""
    return f"`{command}`" if "'" in command else f"'{command}'"


def _is_store(name: str) -> bool:
    """Whether ``name`` is meant as a store: named ``.duckdb`` (there or not), or a file
    that is a DuckDB database whatever its name; any other path (a table, a folder) is not."""
    from scalinglab.store._check import is_duckdb

    return name.lower().endswith(".duckdb") or (Path(name).is_file() and is_duckdb(Path(name)))


def _is_table(name: str) -> bool:
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in _TABLES


def store_slip(ctx: Any, message: str) -> str | None:
    """The hint for ``message`` (click's ``No such command 'X'.``) when ``X`` is a run
    store (:func:`_is_store`): the group's own ``--store`` (``runs``), else its subcommands
    that take one; when ``X`` is named as a table: the group's ``fit``, else the top
    level's, to read it; ``None`` otherwise (or where no subcommand takes a store)."""
    found = NO_SUCH.match(message)
    if found is None or ctx is None:
        return None
    name = found["name"]
    group, where, quoted = ctx.command, ctx.command_path, shlex.quote(name)
    if _is_table(name) and not _is_store(name):
        root = where.split(" ")[0]
        fit = where if "fit" in getattr(group, "commands", {}) else root
        ingest = f"{root} ingest {quoted} --store runs.duckdb"
        return (
            f"a table is given to a command, not as one: e.g. {_said(f'{fit} fit {quoted}')}, "
            f"or stored with {_said(ingest)}"
        )
    if not _is_store(name):
        return None
    if _takes_store(group):
        return f"a run store is given with --store: {_said(f'{where} --store {quoted}')}"
    subs = [n for n, c in getattr(group, "commands", {}).items() if _takes_store(c)]
    if not subs:
        return None
    first = next((n for n in _FIRST if n in subs), subs[0])
    which = f"of {', '.join(subs)}" if len(subs) > 1 else f"of {first}"
    example = _said(f"{where} {first} --store {quoted}")
    return f"a run store is the --store option {which}: e.g. {example}"
