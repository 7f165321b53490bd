"""What a fit's ``x=`` and ``y=`` (``--x``, ``--y``) name: the loss column, and the column
each of a law's symbols reads, which for ``N``, ``D`` and ``C`` are the run table's
``params``, ``tokens`` and ``flops``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._pairs import comma_items, split_pair, unique_pairs
from scalinglab.data._column_names import column_key, find_column
from scalinglab.data._raw import RawTable
from scalinglab.data._table import CANONICAL

__all__ = ["symbol_columns", "xy_columns"]


def xy_columns(x: object, y: object) -> tuple[dict[str, str] | None, str]:
    """``x`` and ``y`` as a fit reads them, from what a user writes: ``y="val_loss"`` or
    ``"loss=val_loss"`` (as ``--y``); ``x={"N": "model_size"}``, ``"N=model_size"``,
    ``"N=model_size,D=n_tokens"`` or a list of such pairs (as ``--x``).

    Raises:
        ConfigError: For anything else, with the form to use.
    """
    if not isinstance(y, str) or not y.strip() or y.strip().endswith("="):
        raise ConfigError(
            f"y must name the loss column, got {y!r}", hint="e.g. y='val_loss' (--y val_loss)"
        )
    name, sep, column = (part.strip() for part in y.partition("="))
    if sep and name != "loss":
        raise ConfigError(
            f"y={y!r}: y names the loss column, as y='{column}' or y='loss={column}'",
            hint="other columns a law reads are named with x={'N': 'COLUMN'}",
        )
    y = column if sep else y.strip()
    if x is None or isinstance(x, Mapping):
        return (None if x is None else {str(k): str(v) for k, v in x.items()}), y
    given = [x] if isinstance(x, str) else x
    if isinstance(given, Sequence) and all(isinstance(p, str) for p in given):
        items = comma_items(given)
        pairs = [pair for pair in map(split_pair, items) if pair is not None]
        if items and len(pairs) == len(items):  # every item a pair: only then a name twice
            return unique_pairs(pairs, who="x"), y
    raise ConfigError(
        f"x must map a law's symbols to columns, got {x!r}",
        hint="e.g. x={'N': 'model_size'} or x='N=model_size' (--x N=model_size)",
    )


def symbol_columns(
    raw: RawTable, x: Mapping[str, str], columns: Mapping[str, str]
) -> dict[str, str]:
    """The run coordinates ``x`` names a column for (law symbol -> column): ``N=COL``
    (``D``, ``C``) reads COL as ``params`` (``tokens``, ``flops``), as ``--map params=COL``
    does, so that the table derives flops from it, judges outliers and finds repeats on it.

    The column is found as ``--map`` finds it (:func:`find_column`: ``N=model size`` reads
    ``Model Size``). Left out: a coordinate ``columns`` maps already, a column named like a
    canonical one (the law reads it as it is), and a column the source lacks (the fit names
    it with the columns there are); other symbols (a formula's ``W``) are read by the fit as
    they are.
    """
    from scalinglab.laws._base import DEFAULT_COLUMNS

    out: dict[str, str] = {}
    for symbol, column in x.items():
        coordinate = DEFAULT_COLUMNS.get(symbol)
        found = find_column(raw.names, column)
        if coordinate is None or column_key(column) in CANONICAL or found is None:
            continue
        taken = {column_key(c) for c in (*columns.values(), *out.values())}
        if coordinate not in columns and column_key(found) not in taken:
            out[coordinate] = found
    return out
