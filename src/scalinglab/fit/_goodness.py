"""Goodness of fit: a law whose shape cannot follow the runs, said in one line.

The other checks of :mod:`._diagnostics` read the parameters; a law can converge to sound
ones and still miss every run (``log(N) - A`` on a ladder: its loss rises with size where
the runs' falls). The check compares the spread of the log residuals with the spread of the
log losses, both as median absolute deviations, so a few diverged runs (which a Huber fit
leaves far off its curve) move neither: the share of the runs' spread the law explains is
``1 - (MAD(residuals) / MAD(log loss))²``, a robust R². Under :data:`MIN_EXPLAINED` the law
misses more than it follows. Sound fits are far above it (measured 2026-12-03, bootstrap
off): the Chinchilla and over-training laws on the Chinchilla points and the three
over-training sets explain 100%, on StepLaw's best cells 96%; even a law of compute alone
on IsoFLOP runs, which it cannot tell apart within a budget, 76-83%. Runs whose spread may
be noise alone (no law explains it) are not judged: :data:`MIN_SPREAD`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from scalinglab._format import format_g
from scalinglab._quantiles import median
from scalinglab.laws import Law

__all__ = ["MIN_EXPLAINED", "MIN_SPREAD", "misfit"]

#: Share of the runs' (robust) spread of log loss a law must explain: under it, a warning.
MIN_EXPLAINED = 0.5
#: Runs whose log losses spread less than this (median absolute deviation, 1%) are not
#: judged: their spread may be noise, which no law explains.
MIN_SPREAD = 0.01


def misfit(
    law: Law,
    params: Mapping[str, float],
    data: Mapping[str, Any],
    observed: ArrayLike,
    *,
    unread: str | None = None,
) -> str | None:
    """The warning for a law that explains under :data:`MIN_EXPLAINED` of the spread of
    the runs' log loss ``observed`` (at ``data``, with ``params``), or ``None``; ``unread``:
    why, where the runs vary in a size the law does not read
    (:func:`._unread.unread_sizes`), said in place of "its shape does not suit these data"."""
    y = np.asarray(observed, dtype=np.float64).reshape(-1)
    theta = np.array([params[n] for n in law.param_names], dtype=np.float64)
    with np.errstate(all="ignore"):
        pred = np.asarray(law.evaluate(theta, data), dtype=np.float64).reshape(-1)
    if len(y) < 3 or pred.shape != y.shape or not (y > 0).all():
        return None
    ok = np.isfinite(pred) & (pred > 0)
    log_y = np.log(y)
    spread = median(np.abs(log_y - median(log_y)))
    if spread < MIN_SPREAD:
        return None
    r = np.where(ok, log_y - np.log(np.where(ok, pred, 1.0)), np.inf)
    res = median(np.abs(r - median(r[ok]))) if ok.sum() > len(y) / 2 else np.inf
    explained = 1 - (res / spread) ** 2
    if explained >= MIN_EXPLAINED:
        return None
    share = f"{max(explained, 0.0):.0%}" if np.isfinite(explained) else "none"
    against = ""
    law_log, runs_log = np.log(pred[ok]), log_y[ok]
    # both must vary: the runs the law reaches may share one loss (fewer than half of them
    # reached), where a correlation is 0/0
    if ok.sum() >= 3 and np.ptp(law_log) > 0 and np.ptp(runs_log) > 0:
        c = float(np.corrcoef(law_log, runs_log)[0, 1])
        if c < 0:
            against = f"; its loss moves against the runs' (correlation {c:+.2f})"
    return (
        f"the law does not follow the runs: it explains {share} of the spread of their log "
        f"loss (under {MIN_EXPLAINED:.0%}; median absolute deviations: residuals "
        f"{format_g(res, 3)}, losses {format_g(spread, 3)}){against} — "
        + (unread or "its shape does not suit these data: fit another law")
    )
