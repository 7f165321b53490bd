"""Strict JSON for every file and ``--json`` the project writes: NumPy values as Python, and
non-finite floats as the strings ``"nan"``, ``"inf"``, ``"-inf"`` (``float()`` reads them
back), never the ``NaN`` token other JSON readers refuse."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["dumps", "json_number", "plain"]


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


def json_number(value: float) -> float | str:
    """A float as strict JSON holds it: non-finite as the string ``float()`` reads back."""
    value = float(value)
    return value if math.isfinite(value) else str(value)


def dumps(data: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """Strict JSON (no ``NaN`` tokens), indented (``None``: on one line)."""
    return json.dumps(plain(data), indent=indent, allow_nan=False)
