"""The call a ``predict`` of a loss law takes, for the hint where its points were given by
position (``result.predict(df)``): the law's columns by name, read off the table given
where it holds them (``result.predict(params=df['params'], tokens=df['tokens'])``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["points_call", "predict_call"]

#: How the hint names a table given by position, by its type's name (else ``data``).
_NAMED = {"DataFrame": "df", "RunTable": "runs"}


def points_call(method: str) -> Callable[..., str]:
    """The hint of ``method`` (``"distance"``) that takes points as ``predict`` does."""
    return functools.partial(predict_call, method=method)


def predict_call(source: Any, *given: object, method: str = "predict", **kwargs: object) -> str:
    """The hint for ``source.predict(*given)``: the points go by column name.

    Args:
        source: A :class:`~scalinglab.fit.FitResult` (its ``columns``) or a
            :class:`~scalinglab.laws.Preset` (its law's ``variables``).
        *given: What came by position.
        method: The method called, ``predict`` or one that takes points alike.
        **kwargs: What came by keyword, written as given (``level=0.8``).
    """
    columns = getattr(source, "columns", None) or source.law.variables
    names = list(dict.fromkeys(columns.values()))
    receiver = "preset" if type(source).__name__ == "Preset" else "result"
    table = given[0] if len(given) == 1 else None
    held = table is not None and _holds(table, names)
    name = _NAMED.get(type(table).__name__, "data")
    points = [f"{c}={name}[{c!r}]" if held else f"{c}=..." for c in names]
    kept = [f"{k}={v!r}" for k, v in kwargs.items()]
    how = f"a {type(table).__name__}'s columns" if held else "the points"
    return f"pass {how} by name: {receiver}.{method}({', '.join([*points, *kept])})"


def _holds(table: object, names: list[str]) -> bool:
    """Whether ``table`` (a DataFrame, a RunTable, a mapping) has every column ``names``."""
    if isinstance(table, Mapping):
        return all(n in table for n in names)
    has = getattr(table, "has", None)  # a RunTable
    if callable(has):
        return all(has(n) for n in names)
    held = getattr(table, "columns", None)  # a DataFrame's column index
    try:
        return held is not None and all(n in held for n in names)
    except TypeError:
        return False
