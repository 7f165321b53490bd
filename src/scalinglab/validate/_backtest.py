"""Backtest by scale: fit on the small runs, predict the held-out large ones, score the error.

::

    bt = backtest(simulated_runs(), law="chinchilla", holdout="largest:5")
    bt.summary.median_are, bt.summary.coverage[0.9]     # 0.0051, 1.0

For each held-out run: the absolute relative error ``|predicted - actual| / actual`` of the
loss (ARE), and whether the actual loss fell inside the central prediction intervals of each
coverage scored (``level=``, as ``--level``; default 50/80/90%). The rolling-origin form is
:mod:`scalinglab.validate._rolling`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scalinglab._defaults import BOOTSTRAP
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab._progress import resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._best_per_cell import sweep_warning
from scalinglab.data._noted_runs import reading_warnings
from scalinglab.data._outliers import kept_warning
from scalinglab.data._readers import RunsLike, to_table, xy_columns
from scalinglab.data._training_data import mixed_training_data
from scalinglab.fit import FitResult, fit
from scalinglab.fit._options import is_auto
from scalinglab.laws import Law, get_law
from scalinglab.validate import _repr
from scalinglab.validate._below_fitted import below_fitted_note
from scalinglab.validate._choose_inputs import auto_refused
from scalinglab.validate._compare_labels import FITTED
from scalinglab.validate._few_runs import few_runs_note
from scalinglab.validate._guards import (
    FIT_OPTIONS,
    ONE_LAW,
    UNSCORED_NOTE,
    check_backtest_bootstrap,
    check_fit_side,
    fit_options_named,
)
from scalinglab.validate._rolling_design import fit_unidentified_note, step_unidentified
from scalinglab.validate._savable import Savable
from scalinglab.validate._score import (
    BacktestRun,
    BacktestSummary,
    Predictor,
    score,
    scored_levels,
    summarize,
    unbounded_notes,
)
from scalinglab.validate._split import Split, split_fields
from scalinglab.validate._split_of import spec_of, split_of

__all__ = ["Backtest", "backtest", "spec_of", "split_of", "to_table"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Backtest(Savable):
    """A law (or a baseline method) fitted on one side of a split and scored on the other.

    ``bt.save("bt.json")`` keeps it and ``Backtest.load("bt.json")`` reads it back whole: its
    split's runs, its fit (which predicts as before), its scores.

    Attributes:
        law: The law as given (name or formula).
        method: ``"scalinglab"`` or the name of a baseline.
        split: The runs fitted and held out.
        runs: One entry per held-out run, in the order of the held-out table.
        summary: Error and coverage.
        fit: The scalinglab fit (``None`` for a baseline).
        notes: What was assumed or went wrong on the way.
        warnings: Reasons not to trust the score, one line each: the split's (a rule that
            chooses runs by their loss, :attr:`Split.warnings`), the run table's (as its
            reader gave them), then the fit's as ``fit: ...``.
        unidentified: Why the fitted runs do not identify the law by design (``"2 model
            sizes"``), as a rolling step's :attr:`RollingStep.unidentified` says it (the same
            check), or ``None`` when they do; a note then says what the scores mean.
    """

    law: str
    method: str
    split: Split
    runs: tuple[BacktestRun, ...]
    summary: BacktestSummary
    fit: FitResult | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    unidentified: str | None = None

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    def _repr_html_(self) -> str:  # a notebook: the tables `scalinglab backtest` prints
        from scalinglab.validate._html_view import backtest_html

        return backtest_html(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The backtest as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        out: dict[str, Any] = {
            "law": self.law,
            "method": self.method,
            **split_fields(self.split),
            "summary": self.summary.to_dict(),
            "runs": [r.to_dict() for r in self.runs],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "unidentified": self.unidentified,
        }
        if self.fit is not None:
            out["fit"] = {
                "coefs": dict(self.fit.coefs),
                "status": self.fit.status,
                "at_bound": list(self.fit.at_bound),
                "warnings": list(self.fit.warnings),
                "interval_kind": self.fit.interval_kind,
                "interval_note": self.fit.interval_note,
                "aic": self.fit.aic,
                "bic": self.fit.bic,
            }
        return out


@keywords_checked(
    "scalinglab.backtest", also=FIT_OPTIONS, deprecated=("loss", "levels"), hints={"laws": ONE_LAW}
)
def backtest(
    runs: RunsLike,
    *,
    law: str | Law = "chinchilla",
    holdout: str | Split = "top-decile",
    fit_on: str | None = None,
    level: float | Sequence[float] | None = None,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    drop_outliers: bool = False,
    best_per_cell: bool = False,
    progress: Progress | bool | None = None,
    levels: Sequence[float] | None = None,
    **fit_options: Any,
) -> Backtest:
    """Fit ``law`` on the runs a hold-out rule keeps, predict the rest, score the error.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by :func:`read_runs`.
        law: A law name or formula.
        holdout: A rule (``"flops>=1e21"``, ``"largest:5"``, ``"top-decile"``) or a :class:`Split`.
        fit_on: A rule of the same forms for the runs to fit on (``--fit-on``); default:
            every run not held out (see :func:`split_runs`).
        level: Nominal coverage(s) of the prediction intervals scored, one or several, as
            ``--level`` (default 0.5, 0.8 and 0.9).
        bootstrap: Resamples for the intervals: at least 20 (fewer cannot place a 90%
            interval's ends), or 0 for point predictions only (errors scored, coverage NaN,
            and a note says so).
        seed: Seed of the bootstrap.
        x: Law symbol -> column, as in :func:`scalinglab.fit`.
        y: Column holding the loss.
        drop_outliers: Drop runs that look diverged as ``runs`` are read (as
            :func:`scalinglab.fit`, ``--drop-outliers``).
        best_per_cell: Keep the best run of each cell of a sweep as ``runs`` are read, as
            :func:`scalinglab.fit` (``--best-per-cell``): the held-out runs are among those.
        progress: Passed on to :func:`scalinglab.fit` (``True``: a line per stage on stderr).
        levels: Deprecated name of ``level`` (one release).
        **fit_options: Passed on to :func:`scalinglab.fit` (``robust_loss=``, ``delta=``...).

    Returns:
        The backtest, with the fit it made.

    Raises:
        ConfigError: For a hold-out rule that selects nothing or everything, 1 to 19
            resamples.
        DataError: When too few runs are left to fit.

    Examples:
        >>> import scalinglab
        >>> runs = scalinglab.simulated_runs()
        >>> b = scalinglab.backtest(runs, law="chinchilla", holdout="largest:5", bootstrap=0)
        >>> b.summary.n, b.summary.max_are < 0.05  # 5 held out, each within 5%
        (5, True)
    """
    fit_options = fit_options_named(fit_options, caller="backtest")
    scored_at = scored_levels(level, levels, caller="backtest")
    check_backtest_bootstrap(bootstrap, level=scored_at)
    x, y = xy_columns(x, y)  # "N=params", "loss=val_loss": as fit reads them
    progress = resolve_progress(progress)  # True: a text line on stderr
    if is_auto(law):
        raise auto_refused("scalinglab.backtest")
    form = get_law(law, columns=x)
    split = split_of(runs, holdout, fit_on=fit_on, x=x, y=y, drop_outliers=drop_outliers,
                     best_per_cell=best_per_cell, where=fit_options.get("where"),
                     laws=[form])  # fmt: skip
    check_fit_side(form, split)
    result = fit(
        form,
        split.fitted,
        x=x,
        y=y,
        bootstrap=bootstrap,
        seed=seed,
        progress=progress,
        compare=False,  # the law's own extrapolation is what a backtest measures
        **fit_options,
    )
    predict = fit_predictor(result)
    scored = score(split, predict, levels=scored_at, y=y)
    # the readers' warnings (the fit's too), then the fit's: one that did not converge
    # says so first among them
    read = reading_warnings(split.fitted.notes)
    # a sweep's runs: said once, of every run fitted and scored, not of the fitted alone
    looks, fits = sweep_warning(split.fitted, split.held_out), sweep_warning(split.fitted)
    # the runs' own (pooled corpora, diverged runs kept): every law's fit says them alike,
    # so a comparison says them once, not once per law (Comparison.warnings)
    data = {*mixed_training_data(split.fitted.labels), *kept_warning(split.fitted)}
    fitted = (
        w if w in data else f"{FITTED}{w}"
        for w in result.warnings
        if w not in fits and w not in read
    )
    warnings = (*split.warnings, *looks, *read, *fitted)
    # the readers' warnings are among its warnings, not here; its notes of reading the runs
    # stay as they are, its own (E at the edge of identified) are marked as its warnings are
    notes = tuple(n if n in split.fitted.notes else f"{FITTED}{n}" for n in result.notes)
    notes += (_kind_note(result, scored_at),) if bootstrap else (UNSCORED_NOTE,)
    notes += unbounded_notes(scored, scored_at, why=_why_unbounded(result, (*notes, *warnings)))
    summary = summarize(scored, scored_at)
    notes += tuple(n for n in (few_runs_note(summary, scored_at),) if n)
    notes += tuple(n for n in (below_fitted_note(split, scored, result.columns),) if n)
    flag = step_unidentified(form, split.fitted, result.columns)  # as a rolling step's
    if flag is not None:
        notes += (fit_unidentified_note(spec_of(law), len(split.fitted), *flag),)
    return Backtest(
        law=spec_of(law),
        method="scalinglab",
        split=split,
        runs=scored,
        summary=summary,
        fit=result,
        notes=notes,
        warnings=warnings,
        unidentified=None if flag is None else flag[0],
    )


# -- helpers -------------------------------------------------------------------------------


def fit_predictor(result: FitResult) -> Predictor:
    def predict(test: RunTable, levels: Sequence[float]) -> Any:
        at: dict[str, Any] = {c: test[c] for c in result.columns.values()}
        bands = {}
        point = result.predict(**at).loss
        for lv in levels:
            p = result.predict(level=lv, **at)
            bands[lv] = (p.lower, p.upper)
        return point, bands

    return predict


def _kind_note(result: FitResult, levels: Sequence[float]) -> str:
    """``prediction intervals: <kind>`` as the fit says it, less why the interval at the
    fit's own level is unbounded where that level is not scored (``--level 0.999`` read
    "the 90% interval is unbounded"): the coverage notes say why at each level scored."""
    kind, ex = result.interval_note, result.extrapolation
    own = None if ex is None else ex.level_note(result.level)
    if own is not None and not any(math.isclose(lv, result.level) for lv in levels):
        kind = kind.removesuffix(f"; {own}")
    return f"prediction intervals: {kind}"


def _why_unbounded(result: FitResult, said: Sequence[str]) -> Callable[[float], str | None]:
    """Why the fit's interval at a level is unbounded, unless ``said`` has said it (the
    interval-kind note gives the reason at the fit's own level)."""

    def why(level: float) -> str | None:
        ex = result.extrapolation
        note = None if ex is None else ex.level_note(level)
        return None if note is None or any(note in n for n in said) else note

    return why
