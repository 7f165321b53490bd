"""``progress=True``: a plain progress line on stderr for long library calls.

The command line draws Rich progress bars; from Python (a script, a notebook) a long
``fit``, ``backtest``, ``compare``, ``rolling_backtest``, ``isoflop``, ``envelope``,
``fit_curves``, ``fit_downstream``, ``backtest_downstream``, ``fit_hparams``,
``backtest_hparams``, ``fit_loss_to_loss`` or ``write_report`` otherwise runs silently. Passing ``progress=True`` instead of a callback prints one line per stage as it
moves, rewritten in place on a terminal and at most every few seconds elsewhere (a log stays
short).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "prefixed", "resolve_progress"]

Progress = Callable[[str, int, int], None]

_EVERY_S = 5.0  # a log (not a terminal) gets a line at most this often per stage


def resolve_progress(progress: object) -> Progress | None:  # checked: users pass anything
    """``True`` -> a stderr reporter; ``False``/``None`` -> none; a callable as given.

    Every public function taking ``progress=`` resolves it here before any work, so a
    wrong one is refused up front, not as a ``TypeError`` at its first stage.

    Raises:
        ConfigError: For anything else (``progress="yes"``, ``progress=1``).
    """
    if progress is True:
        return TextProgress(sys.stderr)
    if progress is False or progress is None:
        return None
    if not callable(progress):
        from scalinglab._errors import ConfigError

        raise ConfigError(
            f"progress must be True, False, None or a callable progress(stage, done, total), "
            f"got {progress!r}",
            hint="progress=True prints a line per stage on stderr; pass a function to get "
            "the stages yourself",
        )
    return progress


def prefixed(progress: Progress | None, group: str) -> Progress | None:
    """``progress`` with each stage named after ``group``: ``backtest: bootstrap``, for a call
    made within a longer one (a report's backtest fit) so its stages are told apart."""
    if progress is None:
        return None
    outer = progress

    def said(stage: str, done: int, total: int) -> None:
        outer(f"{group}: {stage}", done, total)

    return said


class TextProgress:
    """``progress(stage, done, total)`` as text: ``backtest chinchilla: 120/200``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._last: dict[str, float] = {}
        self._said: dict[str, tuple[int, int]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        final = done >= total
        if self._said.get(stage) == (done, total):  # a solver may report its end twice
            return
        if not (self._live or final or now - self._last.get(stage, -_EVERY_S) >= _EVERY_S):
            return
        self._last[stage], self._said[stage] = now, (done, total)
        text = f"{stage}: {done}/{total}"
        if self._live:
            self._stream.write(f"\r{text}" + ("\n" if final else ""))
        else:
            self._stream.write(text + "\n")
        self._stream.flush()
