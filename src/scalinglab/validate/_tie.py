"""The one rule that picks a law from backtest errors, for ``backtest``'s winner and for
``--law auto`` (:func:`scalinglab.validate.choose_law`) alike.

::

    tie_break({"chinchilla": 0.0101, "kaplan": 0.0099}, {"chinchilla": 5, "kaplan": 4})
    # ("kaplan", ("chinchilla", "kaplan"))

The lowest median extrapolation error wins; laws within :data:`TIE_RTOL` of it are tied,
and the tie goes to the fewest parameters (then the lower error, then the order given).

Why the fewest parameters and not the lowest BIC (``backtest``'s rule before; the two
commands could name different laws on the same runs): a tie says the held-out scales cannot
tell the laws apart, and what is left to choose on is how each extrapolates past them. Every
parameter more is one more the data must pin down, and its error is multiplied by the
distance predicted, beyond anything the backtests measured. BIC instead scores the fit to
the runs fitted (the in-sample fit a backtest sets aside), from the pseudo-likelihood of a
Huber fit; among laws of equal size it is the in-sample fit alone. And ``--law auto`` has no
full fit of every candidate to take a BIC from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scalinglab._format import format_g

__all__ = ["TIE_RTOL", "TIE_RULE", "tie_break", "tie_said"]

#: Errors within this relative distance of the lowest are a tie.
TIE_RTOL = 0.05
#: The rule, in words.
TIE_RULE = f"within {TIE_RTOL:.0%} of the lowest counts as a tie, broken by the fewest parameters"


def tie_break(
    errors: Mapping[str, float], sizes: Mapping[str, int]
) -> tuple[str | None, tuple[str, ...]]:
    """The law the rule picks and the laws tied with it (itself included, in order given).

    Args:
        errors: Law -> its median extrapolation error; a non-finite error is not in the race.
        sizes: Law -> its number of fitted parameters.

    Returns:
        ``(law, tied)``; ``(None, ())`` when no error is finite.
    """
    ok = {k: v for k, v in errors.items() if math.isfinite(v)}
    if not ok:
        return None, ()
    best = min(ok.values())
    tied = tuple(k for k, v in ok.items() if v <= best * (1 + TIE_RTOL))
    order = {k: i for i, k in enumerate(ok)}
    return min(tied, key=lambda k: (sizes[k], ok[k], order[k])), tied


def tie_said(
    chosen: str,
    tied: tuple[str, ...],
    errors: Mapping[str, float],
    sizes: Mapping[str, int],
    *,
    counted: bool = True,
) -> str:
    """What broke the tie :func:`tie_break` broke, in words: the fewest parameters (with
    their number where ``counted``); where others tied have as few, the lower error, with
    both errors to the digits that tell them apart; where those are equal too, the order
    given."""
    n = sizes[chosen]
    same = [k for k in tied if k != chosen and sizes[k] == n]
    if not same:
        return f"fewest parameters ({n})" if counted else "fewest parameters"
    fewest = f"fewest parameters ({n}, as many as {', '.join(same)})"
    nearest = min(errors[k] for k in same)
    if errors[chosen] < nearest:
        return f"{fewest}, then the lower error ({_apart(errors[chosen], nearest)})"
    return f"{fewest} and the same error: the first given"


def _apart(low: float, high: float) -> str:
    """Two errors as percentages with the fewest digits (2 to 8 decimals) that tell them
    apart; errors equal to 8 decimals (one law fitted twice, as a name and as its formula)
    differ by rounding alone, and are said to."""
    for digits in range(2, 9):
        a, b = f"{low:.{digits}%}", f"{high:.{digits}%}"
        if a != b:
            return f"{a} against {b}"
    return f"{low:.2%} both, apart by {format_g(high - low, 1)} of rounding"
