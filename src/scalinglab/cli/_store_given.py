"""The hint of a run store given where a command reads a table file
(:class:`~scalinglab.data._files.StoreGivenError`), said for the command that was run.

The reader that refused the file does not know the command line; this does, from the
command's own options: one that reads a store's runs has a ``--store`` with no default (a
command whose ``--store`` has one, ``ingest``'s, writes or lists a store), and the store
given to its input (RUNS, SWEEP, EVALS, CURVES or ``--runs``) goes to ``--store`` instead;
given to another option (``--chance``), that option takes a table; a command that reads no
store says where a store's runs are read.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from typing import Any

__all__ = ["store_given_hint"]

#: The options that give a command's runs, as its input argument does: ``--store`` replaces them.
_RUN_OPTIONS = ("runs",)


def store_given_hint(root: Any, args: Sequence[str], path: str) -> str:
    """What to do with the run store ``path`` that ``scalinglab ARGS`` was given where it
    reads a table file, ``root`` the click command that ran ``args``."""
    command, words, rest = _leaf(root, args)
    where = " ".join(["scalinglab", *words])
    quoted = shlex.quote(path)
    if not _reads_store(command):
        return (
            f"'{where}' reads no run store; the commands that fit read its runs with --store "
            f"(scalinglab fit --store {quoted}), and `scalinglab runs --store {quoted}` lists them"
        )
    example = f"{where} --store {quoted}"
    param = _given_to(command, words, rest, path)
    if param is None or param.param_type_name == "argument" or param.name in _RUN_OPTIONS:
        instead = f", in place of {_label(param)}" if param is not None else ""
        return f"pass it with --store{instead}: {example}"
    return (
        f"{_label(param)} takes a table file, not a run store; '{where}' reads a store's runs "
        f"with --store: {example}"
    )


def _leaf(root: Any, args: Sequence[str]) -> tuple[Any, list[str], list[str]]:
    """The command ``args`` name (``hparams fit``), its words, and the arguments after them."""
    command, words = root, []
    rest = list(args)
    while rest and hasattr(command, "commands") and rest[0] in command.commands:
        words.append(rest[0])
        command = command.commands[rest.pop(0)]
    return command, words, rest


def _reads_store(command: Any) -> bool:
    """Whether ``command`` reads the runs of a store: its ``--store`` has no default (it
    reads a file given instead), not a store it writes by default (``ingest``)."""
    return any(p.name == "store" and p.default is None for p in getattr(command, "params", ()))


def _given_to(command: Any, words: list[str], rest: list[str], path: str) -> Any:
    """The parameter of ``command`` given ``path`` on this command line, or ``None``."""
    try:
        ctx = command.make_context(" ".join(words), list(rest), resilient_parsing=True)
    except Exception:  # a command line click cannot parse: the hint stays without the name
        return None
    for param in command.params:
        value = ctx.params.get(param.name)
        values = value if isinstance(value, list | tuple) else [value]
        if any(v is not None and _same(str(v), path) for v in values):
            return param
    return None


def _same(given: str, path: str) -> bool:
    return os.path.normpath(given) == os.path.normpath(path)


def _label(param: Any) -> str:
    """``RUNS`` for an argument, ``--runs`` for an option."""
    if param.param_type_name == "argument":
        return str(param.human_readable_name)
    return str(max(param.opts, key=len))
