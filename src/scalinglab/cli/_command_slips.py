"""The hint for click's ``No such command 'X'.``, where ``X`` says what was meant: a run
store or a table (:mod:`~scalinglab.cli._store_slip`), the presets
(:mod:`~scalinglab.cli._presets_slip`), a comparison (:mod:`~scalinglab.cli._compare_slip`),
the run store's command (:mod:`~scalinglab.cli._runs_slip`)."""

from __future__ import annotations

from typing import Any

from scalinglab.cli._compare_slip import compare_slip
from scalinglab.cli._presets_slip import presets_slip
from scalinglab.cli._runs_slip import runs_slip
from scalinglab.cli._store_slip import store_slip

__all__ = ["command_slip"]


def command_slip(ctx: Any, message: str) -> str | None:
    """The first of the slips' hints for ``message``; ``None`` where none applies (the
    caller then names the group's ``--help``)."""
    return (
        store_slip(ctx, message)
        or presets_slip(ctx, message)
        or compare_slip(ctx, message)
        or runs_slip(ctx, message)
    )
