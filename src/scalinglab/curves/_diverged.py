"""Which logged losses of a run a curve fit can use, and whether the run diverged.

A curve reader leaves a diverged run out, naming it and why, unless told to keep it
(``keep_diverged=True``, ``--keep-diverged``), as ``hparams fit`` keeps a sweep's diverged
runs out of its surfaces. A run diverged when its loss

- is ``inf`` at any logged step; or
- turns NaN (or stops being logged) and stays so to the run's last logged step, over at
  least :data:`MIN_TAIL` rows and more than any gap between its first and last logged
  losses: a sparse column (an eval loss logged on every 4th row of a W&B history export)
  has gaps of one length throughout, its last rows included, while a dense one that turns
  NaN has none; and the last row or two of an export may hold only a summary or an
  evaluation, without the training loss. Rows before the first logged loss (an export
  whose first rows hold other metrics) are no gap: they would hide a NaN tail; or
- ends above :data:`FACTOR` times its lowest: the median of its last :data:`WINDOW` finite
  losses against the lowest median of any :data:`WINDOW` consecutive ones.

Why these numbers: :data:`FACTOR` is ``hparams fit``'s factor over a sweep cell's best loss
(``diverged=1.5``). A training loss falls but for bumps (the first steps of a warm-up, a
spike that recovers, the rise when a schedule raises the rate again), and a bump that has
not recovered by the end is a few percent: each of the 18 shared lr-schedule curves (nine
schedules, two sizes) ends at its lowest (ratio 1.000). A run whose rate is too high sits
near its initial loss: the 3x-lr run of the sweep that motivated this rule ended at 11.2
after a lowest of 3.63 (3.1x). Medians of :data:`WINDOW` points keep a spike of one or two
points, at the end or at the bottom, from deciding.

Isolated missing losses (blank or NaN, followed by a logged one) are not a divergence: the
reader skips those rows, saying how many of which runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g

__all__ = ["FACTOR", "MIN_TAIL", "RULE", "WINDOW", "Screened", "screen"]

FACTOR = 1.5
WINDOW = 5
MIN_TAIL = 3
#: The rule in words, for every note that names a diverged run: the medians, as :func:`screen`
#: takes them, so a run whose last point or two spike is not called diverged by it.
RULE = (
    f"a loss that turns inf, or NaN and stays so, or whose median over its last {WINDOW} "
    f"points is above {FACTOR:g}x its lowest median over {WINDOW} consecutive ones, counts "
    "as diverged"
)


@dataclass(frozen=True)
class Screened:
    """One run's losses, screened.

    Attributes:
        finite: Which logged rows have a finite loss (the points a fit can use).
        reason: Why the run looks diverged, in words; ``""`` when it does not.
    """

    finite: NDArray[np.bool_]
    reason: str


def _longest_gap(missing: NDArray[np.bool_]) -> int:
    """The most consecutive ``True`` in ``missing``."""
    longest = current = 0
    for m in missing.tolist():
        current = current + 1 if m else 0
        longest = max(longest, current)
    return longest


def screen(step: NDArray[np.float64], loss: NDArray[np.float64]) -> Screened:
    """Screen one run's losses (``NaN`` where missing) at its increasing ``step``."""
    finite = np.isfinite(loss)
    inf = np.isinf(loss)
    if inf.any():
        i = int(np.argmax(inf))
        return Screened(finite, f"its loss is {format_g(loss[i])} at step {format_g(step[i])}")
    if not finite.any():
        return Screened(finite, "its loss is NaN or missing at every logged step")
    logged = np.flatnonzero(finite)
    first, last = int(logged[0]), int(logged[-1])
    tail = len(loss) - 1 - last
    if tail >= MIN_TAIL and tail > _longest_gap(~finite[first:last]):
        return Screened(
            finite,
            f"its loss is NaN or missing from step {format_g(step[last + 1])} on (its last {tail} rows), "
            f"after {format_g(loss[last], 4)} at step {format_g(step[last])}",
        )
    values, at = loss[finite], step[finite]
    w = min(WINDOW, len(values))
    medians = np.median(np.lib.stride_tricks.sliding_window_view(values, w), axis=1)
    low = int(np.argmin(medians))
    end, lowest = float(medians[-1]), float(medians[low])
    if end > FACTOR * lowest:
        return Screened(
            finite,
            f"its loss ends at {format_g(end, 4)}, {end / lowest:.1f}x its lowest ({format_g(lowest, 4)} near "
            f"step {format_g(at[low + w // 2])})",
        )
    return Screened(finite, "")
