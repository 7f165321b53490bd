"""One rule per kind of number an option takes, checked on every command before click reads
the option (click says only "'5%' is not a valid float" and points at ``--help``):

- a percentage on a number option: ``--level 90%`` and ``--max-backtest-error 3%`` are
  fractions (a coverage, accuracy points), refused with the fraction meant; ``--tolerance
  5%`` is in decades of FLOPs, refused with the decades a ±5% budget is; any other number
  option says a percent sign is not read;
- a unit on a count (``--bootstrap 1k``): every whole-number option (``--bootstrap``,
  ``--seed``, ``--parallel``, ``--max-iter``, ...) is a plain integer, as click reads it,
  so it is refused with the integer meant (``--bootstrap 1000``); sizes and budgets
  (``--params``, ``--compute``, ``--tokens-per-step``) are the options that read units;
- a negative ``--seed``, named by its flag (the library names ``seed=``).
"""

from __future__ import annotations

import math
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.cli._argwalk import Words

__all__ = ["check_number_slips"]

#: Options whose value is a fraction: what one is, for the message.
_FRACTIONS = {"--level": "a coverage", "--max-backtest-error": "an accuracy error"}


def _kind(param: Any) -> str | None:
    """``"float"`` or ``"int"`` for a number option's parameter, else ``None``."""
    kind = getattr(param.type, "name", "")
    if "--level" in param.opts:  # backtest's is a list of levels, read as text
        return "float"
    if kind in ("float", "float range"):
        return "float"
    if kind in ("integer", "integer range", "int", "int range"):
        return "int"
    return None


def _percent(option: str, text: str) -> ConfigError | None:
    """The error for ``text``, a number option's value, written as a percentage."""
    from scalinglab.cli._options import percent_level, percent_written

    value = percent_written(text)
    if value is None:
        return None
    if option == "--level":  # as backtest's list of levels says it
        return percent_level(text, option=option)
    if option in _FRACTIONS:
        return ConfigError(
            f"{option} {text!r}: {_FRACTIONS[option]} is a fraction, not a percentage",
            hint=f"{option} {value / 100:g} for {value:g}%",
        )
    if option == "--tolerance" and value > -100:
        decades = math.log10(1 + value / 100)
        return ConfigError(
            f"{option} {text!r}: the half-width of a budget is in decades of FLOPs, "
            "not a percentage",
            hint=f"{option} {format_g(decades)} for a budget ±{value:g}% (log10 of "
            f"{format_g(1 + value / 100)}); the default 0.05 is ×1.12",
        )
    return ConfigError(
        f"{option} {text!r}: {option} takes a plain number, not a percentage",
        hint=f"{option} {value / 100:g} if {value:g}% is meant (see --help for its unit)",
    )


def _count(option: str, text: str) -> ConfigError | None:
    """The error for ``text``, a whole-number option's value, written with a unit (``1k``)
    or thousands separators (``1,000``), or a negative ``--seed``."""
    stripped = text.strip()
    try:
        whole = int(stripped)
    except ValueError:
        # only here: the cell reader loads NumPy, which a plain count must not cost
        from scalinglab.data._units import parse_cell

        parsed = parse_cell(stripped)
        if parsed is None or not parsed[1] or not math.isfinite(parsed[0]):
            return None  # not a number at all: click's message names the option
        if parsed[0] != int(parsed[0]):
            return None
        return ConfigError(
            f"{option} {text!r}: a count is a plain whole number, without a unit or separators "
            "(those are for sizes and budgets)",
            hint=f"{option} {int(parsed[0])}",
        )
    if option == "--seed" and whole < 0:
        return ConfigError(
            f"--seed must be a whole number at least 0, got {whole}",
            hint="e.g. --seed 0 (any seed from 0 up draws the resamples reproducibly)",
        )
    return None


def check_number_slips(words: Words) -> None:
    """Raise for a number option's value written as a percentage, a count written with a
    unit, or a negative ``--seed``, on every command (module docstring).

    Raises:
        ConfigError: Naming the option, the value given and the value meant.
    """
    for given in words.options():
        kind = _kind(given.param)
        if kind is None or given.value is None:
            continue
        name, text = given.option, given.value
        for item in text.split(",") if name == "--level" else [text]:
            error = _percent(name, item) or (_count(name, item) if kind == "int" else None)
            if error is not None:
                raise error
