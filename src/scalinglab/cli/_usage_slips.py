"""Click's usage errors said for the command line typed: an option's missing value names
the subcommand's ``--help`` (click reports it from the root, ``see 'scalinglab --help'``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["command_path"]


def command_path(ctx: Any, args: Sequence[str], root: Any = None) -> str:
    """The path of the (sub)command ``args`` run, as ``--help`` is asked of it: from
    ``ctx``'s command (else the ``root`` command, ``scalinglab``: click gives an option's
    missing value no context) down through the subcommands named in ``args`` (``scalinglab
    hparams fit``)."""
    path, command = (ctx.command_path, ctx.command) if ctx is not None else ("scalinglab", root)
    for word in args:
        commands = getattr(command, "commands", None)
        if not commands or word not in commands:
            break
        path, command = f"{path} {word}", commands[word]
    return str(path)
