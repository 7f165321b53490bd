"""Command-line values the library does not read itself: ``NAME=COLUMN`` pairs, quantities
with units, output paths, and JSON for ``--json``.

Everything here raises :class:`scalinglab.ConfigError` (exit code 2) naming the option.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from scalinglab._errors import ConfigError, DataError
from scalinglab._pairs import comma_items, split_pair, unique_pairs
from scalinglab.cli._output_paths import PLOT_FORMATS, check_output, figure_path, plot_path
from scalinglab.cli._outputs import Inputs, dumps, emit_json, write

# NumPy, pandas (scalinglab.data) and matplotlib (scalinglab.report) are imported where they
# are used, not here: every command imports this module, and `scalinglab --version` must not
# wait for them (tests/test_cli_startup.py checks)

__all__ = [
    "DEFAULT_BUDGETS",
    "PLOT_FORMATS",
    "Inputs",
    "budgets",
    "check_output",
    "dumps",
    "emit_json",
    "figure_path",
    "law_inputs",
    "loss_column",
    "parse_pairs",
    "parse_y",
    "plot_path",
    "quantities",
    "quantity",
    "where_pairs",
    "write",
]

#: Budgets of the plan table that ``scalinglab fit`` prints, in FLOPs.
DEFAULT_BUDGETS: tuple[float, ...] = (1e21, 1e22, 1e23, 1e24)

_UNIT_HINT = "write a number such as 1e24, 5.76e23, 70M or 1.4T"
#: Options whose numbers are losses: no FLOPs or model sizes in their hint.
_LOSS_OPTIONS = ("--target-loss", "--loss")
_LOSS_HINT = "write a loss as a plain number, e.g. 2.1 (in the units of the fitted loss)"
#: One number written with thousands separators, which the commas between values split.
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


#: What the two sides of each option's ``A=B`` are, in its messages.
_FORMS = {
    "--where": ("COLUMN", "VALUE"),
    "--target-accuracy": ("TASK", "ACC"),
    "--x": ("SYMBOL", "COLUMN"),
}


def parse_pairs(values: Sequence[str] | None, *, option: str, example: str) -> dict[str, str]:
    """``["N=params", "D=n_tokens"]`` -> ``{"N": "params", "D": "n_tokens"}``.

    Raises:
        ConfigError: For a value without ``=``, an empty side, or a name mapped twice.
    """
    # a generator: the first mistake in the user's order is the one reported
    pairs = (_pair(text, option=option, example=example) for text in values or ())
    return unique_pairs(pairs, who=option, give=f"{option} ")


def _pair(text: str, *, option: str, example: str) -> tuple[str, str]:
    found = split_pair(text)
    if found is None:
        shape = "=".join(_FORMS.get(option, ("NAME", "COLUMN")))
        raise ConfigError(
            f"{option} {text!r} is not {shape}", hint=f"write it as {option} {example}"
        )
    return found


def where_pairs(values: Sequence[str] | None) -> list[tuple[str, str]]:
    """``--where COLUMN=VALUE`` (repeatable): each condition, in the order given, for
    :meth:`RunTable.where <scalinglab.RunTable.where>` (each narrows the last).

    Raises:
        ConfigError: For a value that is not ``COLUMN=VALUE``.
    """
    example = "dataset=c4_original"
    return [
        next(iter(parse_pairs([text], option="--where", example=example).items()))
        for text in values or ()
    ]


def parse_y(text: str | None) -> tuple[str, dict[str, str]]:
    """``--y``: the column holding the loss, as ``loss=COLUMN`` or just ``COLUMN``.

    Returns:
        The name the fit reads as its target and the column mapping for :func:`read_runs`.
    """
    if text is None:
        return "loss", {}
    if "=" not in text:
        column = text.strip()
        if not column:
            raise ConfigError("--y is empty", hint="write it as --y loss=COLUMN")
        return "loss", {"loss": column}
    pairs = parse_pairs([text], option="--y", example="loss=val_loss")
    ((name, column),) = pairs.items()
    return name, {name: column}


def loss_column(y: str, *, option: str = "--y") -> str:
    """A loss column's option (``--y``; ``loss2loss``'s ``--x`` too): ``COLUMN`` or
    ``loss=COLUMN``, as ``--y`` is written on every command."""
    if not y.strip():
        raise ConfigError(f"{option} is empty", hint=f"write it as {option} COLUMN")
    text = y if "=" in y else f"loss={y}"
    ((name, column),) = parse_pairs([text], option=option, example="loss=val_loss").items()
    if name != "loss":
        raise ConfigError(
            f"{option} {y!r} names a loss column, as {option} {column} or {option} loss={column}",
            hint=f"write {option} loss={column}",
        )
    return column


def law_inputs(
    x: Sequence[str] | None, mapping: Sequence[str] | None, y: str | None
) -> tuple[dict[str, str], dict[str, str], str]:
    """``--x``, ``--map`` and ``--y`` of the fitting commands, parsed.

    Returns:
        Law symbol -> column (for the fit), the column mapping for :func:`read_runs`
        (``--map`` with ``--y``'s column), and the name the fit reads as its target.
    """
    # "--x N=params,D=tokens" as Python's x="N=params,D=tokens"; repeated, as before
    symbols = parse_pairs(comma_items(x or ()), option="--x", example="N=params")
    columns = parse_pairs(mapping, option="--map", example="params=n_params")
    target, y_columns = parse_y(y)
    columns.update(y_columns)
    return symbols, columns, target


def budgets(values: Sequence[str] | None) -> tuple[float, ...]:
    """``--compute`` values (repeated or comma-separated, units allowed), or
    :data:`DEFAULT_BUDGETS` when none is given."""
    return quantities(values, option="--compute") or DEFAULT_BUDGETS


def quantities(values: Sequence[str] | None, *, option: str) -> tuple[float, ...]:
    """The numbers of a repeatable option, each value maybe comma-separated (units allowed).

    Raises:
        ConfigError: For an empty item (``1B,,2B``: a value left out?), or what
            :func:`quantity` refuses.
    """
    for text in values or ():
        if any(not item.strip() for item in text.split(",")):
            raise ConfigError(
                f"{option} {text!r} has an empty item",
                hint="separate the values with single commas: "
                f"{option} {','.join(comma_items([text])) or 'VALUE'}",
            )
    out: list[float] = []
    for text in values or ():
        parts = comma_items([text])
        try:
            out += [quantity(option, p) for p in parts]
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


def quantity(option: str, text: str, *, positive: bool = True) -> float:
    """A number from the command line, units allowed (``1e24``, ``5.76e23``, ``70M``).

    Raises:
        ConfigError: If it is not a finite number (or not positive when ``positive``).
    """
    from scalinglab.data import parse_quantity

    hint = _LOSS_HINT if option in _LOSS_OPTIONS else _UNIT_HINT
    try:
        value = parse_quantity(text)
    except DataError:
        raise ConfigError(f"{option} {text!r} is not a number", hint=hint) from None
    if not math.isfinite(value) or (positive and value <= 0):
        raise ConfigError(f"{option} must be a positive, finite number, got {text!r}", hint=hint)
    return value
