"""Names of a package imported from its private modules on first use (PEP 562).

A package lists ``name -> module`` and takes the two functions this returns as its module
``__getattr__`` and ``__dir__``: ``import scalinglab.data`` then costs nothing, and pandas,
SciPy or DuckDB load only when a name that needs them is used.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose ``names`` map to its modules.

    Args:
        package: The package's ``__name__``.
        names: Public name -> the private module (``"_readers"``) that defines it.
    """

    def getattr_(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def dir_() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return getattr_, dir_
