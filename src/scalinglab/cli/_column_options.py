"""The options that name a table's columns, as ``NAME=COLUMN`` pairs: ``--x``, ``--y``,
``--map`` and ``--where``, parsed; and the names ``--map`` reads a run table's columns as,
checked so that no column the command reads is lost (``--map bogus=params`` would otherwise
rename ``params`` away and the fit blame the column that is there)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._pairs import comma_items, split_pair, unique_pairs
from scalinglab.data._column_map import MAP_NAMES, check_map

__all__ = [
    "MAP_NAMES",
    "check_map",
    "law_inputs",
    "loss_column",
    "map_pairs",
    "parse_pairs",
    "parse_y",
    "where_pairs",
    "with_y",
]


def map_pairs(
    values: Sequence[str] | None,
    *,
    example: str,
    also: Sequence[str] = (),
    beside: Mapping[str, str] | None = None,
    y: str | None = None,
) -> dict[str, str]:
    """``--map NAME=COLUMN`` (repeatable) parsed, its names checked by :func:`check_map`
    (``beside``: what another option maps, ``--y``'s loss column, given as ``y``: a name
    mapped to another column there is refused, as :func:`with_y` refuses it; ``--y loss``,
    the default, maps nothing)."""
    columns = parse_pairs(values, option="--map", example=example)
    check_map(columns, example=example, also=also, beside=beside)
    moved = {name: column for name, column in (beside or {}).items() if column != name}
    with_y(columns, moved, y=y)
    return columns


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
    """``--where COLUMN=VALUE`` or ``--where COLUMN>=NUMBER`` (repeatable): each condition,
    in the order given, for :meth:`RunTable.where <scalinglab.RunTable.where>` (each narrows
    the last); a comparison as the pair it is recorded as (``("params>=", "2e7")``:
    :func:`~scalinglab.data._compare.where_clause`).

    Raises:
        ConfigError: For a value that is neither, or a comparison with no number.
    """
    from scalinglab.data._compare import where_clause  # NumPy: not for --help

    pairs = []
    for text in values or ():
        clause = where_clause(text)
        if clause is None and split_pair(text) is None:
            raise ConfigError(
                f"--where {text!r} is not COLUMN=VALUE (a text column's value) nor "
                "COLUMN OP NUMBER (OP one of >= > <= < == !=)",
                hint="write it as --where dataset=c4_original or --where 'params>=2e7'",
            )
        pairs.append(
            clause or next(iter(parse_pairs([text], option="--where", example="").items()))
        )
    return pairs


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
    x: Sequence[str] | None, mapping: Sequence[str] | None, y: str | None, *, curves: bool = False
) -> tuple[dict[str, str], dict[str, str], str]:
    """``--x``, ``--map`` and ``--y`` of the fitting commands, parsed; ``--map``'s names
    checked (:func:`check_map`) unless it maps the columns of loss ``curves``.

    Returns:
        Law symbol -> column (for the fit), the column mapping for :func:`read_runs`
        (``--map`` with ``--y``'s column), and the name the fit reads as its target.
    """
    # "--x N=params,D=tokens" as Python's x="N=params,D=tokens"; repeated, as before
    symbols = parse_pairs(comma_items(x or ()), option="--x", example="N=params")
    columns = parse_pairs(mapping, option="--map", example="params=n_params")
    target, y_columns = parse_y(y)
    if not curves:  # a curve file's --map names curve columns, which its reader checks
        # --y eval_loss reads loss from eval_loss: --map train_loss=loss loses no column
        check_map(columns, example="params=n_params", beside=y_columns)
    return symbols, with_y(columns, y_columns, y=y), target


def with_y(
    columns: Mapping[str, str], y_columns: Mapping[str, str], *, y: str | None
) -> dict[str, str]:
    """``--map``'s ``columns`` with ``--y``'s (:func:`parse_y`), refusing a name the two
    map to different columns (``--map loss=train/loss --y eval/loss``): one would be read
    and the other dropped without a word, as giving ``--y`` twice is refused. The same
    column given both ways is one.

    Raises:
        ConfigError: Naming both options and the columns they give.
    """
    for name, column in y_columns.items():
        mapped = columns.get(name)
        if mapped is not None and mapped != column:
            raise ConfigError(
                f"--map {name}={mapped} and --y {y} name two columns for {name} "
                f"({mapped!r}, {column!r}); only one can be read",
                hint=f"give one of them: --y {y}, or --map {name}={mapped}",
            )
    return {**columns, **y_columns}
