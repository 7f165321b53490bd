"""Refuse a one-value option given twice: click keeps the last value without a word, so
``--holdout 'flops>=1e21' --holdout largest:3`` would run with ``largest:3`` alone while the
user reads both rules on their command line."""

from __future__ import annotations

from scalinglab._errors import ConfigError
from scalinglab.cli._argwalk import Words, takes_value

__all__ = ["check_repeats"]


def check_repeats(words: Words) -> None:
    """Raise when ``words`` give an option that takes one value (not a flag, not a count,
    not repeatable) more than once.

    Raises:
        ConfigError: Naming the option and the values given, with what to do instead.
    """
    given: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for each in words.options():
        # A value missing at the end (``--holdout a --holdout``) is click's to name.
        if each.value is None:
            continue
        if takes_value(each.param) and not each.param.multiple:
            given.setdefault(id(each.param), []).append(each.value)
            names[id(each.param)] = each.param.opts[0]
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
