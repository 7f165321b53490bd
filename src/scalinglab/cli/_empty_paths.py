"""Refuse an empty string given as a path (``fit ''``, ``plan --fit ''``, ``--out=``), before
click reads it: ``Path('')`` is ``.``, the working folder, so the command said
"``.: is a folder, not a file``", naming neither the option nor what was typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.cli._repeats import leaf_command

__all__ = ["check_empty_paths"]


def _is_path(param: Any) -> bool:
    """Whether click reads ``param`` as a path (Typer's ``TyperPath``, click's ``Path``)."""
    return type(getattr(param, "type", None)).__name__.endswith("Path")


def _name(param: Any) -> str:
    """A positional argument as ``--help`` shows it: ``RUNS``."""
    return str(param.metavar or param.name.upper()).strip("[]{}.")


def check_empty_paths(command: Any, args: Sequence[str]) -> None:
    """Raise when ``args`` give an empty string where a path goes: an option's value, or a
    positional argument of a command whose arguments are paths.

    Raises:
        ConfigError: Naming the option (or the argument, ``RUNS``) and what to give.
    """
    leaf, rest = leaf_command(command, args)
    params = list(getattr(leaf, "params", ()))
    takes_value = {
        spelling: p
        for p in params
        if getattr(p, "param_type_name", "") == "option" and not getattr(p, "is_flag", False)
        for spelling in (*p.opts, *p.secondary_opts)
    }
    positional = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--":
            break
        name, eq, given = token.partition("=")
        param = takes_value.get(name)
        if param is not None:
            value: str | None = given
            if not eq:
                value, i = (rest[i + 1] if i + 1 < len(rest) else None), i + 1
            if value is not None and not value.strip() and _is_path(param):
                raise ConfigError(
                    f"{param.opts[0]} is empty: it takes a path",
                    hint=f"give {param.opts[0]} a file's path, or drop the option",
                )
        elif token == "" and positional and all(_is_path(p) for p in positional):
            said = " or ".join(_name(p) for p in positional)
            raise ConfigError(
                f"{said} is empty: an empty string was given where a path goes",
                hint="give the path of the file or folder to read",
            )
        i += 1
