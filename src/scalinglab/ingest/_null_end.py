"""A W&B loss that ends in a null (or NaN) logged in the run's own step: the run diverged.

A W&B history has one row per step where anything was logged, with a null (NaN once read)
in every metric not logged at that step; and the NaN a diverged run logs becomes a null too
on its way through pandas (``to_parquet``, ``to_csv``, ``to_json``). So a null in the loss's
last row says nothing by itself: an evaluation loss logged every 100 steps is null on the
steps between, and a last row that holds only a final evaluation has no training loss.

The rule read here: the loss's *companions* are the metrics logged on exactly the rows the
loss was logged on, from its first finite value to its last (over at least :data:`SEEN`
of them): ``lr`` or ``grad_norm`` beside a training loss logged each step, ``eval/acc``
beside an evaluation loss. A row after the loss's last finite value where a companion was
logged is one where the loss was logged too, as on every row before, and that value was NaN:
the run diverged. A loss without companions (logged alone, or on another cadence than every
other metric) is never judged so; a sparse evaluation loss's null on a training step is not.
The tracker's own columns (``_runtime``, ``_timestamp``: on every row) are no companions.
It is the last reason asked for: the curve screen's (a NaN tail of
:data:`~scalinglab.curves._diverged.MIN_TAIL` rows or more) and a NaN the run table reports
say why first.
"""

from __future__ import annotations

import numpy as np

from scalinglab._format import format_g
from scalinglab.ingest._source import RUN, STEP, Source

__all__ = ["SEEN", "null_ended"]

#: The fewest rows the loss is logged on before its companions say where it is logged.
SEEN = 3


def _counts(mask: np.ndarray) -> np.ndarray:
    """Cumulative counts with a leading 0: ``c[j] - c[i]`` is how many of ``mask[i:j]``."""
    out = np.zeros(len(mask) + 1, dtype=np.int64)
    np.cumsum(mask, out=out[1:])
    return out


def null_ended(source: Source, name: str) -> dict[int, str]:
    """Run index -> why its W&B loss ``name`` ended in a NaN it logged (see the module), for
    ``source.history`` ordered by run, then step; ``{}`` for other trackers (MLflow and
    TensorBoard keep a logged NaN as one) or a history without ``name``."""
    history = source.history
    if source.kind != "wandb" or history is None or name not in history.columns:
        return {}
    runs = history[RUN].to_numpy()
    steps = history[STEP].to_numpy()
    values = history[name].to_numpy(dtype=np.float64)
    if len(runs) == 0:
        return {}
    logged = np.isfinite(values)
    at = np.arange(len(runs))
    bounds = np.flatnonzero(np.r_[True, runs[1:] != runs[:-1], True])
    starts, ends = bounds[:-1], bounds[1:]
    n_logged = np.add.reduceat(logged.astype(np.int64), starts)
    first = np.minimum.reduceat(np.where(logged, at, len(runs)), starts)
    last = np.maximum.reduceat(np.where(logged, at, -1), starts)
    # runs whose loss was logged enough times and has rows after its last finite value
    judged = np.flatnonzero((n_logged >= SEEN) & (last < ends - 1))
    if not len(judged):
        return {}
    out: dict[int, str] = {}
    for other in history.columns:
        if other in (RUN, STEP, name) or str(other).startswith("_"):  # W&B's own: every row
            continue
        seen = np.isfinite(history[other].to_numpy(dtype=np.float64))
        differ = _counts(seen != logged)
        counts = _counts(seen)
        for j in judged:
            k = int(runs[starts[j]])
            a, b, end = int(first[j]), int(last[j]) + 1, int(ends[j])
            if k in out or differ[b] - differ[a] or counts[end] - counts[b] == 0:
                continue
            row = b + int(np.argmax(seen[b:end]))
            out[k] = (
                f"its {name!r} is NaN (or null) at step {format_g(steps[row])}, where {other!r}, "
                f"logged with it on each of its {int(n_logged[j])} steps before, was logged "
                f"(after {format_g(values[b - 1], 4)} at step {format_g(steps[b - 1])})"
            )
    return out
