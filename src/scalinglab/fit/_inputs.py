"""What a prediction is asked at: every keyword used, values positive, shapes that broadcast.

A misspelt option (``levle=0.5``) or a column the law does not read (``model_size=3``) would
otherwise be swallowed by ``**columns`` and the prediction made with the defaults, so every
keyword given must be one the law read, or one of a run's coordinates (``params``,
``tokens``, ``flops``), which describe the point whichever of them the law reads.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._units import as_quantities
from scalinglab.laws import Law

__all__ = ["check_predict_inputs", "predict_variables"]

_OPTIONS = ("level", "noise", "extrapolation")
_COORDINATES = ("params", "tokens", "flops")


def predict_variables(
    law: Law, columns: Mapping[str, str], given: Mapping[str, Any], *, law_name: str
) -> dict[str, Any]:
    """Each of the law's symbols' values from ``given`` (by column or symbol name; tokens
    from ``flops`` and ``params`` as ``D = C/(6·N)``), checked by :func:`check_predict_inputs`.

    Raises:
        ConfigError: A variable missing, or what :func:`check_predict_inputs` refuses.
    """
    out: dict[str, Any] = {}
    used: set[str] = set()
    for symbol, column in columns.items():
        for key in (column, symbol):
            if key in given:
                out[symbol] = as_quantities(given[key], key)
                used.add(key)
                break
        else:
            if column == "tokens" and "flops" in given and symbol in law.variables:
                n = given.get("params", given.get("N"))
                if n is not None:  # D = C / (6 N)
                    c = as_quantities(given["flops"], "flops")
                    out[symbol] = c / (6 * as_quantities(n, "params"))
                    used.add("flops")
                    continue
            raise ConfigError(
                f"predict needs {column}= (the law's {symbol}); got {sorted(given) or 'nothing'}"
            )
    check_predict_inputs(given, used, out, law_name=law_name, columns=columns)
    return out


def check_predict_inputs(
    given: Mapping[str, Any],
    used: set[str],
    values: Mapping[str, Any],
    *,
    law_name: str,
    columns: Mapping[str, str],
) -> None:
    """Refuse keywords the law did not read, values that are not positive and finite, and
    arrays that do not broadcast or are empty.

    Args:
        given: The keywords :meth:`FitResult.predict` received besides its options.
        used: Those that gave a variable.
        values: Each symbol's values as read.
        law_name: The law, for the messages.
        columns: Symbol -> column of the fit (the names a caller may use).

    Raises:
        ConfigError: An unknown keyword (with the nearest name), shapes that do not
            broadcast, or no values.
        DataError: A value that is not positive and finite.
    """
    # a run's coordinates the law does not read describe the same point: a law of FLOPs is
    # asked at params=, tokens=, flops= as a ladder's rung gives them; anything else is a slip
    unknown = sorted(set(given) - used - set(_COORDINATES))
    if unknown:
        name = unknown[0]
        names = [*_OPTIONS, *columns.values(), *columns]
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        variables = ", ".join(f"{c}= ({s})" for s, c in columns.items())
        raise ConfigError(
            f"predict got {name}=, which is neither an option ({', '.join(_OPTIONS)}) nor a "
            f"variable of law {law_name!r}: {variables}",
            hint=f"did you mean {near[0]}=?"
            if near
            else "other columns are read at fit time: fit(..., x={'N': 'model_size'})",
        )
    shapes = {s: np.shape(v) for s, v in values.items()}
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{columns.get(s, s)} {shape}" for s, shape in shapes.items())
        raise ConfigError(
            f"predict got arrays of shapes that do not broadcast: {listed}",
            hint="give one value, or arrays of the same length, per variable",
        ) from None
    for symbol, v in values.items():
        if np.size(v) == 0:
            raise ConfigError(f"predict got no values for {columns.get(symbol, symbol)}")
        if np.any(~np.isfinite(v)) or np.any(v <= 0):
            raise DataError(f"{symbol} must be positive and finite to predict, got {v}")
