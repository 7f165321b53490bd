"""Whether a parabola in ``log10 N`` is a fair local model of each budget's loss, and the
window that makes it one.

A parabola's vertex is only as good as the parabola: an isoFLOP curve of
``E + A/N^α + B/D^β`` is a sum of two exponentials in ``log N``, close to a parabola within
a few tenths of a decade of its minimum and far from one over several decades, above all
when the sizes reach much further on one side of the minimum than on the other. The misfit
then moves the vertex by more than its noise, and resampling the runs cannot see it (every
resample misfits alike), so the interval excludes the truth. On a simulated 20-budget grid
spanning 4 decades (1 below the optimum, 3 above at the largest budget) the vertex at 1e21
FLOPs was 2.1B [2B, 2.22B] against a true 1.78B.

The test is a cubic term: fitted beside the parabola, is it significant (an F test, one
degree of freedom)? The level is 1% over all the budgets tested (Bonferroni: 1%/budgets per
budget), so noise alone warns on 1 data set in 100.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.special import fdtrc  # f.sf's own kernel; scipy.stats loads in 0.8 s

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted, format_flops, format_g
from scalinglab.validate._isoflop_budget import BudgetFit

__all__ = [
    "FAMILY_LEVEL",
    "check_window",
    "misfit_warning",
    "window_advice",
    "window_note",
    "window_runs",
]

Array = NDArray[np.float64]

#: Chance that noise alone warns, over all the budgets tested together.
FAMILY_LEVEL = 0.01
#: Fewest distinct sizes a budget needs for the cubic test (4 coefficients, and 1 left).
_MIN_SIZES = 5
#: The window suggested: half a decade each side, where the parabola is a fair model.
_SUGGESTED = 0.5


def check_window(window: object) -> float | None:
    """The window in decades, or ``None``.

    Raises:
        ConfigError: For a window that is no positive, finite number.
    """
    if window is None:
        return None
    real = isinstance(window, numbers.Real) and not isinstance(window, bool | np.bool_)
    value = float(window) if real else math.nan  # type: ignore[arg-type]
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(
            f"window must be a positive number of decades of N, got {window!r}",
            hint="e.g. --window 0.5 (window=0.5 in Python): the runs within ×3.2 of each "
            "budget's lowest-loss size",
        )
    return value


def window_runs(
    labels: NDArray[np.intp], log_n: Array, loss: Array, window: float
) -> tuple[NDArray[np.intp], int]:
    """Leave out (label -1) each budget's runs farther than ``window`` decades of ``N`` from
    the size of its lowest-loss run; the new labels and how many were left out."""
    kept = labels.copy()
    for j in np.unique(labels[labels >= 0]):
        idx = np.flatnonzero(labels == j)
        best = log_n[idx[int(np.argmin(loss[idx]))]]
        kept[idx[np.abs(log_n[idx] - best) > window + 1e-9]] = -1  # 1e-9: a grid's own ends
    return kept, int(((labels >= 0) & (kept < 0)).sum())


def window_note(cut: int, window: float) -> str:
    """The note on the ``cut`` runs ``window`` left out (:func:`window_runs`)."""
    whose, were = ("its", "was") if cut == 1 else ("their", "were")
    return (
        f"{format_counted(cut, 'run')} farther than {window:g} decades of N from {whose} "
        f"budget's lowest-loss run {were} left out (--window, window=)"
    )


def window_advice(
    before: NDArray[np.intp],
    after: NDArray[np.intp],
    log_n: Array,
    loss: Array,
    *,
    window: float | None,
    min_runs: int,
) -> str:
    """What to do where the window left budgets of ``min_runs`` runs with fewer: which of
    them it cut, and the narrowest window that keeps ``min_runs`` runs at two budgets (a
    law across budgets needs two), or at the one that can; ``""`` where it cut none so.

    Args:
        before: Each run's budget before the window (-1: none).
        after: Each run's budget after it (:func:`window_runs`).
        log_n: ``log10 N`` of each run.
        loss: Each run's loss.
        window: The window (``None``: none, and no advice).
        min_runs: The runs a budget's parabola needs.
    """
    if window is None:
        return ""
    full = [j for j in np.unique(before[before >= 0]) if (before == j).sum() >= min_runs]
    cut = [j for j in full if (after == j).sum() < min_runs]
    if not cut:
        return ""
    needs = []  # per budget, the narrowest window that keeps min_runs of its runs
    for j in full:
        idx = np.flatnonzero(before == j)
        best = log_n[idx[int(np.argmin(loss[idx]))]]
        needs.append(float(np.sort(np.abs(log_n[idx] - best))[min_runs - 1]))
    needs.sort()
    wider = math.ceil(needs[min(1, len(needs) - 1)] * 100 - 1e-6) / 100  # 2 digits, up
    at = sum(n <= wider + 1e-9 for n in needs)
    return (
        f"--window {window:g} (window=) left {format_counted(len(cut), 'budget')} of {min_runs}+ runs with "
        f"fewer: widen it (--window {wider:g} keeps {min_runs}+ runs at {format_counted(at, 'budget')}), "
        "or leave it out to fit each budget's every run"
    )


def _cubic_p(x: Array, y: Array) -> float:
    """p-value of the cubic term beside the parabola (F test); NaN when untestable."""
    u = (x - x.mean()) / (x.std() or 1.0)
    rss = []
    for degree in (2, 3):
        design = np.vander(u, degree + 1, increasing=True)
        coef = np.linalg.lstsq(design, y, rcond=None)[0]
        rss.append(float(((y - design @ coef) ** 2).sum()))
    df = len(x) - 4
    if rss[1] <= 0:  # exactly a cubic: a parabola misfits unless it is exactly one too
        return 0.0 if rss[0] > 0 else 1.0
    return float(fdtrc(1, df, (rss[0] - rss[1]) / (rss[1] / df)))


def misfit_warning(budgets: Sequence[BudgetFit], *, space: str, window: float | None) -> str | None:
    """A warning when the parabola misfits the loss at some budget, or ``None``.

    Args:
        budgets: The budgets used (each with a vertex inside its sizes).
        space: What the parabolas were fitted to: the loss (``"linear"``) or ``ln loss``.
        window: The window the runs were already cut to (``None``: none).
    """
    tested = [
        (b.flops, np.log10(b.params), np.log(b.loss) if space == "log" else np.asarray(b.loss),
         math.log10(b.params_opt.value))
        for b in budgets
        if len(set(b.params)) >= _MIN_SIZES
    ]  # fmt: skip
    if not tested:
        return None
    p = [_cubic_p(x, y) for _, x, y, _ in tested]
    bad = [i for i, v in enumerate(p) if v < FAMILY_LEVEL / len(tested)]
    if not bad:
        return None
    worst = min(bad, key=lambda i: p[i])
    # the most lopsided budget says why: the wider side is where the misfit pulls from
    side = max(bad, key=lambda i: _lopsided(tested[i][1], tested[i][3]))
    flops, x, _, v = tested[side]
    cut = (
        f"narrow --window further (window=; it is {window:g} decades)"
        if window is not None
        else f"--window {_SUGGESTED:g} (window={_SUGGESTED:g} in Python)"
    )
    return (
        f"the parabola misfits the loss at {len(bad)} of {len(tested)} budgets (a cubic term "
        f"is significant: p = {format_g(p[worst], 2)} at {format_flops(tested[worst][0])} FLOPs; "
        f"{FAMILY_LEVEL:.0%} over the budgets): its vertices may be biased beyond their "
        f"intervals (resampling cannot see a misfit), more so the wider and more lopsided the sizes (at {format_flops(flops)} FLOPs, "
        f"{v - x.min():.2g} decades of N below the vertex and {x.max() - v:.2g} above); fit "
        f"within a narrower window around each budget's minimum: {cut}"
    )


def _lopsided(x: Array, v: float) -> float:
    """How much wider one side of the sizes is than the other, in decades."""
    return float(abs((x.max() - v) - (v - x.min())))
