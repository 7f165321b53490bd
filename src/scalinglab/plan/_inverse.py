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

Each end is found in ``log C``: a walk out from the point estimate's compute ``C*`` in half
decades brackets the first crossing, and bisection narrows it to below 2e-11 in ``log C``
(each step one :meth:`predict` at one point, so every value is the one ``plan --compute``
prints there). The walk goes on to the end of the range searched, ``[C_MIN, C_MAX]``, to
check that the band is monotone: a calibrated band widens with the distance beyond the
runs, so far out its upper bound may turn and rise again (the error grows faster than the
law falls) and, for a target near the law's floor, never reach it. An end never reached is
unbounded (0 or ``inf``); that, and a bound that crosses back within 3 decades, each get a
note.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scalinglab._format import format_flops
from scalinglab.plan._allocation import optimum
from scalinglab.plan._far import past_measured
from scalinglab.plan._search import C_MAX, C_MIN, planning_symbols
from scalinglab.plan._source import Rows, Source, compute_symbol

__all__ = ["ComputeInterval", "compute_interval"]

#: Step of the walk that brackets each end, in ``log C`` (half a decade).
_STEP = 0.5 * math.log(10.0)
#: Bisection steps: half a decade / 2**36 is below 2e-11 in ``log C``.
_BISECTION_STEPS = 36
#: A bound crossing back this near its end (3 decades) is noted; farther, the law is long
#: past anything its runs test (the default fit's turns back 17 decades out).
_NEAR = 3 * math.log(10.0)


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


@dataclass(frozen=True)
class _Walk:
    """Where a bound first reaches the target on a walk (``end``, NaN: never), where it
    crosses back past that (``again``, NaN: never), and where it came nearest before."""

    end: float
    again: float
    nearest: tuple[float, float]  # (gap to the target, log C)


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
        opt, _ = optimum(law, np.repeat(point, len(xs), axis=0), xs)
        n, d = np.exp(opt.log_n).tolist(), np.exp(opt.log_d).tolist()
        for k, x in enumerate(xs.tolist()):
            known[x] = {n_sym: n[k], d_sym: d[k]}
        return xs

    def at(x: float) -> dict[str, float]:
        if x not in known:
            prefetch(np.array([x]))
        return known[x]

    def band(x: float) -> tuple[float, float]:
        p = predict(at(x), level=level)
        return float(np.ravel(p.lower)[0]), float(np.ravel(p.upper)[0])

    kind = str(predict(at(log_c), level=level).interval_kind)
    down = _walk(lambda x: target - band(x)[0], prefetch(_steps(log_c, math.log(C_MIN))))
    up = _walk(lambda x: band(x)[1] - target, prefetch(_steps(log_c, math.log(C_MAX))))
    lower = 0.0 if math.isnan(down.end) else math.exp(down.end)
    upper = math.inf if math.isnan(up.end) else math.exp(up.end)
    notes = []
    if math.isnan(down.end):
        notes.append(
            f"the prediction interval's lower bound stays below loss {target:g} down to "
            f"{_flops(C_MIN)} FLOPs, the least compute searched: the compute interval has no "
            "lower end (0)"
        )
    elif abs(down.again - down.end) <= _NEAR:  # NaN (never crosses back): False
        notes.append(
            f"the prediction interval's lower bound rises above loss {target:g} below "
            f"{_flops(lower)} FLOPs but falls below it again near {_flops(math.exp(down.again))} "
            "FLOPs (it widens below the runs faster than the law rises): the lower end is "
            "where it first crosses"
        )
    if math.isnan(up.end):
        near = up.nearest[1]
        xs = np.linspace(max(near - _STEP, log_c), min(near + _STEP, math.log(C_MAX)), 101)
        gap, x = _lowest(lambda x: band(x)[1] - target, up.nearest, prefetch(xs))
        notes.append(
            f"the prediction interval's upper bound never falls to loss {target:g} up to "
            f"{_flops(C_MAX)} FLOPs (from {_flops(math.exp(log_c))} FLOPs on, its lowest is "
            f"{target + gap:.4g}, near {_flops(math.exp(x))} FLOPs): a run may miss the target "
            "at any compute, and the compute interval has no upper end (∞)"
        )
    elif abs(up.again - up.end) <= _NEAR:
        notes.append(
            f"the prediction interval's upper bound falls to loss {target:g} at {_flops(upper)} "
            f"FLOPs but rises above it again near {_flops(math.exp(up.again))} FLOPs (it widens "
            "with the distance beyond the runs faster than the law falls): the upper end is "
            "where it first falls to it"
        )
    if not math.isnan(up.end):
        notes += _past_measured(source, kind, at(up.end))
    return ComputeInterval(lower, upper, kind, tuple(notes))


def _steps(start: float, stop: float) -> np.ndarray:
    """``log C`` from ``start`` to ``stop`` in equal steps of at most :data:`_STEP`."""
    return np.linspace(start, stop, max(1, math.ceil(abs(stop - start) / _STEP)) + 1)


def _walk(gap: Callable[[float], float], xs: np.ndarray) -> _Walk:
    """Walk the steps ``xs``: the first point where ``gap <= 0`` (bisected between it and the
    step before), the first point past it where ``gap > 0`` again, and the least gap before
    it (NaN gaps count as not reached)."""
    end, nearest = math.nan, (math.inf, float(xs[0]))
    for k, x in enumerate(map(float, xs)):
        value = gap(x)
        if math.isnan(end):
            if value <= 0:
                end = x if k == 0 else _bisect(gap, float(xs[k - 1]), x)
            elif value < nearest[0]:
                nearest = (value, x)
        elif value > 0:
            return _Walk(end, x, nearest)
    return _Walk(end, math.nan, nearest)


def _lowest(
    gap: Callable[[float], float], near: tuple[float, float], xs: np.ndarray
) -> tuple[float, float]:
    """The least ``gap`` on the fine grid ``xs`` around the walk's nearest point ``near`` (a
    hundredth of a decade apart: what a note prints to four digits), or ``near``."""
    values = np.array([gap(float(v)) for v in xs])
    k = int(np.nanargmin(values)) if np.any(np.isfinite(values)) else 0
    return (float(values[k]), float(xs[k])) if values[k] < near[0] else near


def _bisect(gap: Callable[[float], float], outside: float, inside: float) -> float:
    """The point between ``outside`` (``gap > 0`` or NaN) and ``inside`` (``gap <= 0``)
    where ``gap`` reaches 0."""
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (outside + inside)
        if gap(mid) <= 0:
            inside = mid
        else:
            outside = mid
    return 0.5 * (outside + inside)


def _flops(x: float) -> str:
    """A FLOP count as the plan table prints it, without a leading zero in the exponent."""
    mantissa, _, exponent = format_flops(x).partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def _past_measured(source: Source, kind: str, at: dict[str, float]) -> list[str]:
    """A note where the upper end of a calibrated interval (at ``at``, by the law's
    symbols) lies past the farthest distance the fit's backtests measured: the band's width
    there is the measured growth, carried on."""
    ex = getattr(source, "extrapolation", None)
    if ex is None or kind != "backtest-calibrated":
        return []
    far = float(past_measured(ex, at))
    if not far > 0:
        return []
    return [
        f"the compute interval's upper end lies {far:.2f} decades beyond the fitted runs, past "
        f"the {ex.measured:.2f} its backtests reached: the prediction interval's width there "
        "extends the error's measured growth with distance, it is not measured"
    ]
