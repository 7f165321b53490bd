"""The warning for a run whose final loss is a spike: stored by ``--final`` (the last point,
by default) but far above the lowest value the same rule takes anywhere on the curve (the
lowest point; under ``mean:K`` the lowest mean of K consecutive points: the mean of the last K
points of a falling curve reaching back to its first, high points is no spike), and not
judged diverged (the divergence screen takes medians of five points, so one or two high
points at the end pass it); the warning says so, beside the diverged runs' warning, whose
rule names the medians. The factor and window are the divergence screen's
(:data:`scalinglab.curves._diverged.FACTOR`, :data:`~scalinglab.curves._diverged.WINDOW`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scalinglab._format import format_counted, format_g, join_more
from scalinglab.curves._diverged import FACTOR, WINDOW
from scalinglab.ingest._final import FinalRule, lowest_values

__all__ = ["end_spike_note"]


def end_spike_note(
    runs: np.ndarray,
    steps: np.ndarray,
    values: np.ndarray,
    final: np.ndarray,
    judged: Sequence[tuple[int, str]],
    *,
    name: str,
    rule: FinalRule,
) -> list[str]:
    """The warning naming the ``judged`` runs (index, name: stored from their curve, not
    diverged) whose ``final`` loss is above :data:`FACTOR` times the lowest ``rule`` takes
    on their curve (:func:`~scalinglab.ingest._final.lowest_values`).

    Args:
        runs: Run index of each point, sorted by run, then step (as ``steps``).
        steps: Step of each point.
        values: The loss ``name`` at each point (NaN where not logged).
        final: Each run's final loss by ``rule``.
        judged: ``(run index, run name)`` of the runs to check.
        name: The loss's metric name, for the message.
        rule: The ``--final`` rule the final losses were taken by.
    """
    lowest = lowest_values(runs, steps, values, len(final), rule, presorted=True)
    found = [
        (run, float(final[k]), float(lowest[k]))
        for k, run in judged
        if lowest[k] > 0 and final[k] > FACTOR * lowest[k]
    ]
    if not found:
        return []
    shown = join_more(
        [
            f"{run!r}: final {format_g(end, 4)}, lowest {format_g(low, 4)}"
            for run, end, low in found
        ],
        3,
        sep="; ",
    )
    if rule.kind == "mean":  # like with like: the lowest mean of as many points
        against = f"their lowest mean of {rule.k} consecutive logged {name!r}"
        stored, instead = "in", f"--final mean:K with a K above {rule.k}"
    else:
        against = f"their lowest logged {name!r}"
        stored, instead = "as", "--final mean:K (the mean of the last K points)"
    its = "its" if len(found) == 1 else "their"
    return [
        f"warning: {format_counted(len(found), 'run')} {'ends' if len(found) == 1 else 'end'} "
        f"above {FACTOR:g}x {against.replace('their', its)} "
        f"({shown}): not diverged, as the median of {its} last {WINDOW} points is within "
        f"{FACTOR:g}x {its} lowest median (a spike of too few points), so stored finished with "
        f"the spike {stored} {its} final loss (--final {rule}); take --final min, or {instead}"
    ]
