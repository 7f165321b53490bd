"""Strict JSON for every file and ``--json`` the project writes: NumPy values as Python, and
non-finite floats as the strings ``"nan"``, ``"inf"``, ``"-inf"`` (``float()`` reads them
back), never the ``NaN`` token other JSON readers refuse."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["dumps", "json_number", "json_ready", "plain"]

_T = TypeVar("_T")


def plain(value: Any) -> Any:
    """JSON-ready copy: numpy scalars and arrays to Python, non-finite floats to strings."""
    import numpy as np  # here: the command line's --help and --version load no NumPy

    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return json_number(value)
    return value


def json_ready(to_dict: Callable[[_T], Mapping[str, Any]]) -> Callable[[_T], dict[str, Any]]:
    """Make a result's ``to_dict`` return what its JSON holds (:func:`plain`): from Python
    ``json.dumps(r.to_dict())`` is then strict JSON too, with ``"nan"``/``"inf"`` strings as
    the files and ``--json`` have them, not the ``NaN``/``Infinity`` tokens."""

    @functools.wraps(to_dict)
    def strict(obj: _T) -> dict[str, Any]:
        out: dict[str, Any] = plain(to_dict(obj))
        return out

    return strict


def json_number(value: float) -> float | str:
    """A float as strict JSON holds it: non-finite as the string ``float()`` reads back."""
    value = float(value)
    return value if math.isfinite(value) else str(value)


def dumps(data: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """Strict JSON (no ``NaN`` tokens), indented (``None``: on one line)."""
    return json.dumps(plain(data), indent=indent, allow_nan=False)
