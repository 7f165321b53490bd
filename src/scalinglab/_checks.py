"""An argument of a public function checked by its type before any work: a True/False
option, a whole number, a number, a mapping. Each wrong one is a :class:`ConfigError` that
names the argument, says what it must be and what was given, and what to pass, rather than
Python's or NumPy's bare ``TypeError`` from deep inside (``simulate_ladder(seed=1.5)``), or
no error at all where the value is merely truthy (``drop_outliers="no"``: True)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._format import format_g

__all__ = ["check_columns", "check_flag", "check_mapping", "check_number", "check_whole", "given"]

#: The longest repr of a value a message shows: a DataFrame's would fill the screen.
_SHOWN = 60


def given(value: object) -> str:
    """What was given, for a message: its type and a short repr (``int 5``, ``list [1, 2]``),
    its type alone where its repr is long or spans lines (a DataFrame)."""
    kind = type(value).__name__
    shown = repr(value)
    return kind if len(shown) > _SHOWN or "\n" in shown else f"{kind} {shown}"


def check_flag(name: str, value: object, *, hint: str | None = None) -> bool:
    """``value`` of the True/False option ``name`` as a ``bool`` (NumPy's ``np.True_``
    too); otherwise a :class:`ConfigError`: ``"no"``, ``1`` or ``None`` would be read by
    their truth, and ``"no"`` is true.

    Args:
        name: The keyword, as the message names it.
        value: What was given.
        hint: What to do (default: pass ``name=True`` or ``name=False``).
    """
    if isinstance(value, bool):
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
        return bool(value)
    raise ConfigError(
        f"{name} must be True or False, got {given(value)}",
        hint=hint or f"pass {name}=True or {name}=False",
    )


def check_whole(name: str, value: Any, *, least: int, example: int, flag: bool = True) -> None:
    """Refuse ``value`` of keyword ``name`` unless a whole number at least ``least``, with a
    :class:`ConfigError` naming it; ``flag``: the hint names ``--name`` too (a command takes
    it), as the commands that fit reach these checks too."""
    said = f"{name}={example}"
    flagged = f"--{name.replace('_', '-')} {example} ({said} in Python)"
    hint = f"pass e.g. {flagged if flag else said}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ConfigError(f"{name} must be a whole number, got {given(value)}", hint=hint)
    if value < least:
        raise ConfigError(f"{name} must be at least {least}, got {value}", hint=hint)


def check_number(
    name: str,
    value: object,
    *,
    example: str,
    least: float | None = None,
    above: float | None = None,
    what: str = "a number",
) -> float:
    """``value`` of keyword ``name`` as a float when it is a finite real number (not a
    bool, nor a string of one) at least ``least``, or above ``above``; otherwise a
    :class:`ConfigError` naming it, with ``example`` (``"noise=0.01"``) as what to pass.

    Args:
        name: The keyword, as the message names it.
        value: What was given.
        example: A value to pass, as the hint writes it.
        least: The least value taken, or ``None``.
        above: The value it must exceed, or ``None``.
        what: What the number is, for the message (``"a number of tokens"``).
    """
    bound = (
        f" >= {format_g(least)}"
        if least is not None
        else f" > {format_g(above)}"
        if above is not None
        else ""
    )
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(
            f"{name} must be {what}{bound}, got {given(value)}", hint=f"pass e.g. {example}"
        )
    number = float(value)
    low = (least is not None and not number >= least) or (above is not None and not number > above)
    if not math.isfinite(number) or low:
        raise ConfigError(
            f"{name} must be a finite number{bound}, got {value!r}", hint=f"pass e.g. {example}"
        )
    return number


def check_mapping(
    name: str,
    value: object,
    *,
    example: str,
    what: str = "a mapping (a dict of name -> value)",
) -> Mapping[str, Any]:
    """``value`` of keyword ``name`` when it is a mapping (``{}`` for ``None``); otherwise a
    :class:`ConfigError`: a list where a dict goes (``columns=["loss"]``) raised Python's
    "dictionary update sequence element" or ``'list' object has no attribute 'get'``.

    Args:
        name: The keyword, as the message names it.
        value: What was given.
        example: A mapping to pass, as the hint writes it (``"{'loss': 'val_loss'}"``).
        what: What it must be, for the message.
    """
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    raise ConfigError(
        f"{name} must be {what}, got {given(value)}",
        hint=f"pass a dict, e.g. {name}={example}",
    )


def check_columns(
    columns: object, *, example: str = "{'loss': 'val_loss'}", name: str = "columns"
) -> Mapping[str, str]:
    """``columns`` (name -> a table's column, as ``read_runs(columns=...)`` and every
    reader take it) when it maps strings to strings (``{}`` for ``None``); otherwise a
    :class:`ConfigError` naming ``name``, with ``example`` to pass.
    """
    if columns is None:
        return {}
    if isinstance(columns, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        return columns
    raise ConfigError(
        f"{name} must map names to column names (a dict of str -> str), got {given(columns)}",
        hint=f"pass a dict, e.g. {name}={example}",
    )
