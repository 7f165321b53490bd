"""Refuse a one-value option given twice: click keeps the last value without a word, so
``--holdout 'flops>=1e21' --holdout largest:3`` would run with ``largest:3`` alone while the
user reads both rules on their command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scalinglab._errors import ConfigError

__all__ = ["check_repeats", "leaf_command"]


def leaf_command(command: Any, args: Sequence[str]) -> tuple[Any, list[str]]:
    """The (sub)command ``args`` name, and the arguments left for it."""
    rest = list(args)
    while rest and isinstance(getattr(command, "commands", None), dict):
        sub = command.commands.get(rest[0])
        if sub is None:
            break  # an option of the group, or an unknown command: click says so
        command, rest = sub, rest[1:]
    return command, rest


def _one_value_options(command: Any) -> dict[str, Any]:
    """Option spelling -> its parameter, for options that hold one value (not flags, not
    counts, not repeatable)."""
    out: dict[str, Any] = {}
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "option":
            continue
        if param.multiple or getattr(param, "count", False) or getattr(param, "is_flag", False):
            continue
        for spelling in (*param.opts, *param.secondary_opts):
            out[spelling] = param
    return out


def check_repeats(command: Any, args: Sequence[str]) -> None:
    """Raise when ``args`` give an option that takes one value more than once.

    Raises:
        ConfigError: Naming the option and the values given, with what to do instead.
    """
    leaf, rest = leaf_command(command, args)
    options = _one_value_options(leaf)
    if not options:
        return
    given: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--":
            break
        name, eq, value = token.partition("=")
        param = options.get(name)
        if param is not None:
            if not eq and i + 1 < len(rest):
                value, i = rest[i + 1], i + 1  # the value is the next word
            given.setdefault(id(param), []).append(value)
            names[id(param)] = param.opts[0]
        i += 1
    for key, values in given.items():
        if len(values) > 1:
            option = names[key]
            shown = ", ".join(repr(v) for v in values)
            rule = " (a rule joins clauses with &: 'flops>=1e21 & params>1e9')"
            raise ConfigError(
                f"{option} given {len(values)} times ({shown}); it takes one value, and only the "
                "last would count",
                hint=f"give {option} once" + (rule if option in ("--holdout", "--fit-on") else ""),
            )
