"""The one place a law comparison's winner is decided: the CLI's ``winner:`` line, the JSON's
``"winner"`` and :attr:`Comparison.winner <scalinglab.validate.Comparison>` all read
:func:`pick_winner`.

The rule: among the fits that converged, the laws their fitted runs identify compete first
(:attr:`Backtest.unidentified <scalinglab.validate.Backtest>` is ``None``); the lowest median
held-out ARE among them wins, laws within :data:`~._tie.TIE_RTOL` of it tie and the tie goes to
the fewest coefficients (:mod:`._tie`). A law its fitted runs do not identify wins only where no
identified law converged, and then with the caveat that says so.

Why identified first, and by no margin: a fit its runs do not identify is one point of a valley
of equal fits. Its held-out error is fixed by the data only where the held-out runs sit at
values the fitted runs hold (a fitted model size, say); at any other value, which is where a
law is extrapolated to, its prediction is where the solver stopped, and it differs between CPU
builds (:mod:`._rolling_design`). So a lower held-out error, by however much, does not bound
its error where it would be used, and a margin on it would be a margin on solver noise. The
same rule as ``--law auto`` (:func:`~scalinglab.validate.choose_law`), which does not score a law
not identified below a cut. The reason names each unidentified law that scored lower, with its
error, so the ranking is not hidden.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab._format import join_and
from scalinglab.validate._rolling_design import unidentified_said, win_caveat
from scalinglab.validate._tie import TIE_RTOL, TIE_RULE, tie_break, tie_said

if TYPE_CHECKING:
    from scalinglab.validate._compare import LawScore

__all__ = ["RULE", "pick_winner"]

#: The rule, in words (the JSON's ``"rule"``, the CLI's ``rule:`` line).
RULE = (
    "lowest median held-out ARE among converged fits, the laws identified by their fitted runs "
    f"first (a law not identified wins only where none is); {TIE_RULE}"
)


def pick_winner(scores: Sequence[LawScore]) -> tuple[LawScore | None, str]:
    """Apply :data:`RULE` to the comparison's rows.

    Args:
        scores: One row per law, in the order given.

    Returns:
        The winning row (``None`` where no fit converged) and why it won, in words.
    """
    ok = {s.law: s for s in scores if s.ok}
    errors = {k: s.backtest.summary.median_are for k, s in ok.items()}
    sizes = {k: s.n_coefs for k, s in ok.items()}
    known = {k: v for k, v in errors.items() if ok[k].backtest.unidentified is None}
    chosen, tied = tie_break(known, sizes)
    if chosen is None:  # no identified law scored: the lowest of the others, with the caveat
        chosen, tied = tie_break(errors, sizes)
    if chosen is None:
        return None, "no fit converged"
    winner = ok[chosen]
    are = f"median ARE {errors[chosen]:.2%}"
    caveat = win_caveat(winner.law, winner.backtest.unidentified)  # a law not identified
    passed = _passed_over(ok, errors, chosen, known)
    some = chosen in known and len(known) < len(errors)  # others converged, not identified
    lowest = "the lowest of the identified laws" if some else "the lowest"
    if len(scores) == 1:  # nothing compared: "the lowest" of one would claim a ranking
        lowest = "the only law backtested"
    if len(tied) == 1:
        return winner, f"{are}, {lowest}{caveat}{passed}"
    others = ", ".join(k for k in tied if k != chosen)
    said = tie_said(chosen, tied, errors, sizes)
    return winner, f"{are}, tied with {others}; {said}{caveat}{passed}"


def _passed_over(
    ok: dict[str, LawScore], errors: dict[str, float], chosen: str, known: dict[str, float]
) -> str:
    """What the reason adds for the laws not identified that scored lower than every identified
    law, by more than a tie: each with its error and mark, and why it did not win; ``""``
    where none did."""
    if chosen not in known:
        return ""
    best = min(v for v in known.values() if math.isfinite(v))  # the winner is among them
    lower = [k for k, v in errors.items() if k not in known and v * (1 + TIE_RTOL) < best]
    if not lower:
        return ""
    each = join_and(
        [
            f"{k} ({errors[k]:.2%}, {unidentified_said(str(ok[k].backtest.unidentified))})"
            for k in lower
        ]
    )
    return (
        f"; {each} scored lower, but a law its fitted runs do not identify predicts away from "
        "the values they hold only where the solver stopped (identified laws win first)"
    )
