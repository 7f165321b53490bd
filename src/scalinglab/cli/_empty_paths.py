"""Refuse an empty string given as a path (``fit ''``, ``fit -- ''``, ``plan --fit ''``,
``--out=``), before click reads it: ``Path('')`` is ``.``, the working folder, so the command
said "``.: is a folder, not a file``", naming neither the option nor what was typed.

Refuse too a path option whose value is one of the command's options or ``--help`` (``fit
--out --help``, ``fit --out --seed 1``): click reads the next word as the value whatever it
looks like, so the command wrote a file named ``--help``. A file of such a name is still
written when asked as one word (``--out=--help``) or as a path (``--out ./--help``)."""

from __future__ import annotations

from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.cli._argwalk import HELP, Words, spellings, takes_value

__all__ = ["check_empty_paths"]


def _is_path(param: Any) -> bool:
    """Whether click reads ``param`` as a path (Typer's ``TyperPath``, click's ``Path``)."""
    return type(getattr(param, "type", None)).__name__.endswith("Path")


def _name(param: Any) -> str:
    """A positional argument as ``--help`` shows it: ``RUNS``."""
    return str(param.metavar or param.name.upper()).strip("[]{}.")


def check_empty_paths(words: Words) -> None:
    """Raise when ``words`` give an empty string where a path goes (an option's value, or a
    positional argument of a command whose arguments are paths, after ``--`` too), or an
    option's name as a path option's value (``--out --help``).

    Raises:
        ConfigError: Naming the option (or the argument, ``RUNS``) and what to give.
    """
    options = {*spellings(words.command), HELP}
    params = list(getattr(words.command, "params", ()))
    positional = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
    paths = bool(positional) and all(_is_path(p) for p in positional)
    for given in words.given:
        if given.positional:
            if given.value == "" and paths:
                said = " or ".join(_name(p) for p in positional)
                raise ConfigError(
                    f"{said} is empty: an empty string was given where a path goes",
                    hint="give the path of the file or folder to read",
                )
            continue
        param = given.param
        if param is None or not takes_value(param) or given.value is None:
            continue
        if not given.value.strip() and _is_path(param):
            raise ConfigError(
                f"{param.opts[0]} is empty: it takes a path",
                hint=f"give {param.opts[0]} a file's path, or drop the option",
            )
        if given.value in options and not given.joined and _is_path(param):
            raise ConfigError(
                f"{given.option} needs a path, and the word after it is the option {given.value}",
                hint=f"give {given.option} a path before {given.value} (a file of that name: "
                f"{given.option} ./{given.value})",
            )
