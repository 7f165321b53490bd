"""What a prediction is asked at: every keyword used, values positive, shapes that broadcast.

A misspelt option (``levle=0.5``) or a column the law does not read (``model_size=3``) would
otherwise be swallowed by ``**columns`` and the prediction made with the defaults, so every
keyword given must be one the law read, or one of a run's coordinates (``params``,
``tokens``, ``flops``), which describe the point whichever of them the law reads; a symbol
that reads another column (``--x N=nonemb``) is given by the coordinate it stands for too.
A variable given under two of its names (``nonemb=`` and ``params=``) is refused: which
would be meant? ``scalinglab predict`` maps its options by the same rule
(:func:`variable_keys`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError, DataError, check_keywords, keyword_meant
from scalinglab._format import format_g, join_and
from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention
from scalinglab.data._units import as_quantities
from scalinglab.laws import DEFAULT_COLUMNS

__all__ = [
    "OPTIONS",
    "check_predict_inputs",
    "law_variables",
    "names_for",
    "predict_variables",
    "symbol_variables",
    "variable_keys",
]

#: The options of ``predict`` besides the law's variables.
OPTIONS = ("level", "noise", "extrapolation")
_COORDINATES = ("params", "tokens", "flops")


def _coordinate(symbol: str, columns: Mapping[str, str]) -> str | None:
    """The run coordinate ``symbol`` stands for (``N``: ``params``, ``D``: ``tokens``,
    ``C``: ``flops``) when it reads another column (``--x N=nonemb``) and no other variable
    reads that one (nor is named so); else ``None``."""
    coordinate = DEFAULT_COLUMNS.get(symbol)
    return None if coordinate in {None, *columns, *columns.values()} else coordinate


def names_for(symbol: str, columns: Mapping[str, str]) -> tuple[str, ...]:
    """The keywords that give ``symbol``'s values: its column, the symbol, and the run
    coordinate it stands for when it reads another column (``N``, ``nonemb``, ``params``)."""
    coordinate = _coordinate(symbol, columns)
    return (*dict.fromkeys((columns[symbol], symbol)), *([coordinate] if coordinate else []))


def _keyword(name: str) -> str:
    return f"{name}="


def variable_keys(
    columns: Mapping[str, str],
    given: Collection[str],
    *,
    law: str,
    label: Callable[[str], str] = _keyword,
) -> dict[str, str]:
    """The name of ``given`` that gives each of the law's symbols: its column, the symbol, or
    the run coordinate it stands for (:func:`names_for`); symbols none gives are left out
    (tokens may come from ``flops``: :func:`flops_tokens`). ``predict`` and ``scalinglab
    predict`` map their keywords and options to a law's variables by this one rule.

    Args:
        columns: Symbol -> column of the fit.
        given: The names given (``predict``'s keywords; the command's, as keywords).
        law: The law as the messages name it (``law 'chinchilla'``).
        label: How a name was given, for the messages (``nonemb=``; ``--params``).

    Raises:
        ConfigError: A variable given under two of its names.
    """
    out: dict[str, str] = {}
    for symbol in columns:
        named = [k for k in names_for(symbol, columns) if k in given]
        if len(named) > 1:
            a, b = label(named[0]), label(named[1])
            raise ConfigError(
                f"{law} reads {law_variables(columns)}; {symbol} is given twice, via {a} and {b}",
                hint=f"give {symbol} once: {a} or {b}",
            )
        if named:
            out[symbol] = named[0]
    return out


def law_variables(columns: Mapping[str, str]) -> str:
    """``N (params) and D (tokens)``: a law's variables in a message."""
    return join_and([f"{s} ({c})" for s, c in columns.items()])


#: A value of each run coordinate to suggest where one given is not positive.
_EXAMPLES = {"params": "7e9 (or '7B')", "tokens": "1.4e12 (or '1.4T')", "flops": "1e21"}
_FINITE = "pass a finite number (not NaN or inf)"

#: ``compute=`` (as `predict --compute` is read): a run's compute is flops=.
_FLOPS = f"{keyword_meant('flops')} It is a run's training compute in FLOPs, beside params="


def predict_variables(
    columns: Mapping[str, str],
    given: Mapping[str, Any],
    *,
    law_name: str,
    call: str = "FitResult.predict",
    options: Sequence[str] = OPTIONS,
    rule: FlopsConvention = PLAIN_6ND,
    signed: Collection[str] = (),
) -> dict[str, Any]:
    """Each of the law's symbols' values from ``given`` (by :func:`variable_keys`; tokens
    from ``flops`` and ``params`` as ``D = C/(6·N·r(N))``, ``r`` the ratio of ``rule``, the
    fit's FLOPs convention: :mod:`._flops_inputs`), checked by :func:`check_predict_inputs`
    (``call``, taking ``options`` besides the variables, is the method a slip is named for;
    ``signed``: the variables that may be 0 or below, as the fit's runs took them).

    Raises:
        ConfigError: A variable missing or given twice, or what :func:`check_predict_inputs`
            refuses.
    """
    from scalinglab.fit import _flops_inputs as fi  # (it imports this module)

    keys = variable_keys(columns, given, law=f"law {law_name!r}")
    out = {s: _vector(given[k], k) for s, k in keys.items()}
    if "flops" in given:  # beside params= and tokens=: it must say the same model
        values = {k: out[s] for s, k in keys.items()} | {"flops": _vector(given["flops"], "flops")}
        fi.check_flops(columns, keys, values, law=f"law {law_name!r}", rule=rule)
    used = set(keys.values())
    # tokens from flops= and params= (D = C/(6·N·r(N))), or params from flops= and tokens=
    derived = fi.flops_tokens(columns, keys, given) or fi.flops_params(columns, keys, given)
    if derived is not None:
        wanted, other = derived
        flops = _vector(given["flops"], "flops")
        if np.any(~np.isfinite(flops)) or np.any(flops <= 0):  # named as given, not as D
            raise DataError(
                f"flops (the compute the law's {wanted} is derived from, with {keys[other]}=) "
                f"must be positive and finite to predict, got {_first_bad(flops, ~(flops > 0))}",
                hint=f"pass a value above 0, e.g. flops={_EXAMPLES['flops']}",
            )
        to_tokens = "tokens" in names_for(wanted, columns)
        of = fi.tokens_of if to_tokens else fi.params_of
        out[wanted] = of(flops, out[other], rule)
        used.add("flops")
    missing = [s for s in columns if s not in out]
    if missing:
        check_predict_inputs(given, used, {}, call=call, options=options, columns=columns)
        symbol = missing[0]
        also = " or ".join(f"{k}=" for k in names_for(symbol, columns)[1:])
        hint = "give a value of each variable: " + ", ".join(f"{c}=" for c in columns.values())
        if "flops" in given:  # a budget alone: the model it trains is the plan's to choose
            hint += (
                "; flops= alone leaves the model's size open: give params= or tokens= beside "
                "it, or plan the budget: scalinglab.optimal_allocation(result, flops=...).loss "
                "is the loss of the compute-optimal run"
            )
        raise ConfigError(
            f"predict needs {columns[symbol]}= (the law's {symbol}, also given as {also}); "
            f"got {sorted(given) or 'nothing'}",
            hint=hint,
        )
    check_predict_inputs(
        given, used, out, call=call, options=options, columns=columns, signed=signed, keys=keys
    )
    return out


def _vector(value: Any, name: str) -> Any:
    """``value`` read as :func:`as_quantities` reads it, when it is one number or a 1-D
    list of them (a one-column DataFrame is its column); a table of several columns or a
    2-D array is refused: predict would flatten it into a grid of unrelated points."""
    columns = getattr(value, "columns", None)
    if columns is not None and np.ndim(value) == 2 and len(columns) == 1:
        value = np.asarray(value).reshape(-1)
    out = as_quantities(value, name)
    if out.ndim > 1:
        what = (
            f"a table of {len(columns)} columns ({', '.join(map(str, columns))})"
            if columns is not None
            else f"an array of shape {out.shape}"
        )
        raise ConfigError(
            f"{name}= is {what}: predict takes one number or a 1-D list of them per variable",
            hint=f"pass one column, e.g. {name}=df['{columns[0]}']"
            if columns is not None
            else f"pass a 1-D array, e.g. {name}=a.ravel() for a point per value",
        )
    return out


def symbol_variables(
    columns: Mapping[str, str], at: Mapping[str, Any], *, law_name: str
) -> dict[str, Any]:
    """Each of the law's symbols' values from ``at``, keyed by symbol only (``N``, ``D``),
    whatever column the fit read each from: planning's points, where a column named like
    another symbol cannot be mistaken for it; checked as :func:`predict_variables` checks.

    Raises:
        ConfigError: A symbol missing, or what :func:`check_predict_inputs` refuses.
    """
    missing = [s for s in columns if s not in at]
    if missing:
        raise ConfigError(f"a prediction of law {law_name!r} needs {', '.join(missing)}")
    out = {s: as_quantities(at[s], s) for s in columns}
    check_predict_inputs(at, set(at), out, call="predict", options=(), columns=columns)
    return out


def check_predict_inputs(
    given: Mapping[str, Any],
    used: set[str],
    values: Mapping[str, Any],
    *,
    call: str,
    options: Sequence[str],
    columns: Mapping[str, str],
    signed: Collection[str] = (),
    keys: Mapping[str, str] | None = None,
) -> None:
    """Refuse keywords the law did not read, values that are not positive and finite (of
    ``signed`` variables, which the fit's runs took to 0 or below: not finite), and arrays
    that do not broadcast or are empty.

    Args:
        given: The keywords :meth:`FitResult.predict` received besides its options.
        used: Those that gave a variable.
        values: Each symbol's values as read.
        call: The method given them (``"FitResult.predict"``), for the messages.
        options: The keywords it takes besides the variables (``level``...).
        columns: Symbol -> column of the fit (the names a caller may use).
        signed: The symbols that may be 0 or below (the fit's runs took them there).
        keys: Symbol -> the keyword that gave it (``params``), as a message names it.

    Raises:
        ConfigError: An unknown keyword (with the nearest name), shapes that do not
            broadcast, or no values.
        DataError: A value that is not positive and finite.
    """
    # a run's coordinates the law does not read describe the same point: a law of FLOPs is
    # asked at params=, tokens=, flops= as a ladder's rung gives them; anything else is a slip
    names = [*options, *(k for s in columns for k in names_for(s, columns))]
    check_keywords(
        {k: v for k, v in given.items() if k not in used}, names, call=call,
        otherwise="other columns are read at fit time: fit(..., x={'N': 'model_size'})",
        accepted=_COORDINATES, hints={"compute": _FLOPS, "budget": _FLOPS},
    )  # fmt: skip
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
        # named by the keyword given (params=, not the law's N), with what to pass
        name = (keys or {}).get(symbol, symbol)
        named = name if name == symbol else f"{name} (the law's {symbol})"
        if symbol in signed and np.any(~np.isfinite(v)):
            got = _first_bad(v, ~np.isfinite(v))
            raise DataError(f"{named} must be finite to predict, got {got}", hint=_FINITE)
        if symbol not in signed and (np.any(~np.isfinite(v)) or np.any(v <= 0)):
            raise DataError(
                f"{named} must be positive and finite to predict, "
                f"got {_first_bad(v, ~np.isfinite(v) | (v <= 0))}",
                hint=f"pass a value above 0, e.g. {name}={_EXAMPLES.get(name, '1.0')}",
            )


def _first_bad(v: Any, bad: Any) -> str:
    """The first value of ``v`` where ``bad`` holds, as a message writes a number
    (``-1``, not ``-1.0`` or NumPy's ``[ 1.e+09 -1.e+00]``), and where it is in an array
    of several: ``-1 (value 2 of 3)``."""
    flat, where = np.ravel(v), np.ravel(np.broadcast_to(bad, np.shape(v)))
    i = int(np.argmax(where))
    shown = format_g(float(flat[i]))
    return shown if flat.size == 1 else f"{shown} (value {i + 1} of {flat.size})"
