"""Command-line values the library does not read itself: ``NAME=COLUMN`` pairs (from
:mod:`._column_options`), quantities with units, output paths, and JSON for ``--json``.

Everything here raises :class:`scalinglab.ConfigError` (exit code 2) naming the option.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from scalinglab._errors import ConfigError, check_level
from scalinglab._pairs import comma_items, drop_repeats
from scalinglab.cli._column_options import (
    check_map,
    law_inputs,
    loss_column,
    map_pairs,
    parse_pairs,
    parse_y,
    where_pairs,
    with_y,
)
from scalinglab.cli._output_paths import PLOT_FORMATS, check_output, figure_path, plot_path
from scalinglab.cli._outputs import Inputs, dumps, emit_json, write, wrote
from scalinglab.data._unit_words import STEP_TOKENS_HINT

# NumPy, pandas (scalinglab.data) and matplotlib (scalinglab.report) are imported where they
# are used, not here: every command imports this module, and `scalinglab --version` must not
# wait for them (tests/test_cli_startup.py checks)

__all__ = [
    "PLOT_FORMATS",
    "Inputs",
    "budgets",
    "check_map",
    "check_output",
    "distinct",
    "dumps",
    "emit_json",
    "figure_path",
    "law_inputs",
    "levels",
    "loss_column",
    "map_pairs",
    "no_empty_items",
    "one_word",
    "option_quantity",
    "parse_pairs",
    "parse_y",
    "percent_level",
    "percent_written",
    "plot_path",
    "quantities",
    "quantity",
    "where_pairs",
    "with_y",
    "write",
    "wrote",
]

_T = TypeVar("_T", bound=Hashable)

_UNIT_HINT = "write a number such as 1e24, 5.76e23, 70M or 1.4T"
#: Options whose numbers are FLOPs: a trailing unit is read (``--compute "1e24 FLOPs"``).
_FLOPS_OPTIONS = ("--compute", "--flops", "--budget", "--budgets", "--at")
#: A compute's own examples, not a model size's (70M is no budget)
_FLOPS_HINT = "write a number such as 1e24 or 3.5e23, a unit FLOPs after it or not (1e24 FLOPs)"
#: Options whose numbers are losses: no FLOPs or model sizes in their hint.
_LOSS_OPTIONS = ("--target-loss", "--loss")
_LOSS_HINT = "write a loss as a plain number, e.g. 2.1 (in the units of the fitted loss)"
#: Options whose numbers are no compute, size nor loss: their own examples.
_HINTS = {"--tokens-per-step": STEP_TOKENS_HINT}  # tokens_per_step='a''s too
#: A number as the command line reads one before its unit: ``7``, ``1.4``, ``5.76e23``.
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?"
#: A unit spelled out, and the suffix that says it: ``7 billion``, ``7bn`` is ``7B``.
_UNIT_WORDS = {
    "thousand": "K", "million": "M", "mn": "M", "billion": "B", "bn": "B", "trillion": "T",
    "tn": "T",
}  # fmt: skip
_SPELLED = re.compile(rf"\s*({_NUMBER})\s*({'|'.join(_UNIT_WORDS)})\s*", re.IGNORECASE)
#: One number written with thousands separators, which the commas between values split.
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def budgets(values: Sequence[str] | None, *, option: str = "--compute") -> tuple[float, ...]:
    """``--compute`` values (repeated or comma-separated, units allowed), each once
    (:func:`distinct`); none when none is given
    (:func:`scalinglab.plan._budgets.budgets_for` takes the default). ``option``: the
    spelling typed, which the messages name (``--flops``, the hidden alias)."""
    return distinct(quantities(values, option=option), option=option)


def distinct(
    values: Sequence[_T], *, option: str, shown: Callable[[_T], str] | None = None
) -> tuple[_T, ...]:
    """``values`` in the order given with each repeat dropped, saying so in one warning
    line on stderr: every command that takes a list of budgets or targets (``fit``,
    ``plan``, ``report``, ``isoflop``, ``downstream plan``) uses a value given twice once.
    ``shown`` writes a value in the line (default: a number as ``1e21``)."""
    kept, repeated = drop_repeats(values, who=option, shown=shown)
    if repeated:
        from scalinglab.cli._render import print_warnings, stderr_console

        print_warnings(stderr_console(), [repeated])
    return tuple(kept)


def quantities(
    values: Sequence[str] | None, *, option: str, positive: bool = True
) -> tuple[float, ...]:
    """The numbers of a repeatable option, each value maybe comma-separated (units allowed),
    positive unless ``positive`` is False.

    Raises:
        ConfigError: For an empty item (``1B,,2B``: a value left out?), or what
            :func:`quantity` refuses.
    """
    no_empty_items(values, option=option)
    out: list[float] = []
    for text in values or ():
        parts = comma_items([text])
        try:
            out += [quantity(option, p, positive=positive) for p in parts]
        except ConfigError:
            if not _THOUSANDS.fullmatch(text.strip()):
                raise
            raise ConfigError(
                f"{option} {text!r} reads as {len(parts)} values ("
                + ", ".join(map(repr, parts))
                + "): commas separate values, not thousands",
                hint=f"write the number without separators: {option} {text.replace(',', '')}",
            ) from None
    return tuple(out)


def levels(values: Sequence[str] | None, *, option: str = "--level") -> tuple[float, ...]:
    """The coverages of a repeatable ``--level``, each value maybe comma-separated
    (``0.5,0.95``, as ``--compute`` takes ``1e21,1e22``), each checked by
    :func:`~scalinglab._errors.check_level` (``--level must be between 0 and 1, ...``).

    Raises:
        ConfigError: For an empty item, a value that is not a number, or not a coverage.
    """
    no_empty_items(values, option=option)
    hint = f"a fraction, e.g. {option} 0.9 for a 90% interval; several: {option} 0.5,0.9"
    out: list[float] = []
    for item in comma_items(values or ()):
        if (percent := percent_level(item, option=option)) is not None:
            raise percent
        try:
            value = float(item)
        except ValueError:
            raise ConfigError(f"{option} {item!r} is not a number", hint=hint) from None
        out.append(check_level(value, option=option))
    return tuple(out)


def percent_level(text: str, *, option: str = "--level") -> ConfigError | None:
    """The error for a coverage written as a percentage (``--level 90%``), which every
    ``--level`` refuses with the fraction meant, as it refuses ``--level 90``: a coverage is
    a fraction everywhere (``level=0.9`` in Python, ``"level": 0.9`` in JSON); ``None`` for
    any other text (a number, or what the option's own reading refuses)."""
    value = percent_written(text)
    if value is None:
        return None
    return ConfigError(
        f"{option} {text!r}: a coverage is a fraction, not a percentage",
        hint=f"{option} {value / 100:g} for a {value:g}% interval",
    )


def percent_written(text: str) -> float | None:
    """The number of ``text`` written as a percentage (``"90%"``: ``90.0``), ``None`` for
    any other text: what every number option's percent check reads."""
    number = text.strip()
    if not number.endswith("%"):
        return None
    try:
        return float(number[:-1])
    except ValueError:
        return None


def no_empty_items(values: Sequence[str] | None, *, option: str) -> None:
    """Refuse a value of a comma list with an empty item (``1B,,2B``: a value left out?)."""
    for text in values or ():
        if any(not item.strip() for item in text.split(",")):
            raise ConfigError(
                f"{option} {text!r} has an empty item",
                hint="separate the values with single commas: "
                f"{option} {','.join(comma_items([text])) or 'VALUE'}",
            )


def quantity(option: str, text: str, *, positive: bool = True, hint: str | None = None) -> float:
    """A number from the command line, units allowed (``1e24``, ``5.76e23``, ``70M``), a
    size's or a budget's ending in its word or not (``--tokens "1.4T tokens"``, as a table's
    cell reads it: :func:`option_quantity`); ``hint``: the example an error gives (default:
    a size's or a loss's).

    Raises:
        ConfigError: If it is not a finite number (or not positive when ``positive``), or
            names another quantity (``--tokens "10B params"``).
    """
    from scalinglab.data._time_budgets import time_budget
    from scalinglab.data._units import read_worded

    compute = option in _FLOPS_OPTIONS
    counts = option_quantity(option)
    hint = (
        hint
        or _HINTS.get(option)
        or (_LOSS_HINT if option in _LOSS_OPTIONS else _FLOPS_HINT if compute else _UNIT_HINT)
    )
    # the one reading of a size's text, tokens_per_step='0.5M tokens/step' too: --tokens
    # "10B params" refused, 0.5M tokens/step read
    value = read_worded(
        text, counts, given=f"{option} {text!r}", per_step=option == "--tokens-per-step"
    )
    if value is None:
        if spelled := _SPELLED.fullmatch(text):  # 7bn, 7 billion: the one-letter unit
            number, unit = spelled.groups()
            hint = f"write the unit as one letter, K, M, B (or G), T or P: {option} " + (
                f"{number}{_UNIT_WORDS[unit.lower()]}"
            )
        if compute and (timed := time_budget(text, option)):  # 1000 GPU-hours: convert
            raise ConfigError(timed[0], hint=timed[1])
        raise ConfigError(f"{option} {text!r} is not a number", hint=hint)
    _unit_slip(option, text, value)
    if not math.isfinite(value) or (positive and value <= 0):
        raise ConfigError(f"{option} must be a positive, finite number, got {text!r}", hint=hint)
    if option == "--tokens-per-step":  # 0.5 for 0.5M: a fraction of a token per step
        from scalinglab.data._quantity_args import under_one_token

        return under_one_token(f"{option} {text.strip()}", value)
    return value


def option_quantity(option: str) -> str | None:
    """The quantity ``option``'s value counts, whose unit word it may end in: ``--params``,
    ``--tokens`` and ``--tokens-per-step`` (tokens), and ``flops`` of a budget's
    (``--compute``, ``--at``); ``None`` for any other option (a loss)."""
    from scalinglab.data._unit_words import quantity_named

    return "flops" if option in _FLOPS_OPTIONS else quantity_named(option)


#: Sizes a bare number below :data:`_BARE_LEAST` is a unit left off: the units meant.
_SIZE_UNITS = {"--params": ("B", "M", "parameters"), "--tokens": ("T", "B", "tokens")}
#: Below it a size written bare (``--params 7``) is refused: a model of under 10K parameters,
#: or a run of under 10K tokens, is far below any a scaling law is fitted to, while a unit
#: left off (7 for 7B) is an easy slip; ``7e0`` or ``7K`` still says a small one on purpose.
_BARE_LEAST = 1e4


def _unit_slip(option: str, text: str, value: float) -> None:
    """Refuse ``--params 7`` or ``--tokens 2``: a bare number (digits, no exponent, no unit)
    below :data:`_BARE_LEAST` given as a model size or a token count."""
    from scalinglab.data._unit_words import unit_word

    units = _SIZE_UNITS.get(option)
    number = unit_word(text.strip())[0].strip()  # --params "7 params": its unit left off too
    if units is None or not re.fullmatch(r"\+?(\d+\.?\d*|\.\d+)", number):
        return
    if not 0 < value < _BARE_LEAST:
        return
    big, small, what = units
    raise ConfigError(
        f"{option} {number} reads as {number} {what}: a unit left off?",
        hint=f"did you mean {number}{big} (or {number}{small})? a bare {option} under 10K is "
        f"refused as a unit slip; for {number} {what} write {number}e0",
    )


def one_word(option: str, number: str, unit: str) -> str | None:
    """The value ``option`` was meant to have where its number and unit came as two words
    (``--tokens 1.4 T``, ``--params 7 billion``, ``--compute 1e24 FLOPs``, ``--tokens 1.4T
    tokens``): ``1.4T``, ``7B``, ``1e24``, ``1.4T``; ``None`` when ``number`` is no plain
    number or ``unit`` no unit (a second value, which :mod:`._usage_slips` says to join with
    a comma)."""
    from scalinglab.data._unit_words import QUANTITY_WORDS, per_step

    word = per_step(unit).lower()  # --tokens-per-step 0.5M tokens/step
    if QUANTITY_WORDS.get(word, "") == option_quantity(option) and re.fullmatch(
        _NUMBER + "[kmbgtp]?", number, re.IGNORECASE
    ):
        return number  # the option's own quantity, which goes without saying
    if re.fullmatch(_NUMBER, number, re.IGNORECASE) is None:
        return None
    if len(word) == 1 and word in "kmbgtp":
        return f"{number}{word.upper()}"
    if word in _UNIT_WORDS:
        return f"{number}{_UNIT_WORDS[word]}"
    return None
