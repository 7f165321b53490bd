"""Backtest by scale: fit on the small runs, predict the held-out large ones, score the error.

::

    bt = backtest(simulated_runs(), law="chinchilla", holdout="largest:5")
    bt.summary.median_are, bt.summary.coverage[0.9]     # 0.0051, 1.0
    rolling_backtest(runs, law="chinchilla", holdout="top-decile").steps   # error as scales grow

For each held-out run: the absolute relative error ``|predicted - actual| / actual`` of the
loss (ARE), and whether the actual loss fell inside the central 50/80/90% prediction
intervals. The rolling-origin form fits on the smallest ``k`` scales of the fitted side for
growing ``k`` and predicts the same held-out runs each time, as the "Hitchhiker's Guide to
Scaling Law Estimation" (Choshen et al. 2024) does, so the shrinking error shows what each
added scale buys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from scalinglab._defaults import BOOTSTRAP
from scalinglab._errors import DataError
from scalinglab._progress import resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._readers import RunsLike, to_table, xy_columns
from scalinglab.fit import FitResult, fit
from scalinglab.laws import Law, get_law
from scalinglab.validate import _repr
from scalinglab.validate._guards import check_fit_options_named, check_fit_side
from scalinglab.validate._score import (
    LEVELS,
    BacktestRun,
    BacktestSummary,
    Predictor,
    levels_of,
    score,
    summarize,
)
from scalinglab.validate._split import Split, scales, split_runs

__all__ = ["Backtest", "Rolling", "RollingStep", "backtest", "rolling_backtest", "to_table"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Backtest:
    """A law (or a baseline method) fitted on one side of a split and scored on the other.

    Attributes:
        law: The law as given (name or formula).
        method: ``"scalinglab"`` or the name of a baseline.
        split: The runs fitted and held out.
        runs: One entry per held-out run, in the order of the held-out table.
        summary: Error and coverage.
        fit: The scalinglab fit (``None`` for a baseline).
        notes: What was assumed or went wrong on the way.
    """

    law: str
    method: str
    split: Split
    runs: tuple[BacktestRun, ...]
    summary: BacktestSummary
    fit: FitResult | None = None
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "law": self.law,
            "method": self.method,
            "holdout": self.split.holdout,
            "holdout_description": self.split.description,
            "n_train": len(self.split.train),
            "n_test": len(self.split.test),
            "source": self.split.source or self.split.train.describe_source(),
            "simulated": self.split.train.simulated,
            "summary": self.summary.to_dict(),
            "runs": [r.to_dict() for r in self.runs],
            "notes": list(self.notes),
        }
        if self.fit is not None:
            out["fit"] = {
                "coefs": dict(self.fit.coefs),
                "status": self.fit.status,
                "at_bound": list(self.fit.at_bound),
                "warnings": list(self.fit.warnings),
                "interval_kind": self.fit.interval_kind,
                "aic": self.fit.aic,
                "bic": self.fit.bic,
            }
        return out


@dataclass(frozen=True)
class RollingStep:
    """Fit on the smallest ``scales`` scales; the held-out runs scored."""

    scales: int
    n_train: int
    largest: float
    summary: BacktestSummary

    def to_dict(self) -> dict[str, Any]:
        return {
            "scales": self.scales,
            "n_train": self.n_train,
            "largest_fitted": self.largest,
            "summary": self.summary.to_dict(),
        }


@dataclass(frozen=True)
class Rolling:
    """Rolling-origin backtest: one step per number of scales fitted, same held-out runs."""

    law: str
    split: Split
    steps: tuple[RollingStep, ...]
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.rolling(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "holdout": self.split.holdout,
            "steps": [s.to_dict() for s in self.steps],
            "notes": list(self.notes),
        }


def backtest(
    runs: RunsLike,
    *,
    law: str | Law = "chinchilla",
    holdout: str | Split = "top-decile",
    levels: Sequence[float] = LEVELS,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    progress: Progress | bool | None = None,
    **fit_options: Any,
) -> Backtest:
    """Fit ``law`` on the runs a hold-out rule keeps, predict the rest, score the error.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by :func:`read_runs`.
        law: A law name or formula.
        holdout: A rule (``"flops>=1e21"``, ``"largest:5"``, ``"top-decile"``) or a :class:`Split`.
        levels: Nominal coverages of the intervals scored.
        bootstrap: Resamples for the intervals (0: point predictions only, coverage NaN).
        seed: Seed of the bootstrap.
        x: Law symbol -> column, as in :func:`scalinglab.fit`.
        y: Column holding the loss.
        progress: Passed on to :func:`scalinglab.fit` (``True``: a line per stage on stderr).
        **fit_options: Passed on to :func:`scalinglab.fit` (``loss=``, ``delta=``...).

    Returns:
        The backtest, with the fit it made.

    Raises:
        ConfigError: For a hold-out rule that selects nothing or everything.
        DataError: When too few runs are left to fit.
    """
    check_fit_options_named(fit_options, caller="backtest")
    x, y = xy_columns(x, y)  # "N=params", "loss=val_loss": as fit reads them
    progress = resolve_progress(progress)  # True: a text line on stderr
    levels = levels_of(levels)
    split = _split(runs, holdout, x=x, y=y)
    form = get_law(law, columns=x)
    check_fit_side(form, split)
    result = fit(
        form,
        split.train,
        x=x,
        y=y,
        bootstrap=bootstrap,
        seed=seed,
        progress=progress,
        **fit_options,
    )
    predict = _fit_predictor(result)
    scored = score(split, predict, levels=levels, y=y)
    notes = tuple(result.notes) + (() if result.ok else (f"fit FAILED: {result.message}",))
    notes += tuple(f"warning: fit: {w}" for w in result.warnings)
    if bootstrap:
        notes += (f"prediction intervals: {result.interval_kind}",)
    return Backtest(
        law=_spec(law),
        method="scalinglab",
        split=split,
        runs=scored,
        summary=summarize(scored, levels),
        fit=result,
        notes=notes,
    )


def rolling_backtest(
    runs: RunsLike,
    *,
    law: str | Law = "chinchilla",
    holdout: str | Split = "top-decile",
    min_scales: int = 2,
    levels: Sequence[float] = LEVELS,
    bootstrap: int = 100,
    seed: int = 0,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    progress: Progress | bool | None = None,
    **fit_options: Any,
) -> Rolling:
    """Fit on the smallest ``k`` scales (k = ``min_scales`` ... all), predict the same held-out runs.

    Steps with no more runs than the law has parameters, or whose runs cannot fit it (one
    model size for a law of N), are skipped (and noted).

    Args:
        min_scales: Fewest scales of the first step.
        progress: Called as ``progress("rolling", done, total)`` after each step; ``True``
            prints a line on stderr.
        (others as in :func:`backtest`)

    Raises:
        DataError: If no step has enough runs to fit.
    """
    check_fit_options_named(fit_options, caller="rolling_backtest")
    x, y = xy_columns(x, y)  # "N=params", "loss=val_loss": as fit reads them
    progress = resolve_progress(progress)  # True: a text line on stderr
    levels = levels_of(levels)
    split = _split(runs, holdout, x=x, y=y)
    form = get_law(law, columns=x)
    size = split.train[split.column]
    index = scales(size)
    n_scales = int(index.max()) + 1
    steps: list[RollingStep] = []
    notes: list[str] = []
    ks = range(max(1, min_scales), n_scales + 1)
    for done, k in enumerate(ks, start=1):
        part = split.train.select(index < k)
        if len(part) <= len(form.params):
            notes.append(f"{k} scale(s): {len(part)} runs, too few for {len(form.params)} params")
            continue
        sub = replace(split, train=part)
        try:
            result = fit(form, part, x=x, y=y, bootstrap=bootstrap, seed=seed, **fit_options)
        except DataError as err:  # e.g. the smallest scales hold one model size only
            said = err.message.removeprefix(f"{err.source}, ") if err.source else err.message
            notes.append(f"{k} scale(s): {len(part)} runs, not fitted: {said}")
            continue
        scored = score(sub, _fit_predictor(result), levels=levels, y=y)
        steps.append(
            RollingStep(k, len(part), float(np.max(part[split.column])), summarize(scored, levels))
        )
        if progress is not None:
            progress("rolling", done, len(ks))
    if not steps:
        raise DataError(
            f"no rolling-origin step has more runs than law {form.name!r} has parameters "
            f"({len(form.params)})",
            source=split.train.source,
            hint="hold out fewer runs, or use a law with fewer parameters",
        )
    return Rolling(_spec(law), split, tuple(steps), tuple(notes))


# -- helpers -------------------------------------------------------------------------------


def _fit_predictor(result: FitResult) -> Predictor:
    def predict(test: RunTable, levels: Sequence[float]) -> Any:
        at: dict[str, Any] = {c: test[c] for c in result.columns.values()}
        bands = {}
        point = result.predict(**at).loss
        for lv in levels:
            p = result.predict(level=lv, **at)
            bands[lv] = (p.lower, p.upper)
        return point, bands

    return predict


def _split(runs: RunsLike, holdout: str | Split, *, x: Mapping[str, str] | None, y: str) -> Split:
    if isinstance(holdout, Split):
        return holdout
    return split_runs(to_table(runs, x=x, y=y), holdout)


def _spec(law: str | Law) -> str:
    return law if isinstance(law, str) else law.spec
