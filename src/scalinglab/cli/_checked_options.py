"""Options checked as they are read, so that a bad value is named by its flag (``--space``,
``--tolerance``, ``--window``) before any runs are read, as ``--level`` is; the library checks
them again under their keyword names (``space=``, ``tolerance=``, ``window=``) for Python
callers."""

from __future__ import annotations

import math
from typing import Annotated

import typer

from scalinglab._errors import ConfigError
from scalinglab._format import format_g

__all__ = ["IsoSpace", "IsoTolerance", "IsoWindow", "Space"]

_SPACES = ("log", "linear")


def _space(value: str) -> str:
    """``--space``'s value, one of :data:`_SPACES`."""
    if value not in _SPACES:
        raise ConfigError(
            f"--space must be 'log' or 'linear', got {value!r}",
            hint="pass --space log or --space linear (space= in Python)",
        )
    return value


def _tolerance(value: float) -> float:
    """``--tolerance``'s value: a positive, finite number of decades (``nan`` passes
    Click's ranges, so a range alone would not refuse it)."""
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(
            f"--tolerance must be a positive number of decades of FLOPs, got {format_g(value)}",
            hint="e.g. --tolerance 0.05: runs within a factor 10^0.05 ≈ 1.12 of a budget "
            "belong to it (tolerance= in Python)",
        )
    return value


def _window(value: float | None) -> float | None:
    """``--window``'s value: a positive, finite number of decades, or none given."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise ConfigError(
            f"--window must be a positive number of decades of N, got {format_g(value)}",
            hint="e.g. --window 0.5: the runs within ×3.2 of each budget's lowest-loss size "
            "(window= in Python)",
        )
    return value


#: ``--space`` of the commands that fit a law (``fit``, ``report``: ``_params.Space``).
Space = Annotated[
    str, typer.Option("--space", callback=_space, help="Residuals in log or linear space.")
]
#: ``--space`` of ``isoflop``: where its parabolas are fitted.
IsoSpace = Annotated[
    str,
    typer.Option(
        "--space", callback=_space, help="Parabola in the loss ('linear') or in ln loss ('log')."
    ),
]
#: ``--tolerance`` of ``isoflop``.
IsoTolerance = Annotated[
    float,
    typer.Option(
        "--tolerance",
        callback=_tolerance,
        help="Half-width of a budget in decades of FLOPs (0.05: ×1.12).",
    ),
]
#: ``--window`` of ``isoflop``.
IsoWindow = Annotated[
    float | None,
    typer.Option(
        "--window",
        callback=_window,
        metavar="DECADES",
        help="Fit each budget's parabola only to its runs within this many decades of N of "
        "its lowest-loss run (0.5: within ×3.2): a parabola is a fair model near the minimum, "
        "not over decades.",
        show_default=False,
    ),
]
