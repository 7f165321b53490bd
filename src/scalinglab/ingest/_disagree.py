"""A run's final loss as its tracker reported it against the last point of its history: a
history taken over the reported value silently when the two disagree would hide an export
that stops early or is down-sampled (or a summary that holds a best value, not the last)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._format import format_counted, format_g
from scalinglab.ingest._final import FinalRule, final_values
from scalinglab.ingest._source import RUN, STEP

__all__ = ["TOLERANCE", "disagreement_note", "reported_note"]

#: Relative difference beyond which a reported final loss and its history's last point
#: disagree: both are the same logged float when the history is whole, so anything beyond
#: rounding in an export says the two are not the same point.
TOLERANCE = 1e-3


def disagreement_note(
    history: pd.DataFrame | None,
    n_runs: int,
    runs: Sequence[tuple[int, str, float | None]],
    metric: str,
    rule: FinalRule,
    *,
    said_by: str = "reported",
    said_as: str | None = None,
    otherwise: str = "without --history, the reported value is stored",
) -> list[str]:
    """The note for the runs whose reported ``metric`` is not their history's last point.

    Args:
        history: The points (``_run``, ``_step``, metrics), ordered by run, then step.
        n_runs: Number of runs.
        runs: ``(index, name, reported value or None)`` of the runs whose final value was
            taken from their history.
        metric: The loss's name in the source.
        rule: The rule the final value was taken by.
        said_by: Whose value the history's is held to (``reported``, ``table``).
        said_as: That value's name where it is not ``metric`` (a table's ``loss`` column
            held to an ``eval_loss`` curve).
        otherwise: How to store that value instead.
    """
    said = [(k, run, value) for k, run, value in runs if value is not None]
    if history is None or not said:
        return []
    values = history[metric].to_numpy(dtype=np.float64)
    last = final_values(
        history[RUN].to_numpy(), history[STEP].to_numpy(), values, n_runs,
        FinalRule("last"), presorted=True,
    )  # fmt: skip
    found = [
        (run, value, float(last[k]))
        for k, run, value in said
        if not np.isclose(value, last[k], rtol=TOLERANCE, atol=0.0)
    ]
    if not found:
        return []
    shown = "; ".join(
        f"{run!r}: {said_by} {format_g(value)}, history's last {format_g(end)}"
        for run, value, end in found[:3]
    ) + (" ..." if len(found) > 3 else "")
    said_as = metric if said_as is None else said_as
    of = "" if said_as == metric else f" of {metric!r}"
    return [
        f"warning: {format_counted(len(found), 'run')} whose {said_by} {said_as!r} differs from "
        f"the last point of {'its' if len(found) == 1 else 'their'} history{of} by more than {TOLERANCE:.1%} ({shown}): stored the "
        f"{rule.describe(metric)} from the history, as --final {rule} asks; a history that "
        "stops early or is down-sampled, or a summary holding a best value, would explain "
        f"it: check the export ({otherwise})"
    ]


def reported_note(reported: Sequence[str], metric: str, rule: FinalRule) -> list[str]:
    """The note on the runs ``reported`` whose tracker logged no history of ``metric``,
    so that their final loss is the reported value, not ``rule``'s; none without them."""
    if not reported:
        return []
    shown = ", ".join(map(repr, reported[:3])) + (" ..." if len(reported) > 3 else "")
    one = len(reported) == 1
    return [
        f"{format_counted(len(reported), 'run')} {'has' if one else 'have'} no {metric!r} "
        f"history ({shown}): {'its' if one else 'their'} final loss is the tracker's reported "
        f"value, not --final {rule} (see final_rule)"
    ]
