"""``--where`` on a column written with ``%`` (``data_frac`` of ``10%``, ``45%``), alike in
every command that takes it (run tables, sweeps, curve files).

A run table reads such a column as fractions (``45%`` is 0.45:
:mod:`scalinglab.data._percent`), so a value given with ``%`` is compared as the fraction it
is (``45%`` and ``45.0%`` alike keep the runs read from ``45%``), whether the column was
read as numbers (a run table's) or the rows are kept before they are read (a sweep's, a
curve file's). A bare number is refused, saying how to write it: ``0.45`` (the fraction)
and ``45`` (the percent value) would each be a guess.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._format import join_first
from scalinglab.data._percent import percent_value

__all__ = ["bare_percent", "percent_shown", "percent_where"]


def percent_shown(fractions: NDArray[np.float64]) -> list[str]:
    """The fractions of a ``%`` column as its values are written (0.45 as ``45%``)."""
    return [f"{v * 100:g}%" for v in fractions if np.isfinite(v)]


def bare_percent(
    column: str, value: str, fractions: Collection[float], *, source: str
) -> ConfigError:
    """The error for ``--where column=value`` with ``value`` not written with ``%`` on a
    column that is: its hint writes the value so (a fraction the column holds as its
    percentage: ``0.45`` -> ``45%``; else the number with ``%``; text: the first value)."""
    try:
        number = float(value)
    except ValueError:
        number = None
    held = {float(f) for f in fractions if np.isfinite(f)}
    shown = percent_shown(np.array(sorted(held)))
    # the fraction a run holds, as it is written; else the number read as a percent value
    said = shown[0] if number is None else f"{number * (100 if number in held else 1):g}%"
    return ConfigError(
        f"{column!r} of {source} is written with % ({join_first(shown, 4)}): --where (where() "
        f"in Python) compares a value written so, as the fraction it is read as, not {value!r}",
        hint=f"write it with %: --where {column}={said} (where({column!r}, {said!r}) in "
        f"Python); its values are {join_first(shown, 12)}",
    )


def percent_where(
    fractions: NDArray[np.float64], column: str, value: str, *, source: str
) -> NDArray[np.bool_]:
    """The rows of a ``%`` column (``fractions``, as read) that ``--where column=value``
    keeps: ``value`` as a fraction (``45%``: 0.45).

    Raises:
        ConfigError: For a value not written with ``%`` (:func:`bare_percent`).
    """
    fraction = percent_value(value)
    if fraction is None:
        raise bare_percent(column, value, fractions.tolist(), source=source)
    return np.asarray(fractions == fraction, dtype=np.bool_)
