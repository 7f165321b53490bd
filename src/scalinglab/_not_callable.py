"""Subpackages named as the commands are (``scalinglab.plan``, ``scalinglab.report``) that
say, when called as the command's function, which function to call.

A user who ran ``scalinglab plan`` tries ``scalinglab.plan(fit, compute=1e22)`` and got
``TypeError: 'module' object is not callable``, naming neither the module nor the function.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

__all__ = ["say_what_to_call"]


def say_what_to_call(package: str, use: str) -> None:
    """Make calling the module ``package`` raise a ``TypeError`` that names ``use``.

    Args:
        package: The subpackage's ``__name__`` (``"scalinglab.plan"``).
        use: The calls to write instead, in words (``"scalinglab.optimal_allocation(fit,
            flops=1e22)"``).
    """
    module = sys.modules[package]
    kind = type(module)  # keep a subclass the package set already

    class _Named(kind):  # type: ignore[valid-type,misc]
        def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
            raise TypeError(f"{package} is a package, not a function: call {use}")

    module.__class__ = _Named
