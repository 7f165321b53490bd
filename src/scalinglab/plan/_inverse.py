"""The compute interval of a target loss: the fit's prediction band for one run, inverted.

A target loss is met by a run, not by the law's mean, so the compute it needs has the
inverse-prediction (calibration) interval of the fit's prediction band for one run at the
compute-optimal ``(N*(C), D*(C))``: :meth:`FitResult.predict`'s interval there, of the kind
it gives (calibrated by the fit's backtests where it measured them, else bootstrap and
noise), at the plan's level. The lower end is the compute where the band's lower bound
reaches the target (a share ``(1 - level)/2`` of runs would reach it there), the upper end
where its upper bound does (a share ``(1 + level)/2`` would). The spread of the bootstrap
fits' own compute, the law's mean alone, leaves out the noise and the extrapolation error.
For a law of compute alone, ``L(C)``, the band is the fit's prediction interval at ``C``
itself, ``predict(flops=C)``.

Each end is found by :func:`._invert.invert_band` (a walk out from the point estimate's
compute ``C*`` in half decades, then bisection; each step one :meth:`predict` at one point,
so every value is the one ``plan --compute`` prints there), over ``[C_MIN, C_MAX]``: an end
never reached is unbounded (0 or ``inf``); that, and a bound that crosses back within 3
decades (a calibrated band widens with the distance beyond the runs faster than the law
falls, far out), each get a note.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab.fit._far import past_measured
from scalinglab.plan._allocation import optimum
from scalinglab.plan._invert import invert_band
from scalinglab.plan._search import planning_symbols
from scalinglab.plan._source import Rows, Source, compute_symbol

__all__ = ["ComputeInterval", "compute_interval", "past_measured_notes"]


@dataclass(frozen=True)
class ComputeInterval:
    """The compute interval of a target loss and what it is.

    Attributes:
        lower: Compute where the band's lower bound reaches the target (0: never, down to
            ``C_MIN``); NaN without an interval.
        upper: Compute where its upper bound does (``inf``: never, up to ``C_MAX``).
        kind: The prediction interval's kind, as :meth:`FitResult.predict` says it
            (``"backtest-calibrated"``, ``"bootstrap"``), or ``"none"``.
        notes: An end never reached, a bound crossing back, a width past the backtests.
    """

    lower: float
    upper: float
    kind: str
    notes: tuple[str, ...] = ()


def compute_interval(source: Source, rows: Rows, *, target: float, log_c: float) -> ComputeInterval:
    """The inverse-prediction interval of the compute for ``target``.

    Args:
        source: What was planned from; without ``predict`` (a preset) there is no interval.
        rows: Its law, point estimate and samples; without samples there is none either
            (as a budget's loss interval).
        target: The target loss.
        log_c: ``log C*``, where the point estimate's compute-optimal loss is ``target``.
    """
    # by the law's symbols: the fit may read N from any column (--x N=nonemb)
    predict = getattr(source, "_predict_symbols", None)
    if predict is None or rows.n_samples == 0:
        return ComputeInterval(math.nan, math.nan, "none")
    law, point, level = rows.law, rows.values[:1], rows.level
    alone = compute_symbol(law)
    n_sym, d_sym = ("", "") if alone is not None else planning_symbols(law)
    known: dict[float, dict[str, float]] = {}  # log C -> the run there, by the law's symbols

    def prefetch(xs: np.ndarray) -> np.ndarray:
        """``(N*, D*)`` at every ``log C`` of ``xs`` in one (vectorized) search, kept; for
        a law of compute alone, ``C`` itself (no search)."""
        if alone is not None:
            known.update((x, {alone: math.exp(x)}) for x in xs.tolist())
            return xs
        opt, _ = optimum(law, np.repeat(point, len(xs), axis=0), xs, rows.flops)
        n, d = np.exp(opt.log_n).tolist(), np.exp(opt.log_d).tolist()
        for k, x in enumerate(xs.tolist()):
            known[x] = {n_sym: n[k], d_sym: d[k]}
        return xs

    def at(x: float) -> dict[str, float]:
        if x not in known:
            prefetch(np.array([x]))
        return known[x]

    def band(x: float) -> tuple[float, float]:
        # the search reads the numbers alone: notes cost as much as the prediction
        p = predict(at(x), level=level, notes="none")
        return float(np.ravel(p.lower)[0]), float(np.ravel(p.upper)[0])

    kind = str(predict(at(log_c), level=level, notes="none").interval_kind)
    ex = getattr(source, "extrapolation", None)
    unbounded = None if ex is None else ex.level_note(level)
    if unbounded is not None:  # the band is [0, inf) at every compute: nothing to invert
        said = f"{unbounded}; so the compute interval has no ends (0 to ∞)"
        return ComputeInterval(0.0, math.inf, kind, (said,))
    found = invert_band(
        band, target=target, log_c=log_c, falling=True, quantity="loss", prefetch=prefetch
    )
    notes = list(found.notes)
    if not math.isnan(found.upper):
        notes += past_measured_notes(ex, kind, at(found.upper), runs="the fitted runs")
    return ComputeInterval(*found.compute, kind, tuple(notes))


def past_measured_notes(
    ex: object, kind: str, at: Mapping[str, float], *, runs: str, whose: str = "its"
) -> list[str]:
    """A note where the upper end of a backtest-calibrated compute interval (at ``at``, by
    the law's symbols) lies past the farthest distance the backtests measured (``ex``, an
    :class:`~scalinglab.fit._extrapolation.Extrapolation`, or ``None``): the band's width
    there is the measured growth, carried on. ``runs`` and ``whose`` name what was fitted
    and whose backtests they are (``"the fitted runs"``, ``"its"``)."""
    if ex is None or kind != "backtest-calibrated":
        return []
    far = float(past_measured(ex, at))
    if not far > 0:
        return []
    measured = float(ex.measured)  # type: ignore[attr-defined]
    return [
        f"the compute interval's upper end lies {far:.2f} decades beyond {runs}, past the "
        f"{measured:.2f} {whose} backtests reached: the prediction interval's width there "
        "extends the error's measured growth with distance, it is not measured"
    ]
