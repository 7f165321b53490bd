"""Refuse a one-value option given twice: click keeps the last value without a word, so
``--holdout 'flops>=1e21' --holdout largest:3`` would run with ``largest:3`` alone while the
user reads both rules on their command line. A flag given twice (``--json --json``,
``--rolling --no-rolling``) is one switch set twice, refused alike; options meant to repeat
(``--where``, any declared ``multiple``) and counts may."""

from __future__ import annotations

from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.cli._argwalk import Given, Words, takes_value

__all__ = ["check_repeats"]


def _one_valued(given: Given) -> bool:
    """Whether ``given`` sets an option that takes one value or is one switch: not a
    repeatable option, not a count, and with its value or bare (a value missing at the end,
    ``--holdout a --holdout``, and a value glued to a flag, ``--json=x``, are click's to
    name)."""
    param = given.param
    if param.multiple or getattr(param, "count", False):
        return False
    return given.value is not None if takes_value(param) else not given.joined


def _refusal(param: Any, typed: list[Given]) -> ConfigError:
    """The refusal of ``param`` set by each of ``typed`` (two or more)."""
    option = param.opts[0]
    if takes_value(param):
        shown = ", ".join(repr(g.value) for g in typed)
        rule = " (a rule joins clauses with &: 'flops>=1e21 & params>1e9')"
        return ConfigError(
            f"{option} given {len(typed)} times ({shown}); it takes one value, and only the "
            "last would count",
            hint=f"give {option} once" + (rule if option in ("--holdout", "--fit-on") else ""),
        )
    spellings = [g.option for g in typed]
    if len(set(spellings)) == 1:
        return ConfigError(
            f"{option} given {len(typed)} times ({', '.join(spellings)}); it is a flag: once "
            "turns it on",
            hint=f"give {option} once",
        )
    both = "/".join([*param.opts, *param.secondary_opts])  # --rolling/--no-rolling
    return ConfigError(
        f"{both} given {len(typed)} times ({', '.join(spellings)}); it is one switch, and "
        "only the last would count",
        hint=f"give {' or '.join([*param.opts, *param.secondary_opts])} once",
    )


def check_repeats(words: Words) -> None:
    """Raise when ``words`` give an option that takes one value, or a flag, more than once.

    A group's option and its subcommand's of the same spelling are one option (``runs
    --store A rm --store B``: ``rm`` reads the group's ``--store`` where it has none).

    Raises:
        ConfigError: Naming the option and the values (or spellings) given, with what to do
            instead.
    """
    given: dict[str, list[Given]] = {}
    params: dict[str, Any] = {}
    for each in words.options():
        if _one_valued(each):
            key = each.param.opts[0]
            given.setdefault(key, []).append(each)
            params.setdefault(key, each.param)
    for key, typed in given.items():
        if len(typed) > 1:
            raise _refusal(params[key], typed)
