"""Scoring held-out runs: absolute relative error and interval coverage, per run and overall.

Shared by scalinglab's backtests and the baselines, so every method is scored by one code
path: ``score(split, predictor)`` -> one :class:`BacktestRun` per held-out run, and
``summarize`` -> a :class:`BacktestSummary` (median, mean, max ARE; coverage per level).

Coverage counts only the runs whose interval has two finite ends: one with no interval
(``bootstrap=0``) or an unbounded one (an end at ±∞, as a calibrated interval is past the
level its backtests reach) cannot miss, so it is no evidence of coverage. Such runs are
not scored (``inside`` is ``None``; ``summary.scored`` counts the rest) and
:func:`unbounded_notes` says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_level
from scalinglab._json import json_ready
from scalinglab._warn import warn_at_caller
from scalinglab.data import RunTable
from scalinglab.validate._split import Split

__all__ = [
    "LEVELS",
    "BacktestRun",
    "BacktestSummary",
    "Predictor",
    "coverage_of",
    "covered",
    "score",
    "scored_levels",
    "summarize",
    "unbounded_notes",
]

Array = NDArray[np.float64]

#: Nominal coverage of the intervals every backtest scores.
LEVELS: tuple[float, ...] = (0.5, 0.8, 0.9)


@dataclass(frozen=True)
class BacktestRun:
    """One held-out run.

    Attributes:
        run: Run id.
        row: Row in the source.
        scale: Its value in the split's scale column (``flops``, else ``params``).
        times_fitted: ``scale`` over the largest fitted one (the extrapolation factor;
            ``distance`` elsewhere is in decades); NaN on an axis whose values reach 0 or
            below (:meth:`Split.span`), where a ratio is no distance.
        actual: Observed loss.
        predicted: Predicted loss.
        are: Absolute relative error, ``|predicted - actual| / actual``.
        intervals: Level -> ``(lower, upper)`` prediction interval.
        spans_beyond: On an axis whose values reach 0 or below, how far ``scale`` lies past
            the largest fitted one in spans of the fitted range (:meth:`Split.spans_beyond`);
            NaN elsewhere.
    """

    run: str
    row: int
    scale: float
    times_fitted: float
    actual: float
    predicted: float
    are: float
    intervals: Mapping[float, tuple[float, float]]
    spans_beyond: float = math.nan

    def inside(self, level: float) -> bool | None:
        """Whether the actual loss lies in the interval at ``level``; ``None`` (not scored)
        where the interval has an end that is not finite: none drawn (NaN) or unbounded.

        Args:
            level: The interval's coverage, one of :attr:`intervals`' keys.

        Returns:
            True or False, or ``None`` where not scored.
        """
        lo, hi = self.intervals[level]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        return bool(lo <= self.actual <= hi)

    def unbounded(self, level: float) -> bool:
        """Whether the interval at ``level`` has an end at ±∞ (and none missing).

        Args:
            level: The interval's coverage, one of :attr:`intervals`' keys.

        Returns:
            True if an end is infinite; False where both are finite or one is NaN.
        """
        lo, hi = self.intervals[level]
        if math.isnan(lo) or math.isnan(hi):
            return False  # no interval drawn (bootstrap=0): UNSCORED_NOTE says so
        return math.isinf(lo) or math.isinf(hi)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The held-out run's score as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "run": self.run,
            "row": self.row,
            "scale": self.scale,
            "times_fitted": self.times_fitted,
            "spans_beyond": self.spans_beyond,
            "actual": self.actual,
            "predicted": self.predicted,
            "are": self.are,
            "intervals": {f"{lv:g}": list(b) for lv, b in self.intervals.items()},
            "inside": {f"{lv:g}": self.inside(lv) for lv in self.intervals},
        }


@dataclass(frozen=True)
class BacktestSummary:
    """Error and coverage over the held-out runs.

    Attributes:
        n: Held-out runs.
        median_are: Median absolute relative error.
        mean_are: Mean absolute relative error.
        max_are: Largest absolute relative error.
        coverage: Level -> fraction of the scored held-out runs inside the interval (NaN
            where none is scored).
        scored: Level -> held-out runs scored: those whose interval has two finite ends.
    """

    n: int
    median_are: float
    mean_are: float
    max_are: float
    coverage: Mapping[float, float]
    scored: Mapping[float, int] = field(default_factory=dict)

    def __repr__(self) -> str:  # one line, errors as percentages
        from scalinglab.validate import _repr

        return _repr.summary(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The summary as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "n": self.n,
            "median_are": self.median_are,
            "mean_are": self.mean_are,
            "max_are": self.max_are,
            "coverage": {f"{lv:g}": c for lv, c in self.coverage.items()},
            "scored": {f"{lv:g}": k for lv, k in self.scored.items()},
        }


#: ``predict(test_table, levels) -> (point, {level: (lower, upper)})``
Predictor = Callable[[RunTable, Sequence[float]], tuple[Array, dict[float, tuple[Array, Array]]]]


def score(
    split: Split, predict: Predictor, *, levels: Sequence[float] = LEVELS, y: str = "loss"
) -> tuple[BacktestRun, ...]:
    """Score a predictor on the held-out runs of ``split``."""
    test = split.held_out
    actual = np.asarray(test[y], dtype=np.float64)
    point, bands = predict(test, levels)
    scale = np.asarray(test[split.column], dtype=np.float64)
    times, spans = split.times_fitted(), split.spans_beyond()
    out = []
    for i, run in enumerate(test.runs):
        out.append(
            BacktestRun(
                run=run,
                row=test.rows[i],
                scale=float(scale[i]),
                times_fitted=float(times[i]),
                actual=float(actual[i]),
                predicted=float(point[i]),
                are=float(abs(point[i] - actual[i]) / actual[i]),
                intervals={lv: (float(lo[i]), float(hi[i])) for lv, (lo, hi) in bands.items()},
                spans_beyond=float(spans[i]),
            )
        )
    return tuple(out)


def summarize(runs: Sequence[BacktestRun], levels: Sequence[float]) -> BacktestSummary:
    """Median, mean and max ARE, and coverage per level over the runs it scores (NaN where
    it scores none: no interval, or an unbounded one, which cannot miss)."""
    are = np.array([r.are for r in runs], dtype=np.float64)
    coverage, scored = {}, {}
    for lv in levels:
        marks = [m for m in (r.inside(lv) for r in runs) if m is not None]
        scored[lv] = len(marks)
        coverage[lv] = float(np.mean(marks)) if marks else math.nan
    finite = are[np.isfinite(are)]
    return BacktestSummary(
        n=len(runs),
        median_are=float(np.median(are)) if len(are) else math.nan,
        mean_are=float(np.mean(are)) if len(are) else math.nan,
        max_are=float(np.max(finite)) if len(finite) else math.nan,
        coverage=coverage,
        scored=scored,
    )


def unbounded_notes(
    runs: Sequence[BacktestRun],
    levels: Sequence[float],
    *,
    why: Callable[[float], str | None] | None = None,
) -> tuple[str, ...]:
    """One note per level at which some held-out run's interval is unbounded: those runs are
    not scored for coverage. ``why(level)`` is the reason, where the caller knows one (and
    has not said it already)."""
    out = []
    for lv in levels:
        k = sum(r.unbounded(lv) for r in runs)
        if not k:
            continue
        reason = why(lv) if why is not None else None
        out.append(
            f"coverage: in {format_level(lv)}, {k} of {len(runs)} held-out runs not scored "
            "(—): an unbounded interval cannot miss" + (f"; {reason}" if reason else "")
        )
    return tuple(out)


def covered(lower: Array, upper: Array, actual: Array) -> Array:
    """Per run, 1.0 inside ``[lower, upper]``, 0.0 outside, NaN not scored (an end not
    finite: none drawn, or unbounded; or no actual value, NaN, to score), as
    :meth:`BacktestRun.inside`; :func:`coverage_of` of it is the coverage over the runs
    scored (for arrays of predictions, as calibration and the downstream backtest have)."""
    lo, hi, y = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (lower, upper, actual))
    )
    out = ((lo <= y) & (y <= hi)).astype(np.float64)
    out[~(np.isfinite(lo) & np.isfinite(hi)) | np.isnan(y)] = math.nan
    return out


def coverage_of(marks: Array) -> tuple[float, int]:
    """The coverage of :func:`covered`'s ``marks`` over the runs scored (NaN where none is)
    and how many were scored: the pair every coverage table shows, "—" for NaN and
    "k of n scored" where ``k`` falls short."""
    scored = np.asarray(marks, dtype=np.float64).ravel()
    scored = scored[~np.isnan(scored)]
    return (float(np.mean(scored)) if len(scored) else math.nan), len(scored)


def scored_levels(
    level: float | Sequence[float] | None, levels: Sequence[float] | None, *, caller: str
) -> tuple[float, ...]:
    """The coverages a backtest scores: ``level``, one or several (as ``--level``), default
    :data:`LEVELS`; ``levels``, its old name, still read for one release, with a warning.

    Raises:
        ConfigError: For both names given, no level, or one not strictly between 0 and 1
            (a percentage says the fraction it meant).
    """
    if levels is not None:
        if level is not None:
            raise ConfigError(f"{caller}() got both level= and levels=", hint="pass level= alone")
        warn_at_caller(
            f"{caller}(levels=) is deprecated and goes in the next release: use level= "
            "(the coverages scored, one or several, as --level)",
            DeprecationWarning,
        )
        level = levels
    if level is None:
        return LEVELS
    given = [level] if isinstance(level, int | float | str) else list(level)  # '0.9': one
    if not given:
        raise ConfigError(f"{caller}() got no level to score", hint="e.g. level=(0.5, 0.9)")
    return tuple(dict.fromkeys(check_level(lv, option="level") for lv in given))
