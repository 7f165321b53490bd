"""A given catalog law compared with the others by rolling-origin backtest on the runs it is
fitted to, and the one-line warning when another backtests clearly better.

What ``fit(law, runs, compare=True)`` (the default) and ``scalinglab fit --compare`` (the
default) both do, through the same functions::

    pending = hint_in_background("kaplan", runs, "loss", seed=0)  # while the law is fitted
    result = pending.recorded(fit("kaplan", runs, compare=False))
    result.law_choice.fitted, result.warnings  # "kaplan", ("law 'overtraining' backtests ...",)

The choice is :func:`~scalinglab.validate.choose_law`'s; a law is compared only where it is
itself one of :data:`~scalinglab.validate._choose_inputs.CANDIDATES` (a user's formula is the
user's choice; ``"auto"`` is the comparison). The warning names both ways to act on it, the
command line's and Python's, in one wording: a fit saved by either is read by both.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab._errors import ScalingLabError

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit._result import FitResult
    from scalinglab.validate._law_choice import LawChoice

__all__ = ["Hint", "Pending", "comparable", "hint", "hint_in_background", "recorded", "with_hint"]

#: :func:`hint`'s answer: the warning line (``None``: no law is clearly better) and the
#: choice it read it off (``None``: the law is no candidate, or the runs too few to compare).
Hint = tuple["str | None", "LawChoice | None"]


def comparable(law: str) -> bool:
    """Whether ``law`` (a law's name) is a catalog law :func:`hint` compares."""
    from scalinglab.validate._choose_inputs import CANDIDATES

    return any(law in laws for laws in CANDIDATES.values())


def hint(
    law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None = None
) -> Hint:
    """``(line, choice)``: a line naming a clearly better law, or ``None``; and the choice.

    Args:
        law: The name of the law fitted.
        table: The runs it is fitted to.
        y: The column holding the loss.
        seed: Seed of the backtests' start subsets (the fit's).
        columns: Law symbol -> column (``--x``, ``x=``), read by every candidate.
    """
    from scalinglab.validate._choose import CLEARLY_BETTER, choose_law

    if not comparable(law):
        return None, None
    try:
        choice = choose_law(table, y=y, seed=seed, x=columns or None)
    except ScalingLabError:  # too few scales to compare: nothing to say
        return None, None
    if law not in choice.scores:  # not among these runs' candidates: nothing to say
        return None, choice
    better = choice.better_than(law)
    if better is None:
        return None, choice
    mine, best = choice.scores[law], choice.scores[better]
    tie = choice.tie_words()  # chosen by the tie rule over a lower score: said, not hidden
    if law in choice.unidentified:  # identified laws first, as backtest's winner rule
        why = (
            f"law {better!r} backtests better on these runs (median extrapolation error "
            f"{best:.2%}), where {law!r} is not identified below a rolling cut (its fit there is "
            "one point of a valley of equal fits), so its extrapolation is untested"
        )
    else:
        why = (
            f"law {better!r} backtests clearly better on these runs (median extrapolation error "
            f"{best:.2%} against {mine:.2%} for {law!r}, under {CLEARLY_BETTER:.0%} of it"
            f"{f'; {tie}' if tie else ''})"
        )
    line = (
        f"{why}; try --law {better} or --law auto (fit({better!r}, runs) or fit('auto', runs) "
        "in Python)"
    )
    return line, choice


def with_hint(result: FitResult, line: str | None) -> FitResult:
    """The fit with :func:`hint`'s line among its warnings: saved with the fit, so ``predict
    --fit`` and ``plan --fit`` repeat it, and the fit is not ``trusted``."""
    return replace(result, warnings=(*result.warnings, line)) if line else result


def recorded(
    result: FitResult, line: str | None, choice: LawChoice | None, *, fitted: str
) -> FitResult:
    """The fit with the comparison recorded: its ``law_choice`` (``fitted`` the law compared;
    ``None`` where nothing was compared) and :func:`hint`'s line last among its warnings."""
    if choice is not None:
        result = replace(result, law_choice=replace(choice, fitted=fitted))
    return with_hint(result, line)


class Pending:
    """:func:`hint` running on a thread of its own (a plain thread: ``concurrent.futures``
    and the ``logging`` it loads cost a few ms of start-up for one call)."""

    def __init__(
        self, law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None
    ) -> None:
        self.law = law
        self._value: Hint = (None, None)
        self._error: BaseException | None = None
        # what the thread and the fit beside it both load, loaded here first: two threads
        # importing one module at once may see it partly initialised (an ImportError)
        import scalinglab.fit
        import scalinglab.validate._choose  # noqa: F401

        self._thread = threading.Thread(
            target=self._run, args=(table, y, seed, columns), name="scalinglab-law-choice",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def _run(self, table: RunTable, y: str, seed: int, columns: Mapping[str, str] | None) -> None:
        try:
            self._value = hint(self.law, table, y, seed=seed, columns=columns)
        except BaseException as err:  # raised again by result()
            self._error = err

    def result(self) -> Hint:
        """Wait for the hint; what :func:`hint` returned, or raise what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def recorded(self, result: FitResult) -> FitResult:
        """Wait for the hint; ``result`` with it recorded (:func:`recorded`), the law
        compared as the law ``fitted``."""
        line, choice = self.result()
        return recorded(result, line, choice, fitted=self.law)


def hint_in_background(
    law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None = None
) -> Pending:
    """:func:`hint` started on a thread, so that it runs while the law is fitted: its cut
    fits and the fit's compiled solves release the GIL, and the Python between them
    overlaps. Same result as :func:`hint` (nothing in it depends on timing);
    ``.result()`` waits for it and raises what it raised."""
    return Pending(law, table, y, seed=seed, columns=columns)
