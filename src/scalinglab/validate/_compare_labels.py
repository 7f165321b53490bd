"""How a comparison labels what one law's backtest says: its warnings and its progress
(:mod:`._compare`)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def _of_law(warning: str, law: str) -> str:
    """A backtest fit's warning (``backtest fit: ...``) named by its law; the split's stay."""
    head = "backtest fit:"
    return f"backtest fit ({law}):{warning[len(head) :]}" if warning.startswith(head) else warning


def _stage(progress: Progress, spec: str) -> Progress:
    def report(stage: str, done: int, total: int) -> None:
        progress(f"{spec}: {stage}", done, total)

    return report
