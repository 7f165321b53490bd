"""One placeholder style in every ``--help``: an option's value is named in capitals.

The options that name their value (``--out PATH``, ``--where COLUMN=VALUE``) write it in
capitals; an option declared without ``metavar=`` is shown in the style of whichever
Typer is installed: ``<path>``, ``<str>`` and ``<int range>`` under Typer 0.28, ``PATH``,
``TEXT`` and ``INTEGER RANGE`` under earlier ones. :func:`name_placeholders` gives each
such option the capitals Click has long used (``PATH``, ``TEXT``, ``INTEGER``, ``FLOAT``),
so ``plan --fit PATH`` reads like ``plan --out PATH`` whatever Typer is installed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["name_placeholders", "placeholder"]

#: Typer's and Click's type names -> the placeholder shown; a range's bounds are in its help.
_WORDS = {
    "str": "TEXT",
    "text": "TEXT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "float": "FLOAT",
    "path": "PATH",
    "filename": "PATH",
    "directory": "DIR",
}


def placeholder(param: Any) -> str:
    """The capitals ``--help`` shows for the value of ``param``, an option declared without
    ``metavar=``: ``PATH`` for a path, ``[a|b]`` for a choice (its values as typed)."""
    choices = getattr(param.type, "choices", None)
    if choices is not None:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    name = str(getattr(param.type, "name", "text")).strip("<>").lower()
    name = name.removesuffix(" range")
    return _WORDS.get(name, name.upper().replace(" ", "_"))


def name_placeholders(command: Any) -> Any:
    """Give every option of ``command`` and its subcommands that has no ``metavar`` the
    placeholder of :func:`placeholder`; returns ``command``. Flags show no value and keep
    none."""
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "option" or param.metavar is not None:
            continue
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        param.metavar = placeholder(param)
    for sub in getattr(command, "commands", {}).values():
        name_placeholders(sub)
    return command
