"""A ``compare`` command asked for where a group has none (``scalinglab compare``): laws are
compared by ``backtest`` and schedules by ``curves compare``, which click's ``No such
command 'compare'.`` never said (its hint named the group's ``--help``, where neither is
called a comparison)."""

from __future__ import annotations

from typing import Any

from scalinglab.cli._no_such_command import asked, top_level_root

__all__ = ["compare_slip"]

#: The words a user types for a comparison.
_WORDS = ("compare", "comparison")


def compare_slip(ctx: Any, message: str) -> str | None:
    """The hint for click's ``No such command 'compare'.`` at the top level: the commands
    that compare laws (``backtest``, several ``--law``) and schedules (``curves compare``),
    and where two fits' coefficients are; ``None`` for any other message, or in a group
    (``hparams compare``: its own ``--help`` names its commands)."""
    root = top_level_root(ctx)
    if root is None or not asked(message, _WORDS):
        return None
    return (
        f"laws are compared on the same runs by '{root} backtest RUNS --law chinchilla --law "
        f"overtraining' (scalinglab.compare in Python); learning-rate schedules by '{root} "
        "curves compare'; two fits (of two corpora, say) have no command: each fit's --out "
        "file holds its coefs, intervals and bootstrap samples"
    )
