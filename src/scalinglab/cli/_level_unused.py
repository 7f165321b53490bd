"""The words a command ends its no-intervals line with where ``--level`` was given and no
interval was computed (``--bootstrap 0``): that it has no effect, said alike by ``plan``,
``predict``, ``fit``, ``curves fit`` and ``envelope``."""

from __future__ import annotations

from typing import Annotated

import typer

from scalinglab._no_intervals import ASK, level_unused, no_intervals_line
from scalinglab.cli._params import _level  # --level checked as it is read

__all__ = ["LEVEL", "GivenLevel", "given_level", "level_unused", "no_effect", "no_intervals"]

#: The coverage of a command's intervals where no ``--level`` is given.
LEVEL = 0.9

#: ``--level`` of a command that says when it has no effect: ``None`` where not given (so
#: that a default nobody asked for is not said to have none), :data:`LEVEL` then.
GivenLevel = Annotated[
    float | None,
    typer.Option(
        callback=_level,
        help=f"Coverage of the intervals, a fraction (0.9, not 90 or 90%) [default: {LEVEL:g}].",
        show_default=False,
    ),
]


def given_level(level: float | None) -> float:
    """The coverage a ``--level`` of :data:`GivenLevel` asks for: :data:`LEVEL` where none."""
    return LEVEL if level is None else level


def no_intervals(
    level: float | None, *, requested: int = 0, kept: int = 0, refit: str = "", ask: int = ASK
) -> str:
    """Why a result has no intervals (no bootstrap asked, or every one of ``requested``
    resamples failed), what to run for them (``ask`` resamples: the command's default), and
    that a ``level`` given (``--level``) has no effect:
    :func:`scalinglab._no_intervals.no_intervals_line`, the one wording."""
    return no_intervals_line(requested=requested, kept=kept, refit=refit, level=level, ask=ask)


def no_effect(level: float | None, *, drawn: int, requested: int = 0, ask: int = ASK) -> list[str]:
    """:func:`no_intervals` where a ``level`` was given and no resamples were ``drawn`` (of
    ``requested``; ``ask``: the command's default), for a command that says no other line
    of it; ``[]`` otherwise."""
    if level is None or drawn:
        return []
    return [no_intervals(level, requested=requested, ask=ask)]
