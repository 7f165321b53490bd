"""The outcome of one start of the solver (:class:`Status`), and what each one means.

``Status.MAX_STEPS``, the old name of ``Status.MAX_ITER`` (the solver's iteration cap:
``steps`` means training steps everywhere else), is read for one release with a
:class:`DeprecationWarning`.
"""

from __future__ import annotations

import enum
from typing import Any

from scalinglab._warn import warn_at_caller

__all__ = ["Status"]


class _StatusType(enum.EnumType):
    """:class:`Status`'s metaclass: its old member name warns, then gives the new one."""

    def __getattr__(cls, name: str) -> Any:
        if name != "MAX_STEPS":  # as EnumType's own: a member by name, else no attribute
            if name.startswith("_") or name not in cls._member_map_:
                raise AttributeError(name)
            return cls._member_map_[name]
        warn_at_caller(
            "Status.MAX_STEPS is deprecated and goes in the next release: use Status.MAX_ITER "
            "(the solver's iteration cap; 'steps' means training steps everywhere else)",
            DeprecationWarning,
        )
        return cls._member_map_["MAX_ITER"]


class Status(enum.IntEnum, metaclass=_StatusType):
    """Outcome of one start. The message says what it means and what to do."""

    RUNNING = 0
    CONVERGED = 1
    MAX_ITER = 2
    STALLED = 3
    NONFINITE = 4
    MERGED = 5
    SCREENED = 6

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    Status.RUNNING: "still running",
    Status.CONVERGED: "converged: the objective stopped decreasing and the Newton step is negligible",
    Status.MAX_ITER: "the maximum number of iterations was reached; increase max_iter (--max-iter)",
    Status.STALLED: "no step lowered the objective although it is not at a minimum; the law may be "
    "badly scaled for this data (check units and the start grid)",
    Status.NONFINITE: "the objective is not finite at the start: the law is undefined there "
    "(for example the log of a negative prediction)",
    Status.MERGED: "stopped in its merge window: below every other optimum the leading starts "
    "found, it can only descend to their best (see scalinglab.fit._merge)",
    Status.SCREENED: "stopped after the screening steps: its objective was then above those of "
    "the starts solved to the end (see scalinglab.fit._merge)",
}
