"""A ``store`` command asked for (``scalinglab store --help``): what a run store holds is
listed by ``scalinglab runs``, and removed by ``runs rm``, which click's ``No such command
'store'.`` never said (its hint named the root's ``--help``, where no command is called
``store``, and its suggestion finds none that near)."""

from __future__ import annotations

from typing import Any

from scalinglab.cli._no_such_command import asked, top_level_root

__all__ = ["runs_slip"]

#: The words a user types for the run store's command.
_WORDS = ("store", "stores", "run-store", "runstore", "run_store")


def runs_slip(ctx: Any, message: str) -> str | None:
    """The hint for click's ``No such command 'store'.`` at the top level: the command
    that lists a store's runs and removes some, the one that fills it, and ``--store``;
    ``None`` for any other message, or in a group (``curves store``: its commands take
    ``--store``, as its ``--help`` says)."""
    root = top_level_root(ctx)
    if root is None or not asked(message, _WORDS):
        return None
    return (
        f"a run store's command is '{root} runs': '{root} runs --store runs.duckdb' lists its "
        f"runs and '{root} runs rm' removes some (see '{root} runs --help'); '{root} ingest' "
        "fills a store, and other commands read one with --store"
    )
