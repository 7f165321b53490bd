"""A final loss logged well before the run's end: evaluated every 1024 steps, a run trained
to step 14144 has its last eval loss at 13376, while its tokens count to the end, so its
(N, D, loss) point is off in D."""

from __future__ import annotations

import numpy as np

from scalinglab._format import format_counted, join_more

__all__ = ["GAP", "early_loss_note"]

#: How far before the run's last logged step (a fraction of it) the loss may end unsaid:
#: 2% of the tokens moves a Chinchilla loss by far less than its noise, more may not.
GAP = 0.02


def early_loss_note(
    runs: np.ndarray, steps: np.ndarray, loss: np.ndarray, names: dict[int, str], metric: str
) -> list[str]:
    """A warning naming the runs (of ``names``: run index -> name) whose last ``metric``
    point is more than :data:`GAP` of their steps before their last logged step.

    Args:
        runs: Run index of each history row, ordered by run, then step.
        steps: Step of each row.
        loss: The loss metric of each row (NaN where not logged).
        names: The runs to look at.
        metric: The loss metric's name.
    """
    if not len(runs) or not names:
        return []
    n = int(runs.max()) + 1
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, runs, steps.astype(np.int64))
    logged = np.isfinite(loss)
    at = np.full(n, -1, dtype=np.int64)
    np.maximum.at(at, runs[logged], steps[logged].astype(np.int64))
    early = [
        (names[k], int(at[k]), int(last[k]))
        for k in sorted(names)
        if at[k] >= 0 and last[k] > 0 and last[k] - at[k] > GAP * last[k]
    ]
    if not early:
        return []
    shown = join_more([f"{name!r}: step {a} of {b}" for name, a, b in early], 3, sep="; ")
    worst = max((b - a) / b for _, a, b in early)
    its = "its" if len(early) == 1 else "their"
    return [
        f"warning: {format_counted(len(early), 'run')} last "
        f"{'logs' if len(early) == 1 else 'log'} {metric!r} well before {its} last logged step "
        f"({shown}; up to {worst:.0%} of the run earlier): {its} final loss is of fewer "
        f"tokens than the stored tokens (the run's end), so {its} (N, D, loss) point is off in D. "
        f"Log {metric!r} at the last step, or take the final loss from a curve logged to the "
        "end (--map loss=METRIC: the training loss)"
    ]
