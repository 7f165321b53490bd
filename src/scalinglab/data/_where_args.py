"""What ``where=`` takes, and the conditions of ``where(column, value, **named)``: the
arguments of every ``where``, read apart from the rows they select (:mod:`._where_rows`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._warn import warn_at_caller
from scalinglab.data._compare import compared, where_clause

__all__ = ["Where", "as_where", "where_conditions"]

#: What ``where=`` takes: ``{"dataset": "c4"}``, ``[("dataset", "c4"), ...]``, one pair
#: ``("dataset", "c4")``, or the command line's ``"dataset=c4"`` (or a list of them); a
#: comparison on a number column as ``"params>=2e7"``, recorded as ``{"params>=": "2e7"}``.
Where = Mapping[str, str] | Sequence[tuple[str, str]] | Sequence[str] | tuple[str, str] | str

_EXAMPLE = (
    "where={'dataset': 'c4_original'}, where=('dataset', 'c4_original'), "
    "where='dataset=c4_original' or where=['params>=2e7', 'dataset=c4_original']"
)


def _pair(item: object) -> tuple[str, str] | None:
    """``item`` as one ``(column, value)``: a pair of strings, or ``"column=value"``."""
    if isinstance(item, str):
        clause = where_clause(item)  # params>=2e7: before its = is read as COLUMN=VALUE
        if clause is not None:
            return clause
        column, eq, value = item.partition("=")
        return (column.strip(), value.strip()) if eq and column.strip() else None
    if isinstance(item, tuple | list) and len(item) == 2 and all(isinstance(p, str) for p in item):
        said = compared(str(item[0]), str(item[1]))  # a recorded {"params>=": "2e7"}
        if said is not None:
            said.value()  # its number checked
        return str(item[0]), str(item[1])
    return None


def as_where(where: Where | None) -> tuple[tuple[str, str], ...]:
    """``where`` as ``(column, value)`` pairs, in order (each narrows the last): a mapping,
    a sequence of pairs or of ``"column=value"`` strings, one pair (a 2-tuple of strings
    whose first has no ``=``), or one ``"column=value"`` string, as ``--where`` takes it.

    Raises:
        ConfigError: For an item that is neither a pair of strings nor ``"column=value"``.
    """
    if where is None:
        return ()
    if isinstance(where, Mapping):
        items: list[object] = list(where.items())
    elif isinstance(where, str):
        items = [where]
    elif isinstance(where, tuple) and len(where) == 2 and all(isinstance(p, str) for p in where):
        # ("dataset", "c4") is one pair; ("dataset=c4", "arch=x") two conditions
        items = list(where) if "=" in where[0] and compared(*where) is None else [where]
    elif isinstance(where, Sequence):
        items = list(where)
    else:  # where=5: not a condition, nor conditions to iterate
        raise ConfigError(
            f"where must be conditions on text columns, got {type(where).__name__} {where!r}",
            hint=f"e.g. {_EXAMPLE}",
        )
    pairs = []
    for item in items:
        pair = _pair(item)
        if pair is None:
            raise ConfigError(
                f"where holds {item!r}: each condition is a (column, value) pair of strings, "
                "'column=value' or 'column>=number' (>= > <= < == !=)",
                hint=f"e.g. {_EXAMPLE}",
            )
        pairs.append(pair)
    return tuple(pairs)


def where_conditions(
    column: object,
    value: object,
    named: Mapping[str, object],
    *,
    text_columns: Collection[str] = (),
) -> list[tuple[str, str]]:
    """The conditions of ``where(column, value, **named)``: the pair given in order, then
    each keyword (``where(dataset="c4")``), each narrowing the last; else what to write.

    The keyword form of the pair, ``where(column="dataset", value="c4")``, is read as the
    pair it was before ``column`` and ``value`` became positional only (with a
    ``DeprecationWarning``, for one release) when neither is one of ``text_columns``.

    Raises:
        ConfigError: A column or value that is not one string, or a column without a value.
    """
    if (
        column is None
        and value is None
        and {"column", "value"} <= set(named)
        and not {"column", "value"} & set(text_columns)
    ):
        warn_at_caller(
            "where(column=..., value=...) is deprecated: give the column and its value by "
            "position, where('dataset', 'c4'), or as a keyword, where(dataset='c4')",
            DeprecationWarning,
        )
        named = dict(named)
        column, value = named.pop("column"), named.pop("value")
    given = [] if column is None and value is None else [(column, value)]
    if isinstance(column, str) and value is None and (clause := where_clause(column)):
        given = [clause]  # where("params>=2e7"): the clause as --where takes it
    pairs = []
    for col, val in [*given, *named.items()]:
        if isinstance(col, str) and isinstance(val, list | tuple | set):
            raise ConfigError(
                f"where({col!r}, {val!r}) takes one value: several where() narrow each "
                "other, as a repeated --where does",
                hint=f"runs of any of them: runs.select(np.isin(runs.labels[{col!r}], "
                f"{list(val)!r}))",
            )
        if not isinstance(col, str) or not isinstance(val, str):
            raise ConfigError(
                f"where() takes a text column and one value, got {col!r}, {val!r}",
                hint="e.g. runs.where('dataset', 'c4_original') or runs.where(dataset='c4_original')",
            )
        pairs.append((col, val))
    if not pairs:
        raise ConfigError(
            "where() was given no condition",
            hint="e.g. runs.where('dataset', 'c4_original') or runs.where(dataset='c4_original')",
        )
    return pairs
