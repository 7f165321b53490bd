"""An argument of a public function checked by its type before any work: a True/False
option, a whole number. Each wrong one is a :class:`ConfigError` that
names the argument, says what it must be and what was given, and what to pass, rather than
Python's or NumPy's bare ``TypeError`` from deep inside (``fit(bootstrap=1.5)``), or
no error at all where the value is merely truthy (``drop_outliers="no"``: True)."""

from __future__ import annotations

import numbers
from typing import Any

from scalinglab._errors import ConfigError

__all__ = ["check_flag", "check_whole", "given"]

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
