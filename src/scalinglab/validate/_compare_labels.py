"""How a comparison labels what one law's backtest says: its warnings and its progress
(:mod:`._compare`)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]

#: What marks a backtest fit's own warnings and notes: said of the fit on the runs kept,
#: not of a fit the user made of all of them.
FITTED = "backtest fit: "


def _of_law(warning: str, law: str) -> str:
    """A backtest fit's warning or note (``backtest fit: ...``) named by its law; the
    split's stay."""
    head = FITTED.rstrip()
    return f"backtest fit ({law}):{warning[len(head) :]}" if warning.startswith(head) else warning


def _stage(progress: Progress, spec: str) -> Progress:
    def report(stage: str, done: int, total: int) -> None:
        progress(f"{spec}: {stage}", done, total)

    return report
