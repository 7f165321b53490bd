"""Warnings that point at the user's line, however many of scalinglab's frames lie between.

A fixed ``stacklevel`` counts frames, and a keyword check wrapped around a public function
(:func:`scalinglab._keywords.keywords_checked`) or a reader called by a fit adds one, so the
warning would name a line inside scalinglab (and Python's default filters, which show a
:class:`DeprecationWarning` only where ``__main__`` triggers it, would hide it).
"""

from __future__ import annotations

import sys
import warnings

__all__ = ["warn_at_caller"]


def _ours(name: str) -> bool:
    # dataclasses.replace() calls a result's __init__ on the user's behalf (HparamPreset's
    # deprecated reads_flops=): the user's line is the replace() call
    return name in ("scalinglab", "dataclasses") or name.startswith("scalinglab.")


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """Warn ``message`` at the first frame outside scalinglab (and :mod:`dataclasses`, whose
    ``replace`` constructs for the user): the user's call."""
    frame = sys._getframe(1)
    level = 2  # the frame that called this one
    while frame.f_back is not None and _ours(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
