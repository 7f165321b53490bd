"""A ``presets`` subcommand asked for (``scalinglab hparams presets``): the presets are
listed by ``scalinglab laws``, which click's ``No such command 'presets'.`` never said
(its hint named the group's ``--help``, which names no command that lists them)."""

from __future__ import annotations

from typing import Any

from scalinglab.cli._no_such_command import asked

__all__ = ["presets_slip"]

#: The words a user types for the list of published rules.
_WORDS = ("presets", "preset")


def presets_slip(ctx: Any, message: str) -> str | None:
    """The hint for click's ``No such command 'presets'.`` (or ``'preset'``) in any group:
    the command that lists them, and how one is shown in full and used; ``None`` for any
    other message."""
    if not asked(message, _WORDS):
        return None
    root = str(getattr(ctx, "command_path", "scalinglab") or "scalinglab").split(" ")[0]
    return (
        f"the presets (of the loss, and of lr and batch) are listed by '{root} laws'; one in "
        f"full: '{root} laws steplaw2025'; used with --preset NAME (e.g. '{root} hparams "
        "predict --preset steplaw2025 --params 7B --tokens 1.4T')"
    )
