"""Rolling-origin backtest: fit on the smallest ``k`` scales, predict the same held-out runs.

::

    rolling_backtest(runs, law="chinchilla", holdout="top-decile").steps   # error as scales grow

The fitted side of the split is cut at growing ``k`` and each cut predicts the same held-out
runs, as the "Hitchhiker's Guide to Scaling Law Estimation" (Choshen et al. 2024) does, so the
shrinking error shows what each added scale buys. A scale is a grid's size (an IsoFLOP
budget), or, where the runs' sizes run together, the runs between two of the cuts a fit
calibrates its intervals by (:mod:`scalinglab._scales`). Each step is scored as
:func:`scalinglab.validate.backtest` scores (:mod:`scalinglab.validate._score`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from scalinglab._defaults import ROLLING_BOOTSTRAP
from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError, DataError, NoRollingStepError
from scalinglab._format import format_counted, format_level
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab._progress import resolve_progress
from scalinglab.data._readers import RunsLike, xy_columns
from scalinglab.fit import fit
from scalinglab.fit._options import is_auto
from scalinglab.laws import Law, get_law
from scalinglab.validate import _repr
from scalinglab.validate._backtest import fit_predictor, spec_of, split_of
from scalinglab.validate._choose_inputs import auto_refused
from scalinglab.validate._guards import (
    FIT_OPTIONS,
    ONE_LAW,
    UNSCORED_NOTE,
    check_backtest_bootstrap,
    fit_options_named,
)
from scalinglab.validate._old_names import RollingStepAliases
from scalinglab.validate._rolling_design import (
    check_min_scales,
    few_runs_note,
    step_runs_needed,
    step_unidentified,
    unidentified_note,
)
from scalinglab.validate._savable import Savable
from scalinglab.validate._scale_words import binned_note, fitted_scales, scale_count, scales_said
from scalinglab.validate._score import BacktestSummary, score, scored_levels, summarize
from scalinglab.validate._split import Split

__all__ = ["MIN_SCALES", "Rolling", "RollingStep", "rolling_backtest", "scale_count"]

#: Fewest scales of a rolling backtest's first step, by default (``min_scales``): the
#: command line's ``--rolling`` takes it as it is.
MIN_SCALES = 2

Progress = Callable[[str, int, int], None]


@old_fields(n_train="n_fitted")
@dataclass(frozen=True)
class RollingStep(RollingStepAliases):
    """Fit on the smallest ``scales`` scales; the held-out runs scored.

    Attributes:
        scales: How many of the smallest scales the law was fitted on.
        n_fitted: Runs fitted.
        largest: The largest scale fitted on.
        summary: The held-out runs' scores.
        unidentified: Why the step's runs do not identify the law (``"2 model sizes"``), or
            ``None``. Such a step's ``summary`` is where the solver stopped on a valley of
            equal fits (it differs between CPU builds): the table, the plot and the repr
            leave it out.
    """

    scales: int
    n_fitted: int
    largest: float
    summary: BacktestSummary
    unidentified: str | None = None

    def __repr__(self) -> str:  # one line, at the digits the other results print
        return _repr.rolling_step(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The step as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "scales": self.scales,
            "n_fitted": self.n_fitted,
            "n_train": self.n_fitted,  # the old key of "n_fitted", kept one release
            "largest_fitted": self.largest,
            "unidentified": self.unidentified,
            "summary": self.summary.to_dict(),
        }


@dataclass(frozen=True)
class Rolling(Savable):
    """Rolling-origin backtest: one step per number of scales fitted, same held-out runs;
    ``r.save(path)`` keeps it, ``Rolling.load(path)`` reads it back whole.

    Attributes:
        law: The law as given (name or formula).
        split: The runs fitted (a step fits the smallest scales of them) and held out.
        steps: One per number of scales fitted.
        notes: The steps skipped and why, the levels at which runs were not scored.
        warnings: Reasons not to trust the scores: the split's (:attr:`Split.warnings`).
        n_bootstrap: Resamples behind each step's intervals (``None``: not recorded).
        seed: Seed of every step's bootstrap (``None``: not recorded).
    """

    law: str
    split: Split
    steps: tuple[RollingStep, ...]
    notes: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    n_bootstrap: int | None = None
    seed: int | None = None

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.rolling(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The rolling-origin backtest as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "law": self.law,
            "holdout": self.split.holdout,
            "steps": [s.to_dict() for s in self.steps],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "n_bootstrap": self.n_bootstrap,  # what reproduces it, named as a fit's
            "seed": self.seed,
        }


@keywords_checked(
    "scalinglab.rolling_backtest",
    also=FIT_OPTIONS,
    deprecated=("loss", "levels"),
    hints={"laws": ONE_LAW},
)
def rolling_backtest(
    runs: RunsLike,
    *,
    law: str | Law = "chinchilla",
    holdout: str | Split = "top-decile",
    fit_on: str | None = None,
    min_scales: int = MIN_SCALES,
    level: float | Sequence[float] | None = None,
    bootstrap: int = ROLLING_BOOTSTRAP,
    seed: int = 0,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    drop_outliers: bool = False,
    progress: Progress | bool | None = None,
    levels: Sequence[float] | None = None,
    **fit_options: Any,
) -> Rolling:
    """Fit on the smallest ``k`` scales (k = ``min_scales`` ... all), predict the same held-out runs.

    Steps with fewer runs than twice the law's parameters (too few to fit it and say
    anything of the held-out runs), or whose runs cannot fit it (one model size for a law
    of N), are skipped (and noted). Steps whose runs leave the law
    unidentified by design (two model sizes for Chinchilla: the check behind ``fit``'s
    warning) are kept, marked (:attr:`RollingStep.unidentified`) and noted: their scores
    are where the solver stopped on a valley of equal fits, so the views leave them out.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by :func:`read_runs`.
        law: A law name or formula, or a :class:`Law` (default ``"chinchilla"``).
        holdout: The runs every step predicts: a rule (``"flops>=1e21"``, ``"largest:5"``,
            default ``"top-decile"``) or a :class:`Split`.
        fit_on: A rule of the same forms for the runs the steps fit on, smallest scales
            first; default ``None``: every run not held out (see :func:`split_runs`).
        min_scales: Fewest scales of the first step (default 2): a whole number from 1 to
            the number of scales among the runs fitted.
        level: Nominal coverage(s) of the prediction intervals scored, one or several
            (default ``None``: 0.5, 0.8 and 0.9).
        bootstrap: Resamples for each step's intervals (default 100,
            ``ROLLING_BOOTSTRAP``, where :func:`~scalinglab.validate.backtest` draws 200;
            ``scalinglab backtest`` draws the fewer of 100 and ``--bootstrap``): at least 20,
            or 0 for point predictions only (errors scored, coverage NaN, and a note says so).
        seed: Seed of the bootstrap (default 0).
        x: Law symbol -> column, as in :func:`scalinglab.fit` (default ``None``: the
            law's own names).
        y: Column holding the loss (default ``"loss"``).
        drop_outliers: Drop runs that look diverged as ``runs`` are read, as
            :func:`scalinglab.fit` does (default ``False``).
        progress: Called as ``progress("rolling", done, total)`` after each step; ``True``
            prints a line on stderr (default ``None``: quiet).
        levels: Deprecated name of ``level`` (one release).
        **fit_options: Passed on to :func:`scalinglab.fit` (``robust_loss=``, ``delta=``...).

    Returns:
        Every step's fit and scores on the same held-out runs.

    Raises:
        ConfigError: For a hold-out rule that selects nothing or everything, 1 to 19
            resamples, a ``min_scales`` that is not a positive whole number or exceeds the
            scales of the runs fitted.
        DataError: If no step has enough runs to fit.
    """
    fit_options = fit_options_named(fit_options, caller="rolling_backtest")
    check_min_scales(min_scales)
    scored_at = scored_levels(level, levels, caller="rolling_backtest")
    check_backtest_bootstrap(bootstrap, default=ROLLING_BOOTSTRAP, level=scored_at)
    x, y = xy_columns(x, y)  # "N=params", "loss=val_loss": as fit reads them
    progress = resolve_progress(progress)  # True: a text line on stderr
    if is_auto(law):
        raise auto_refused("scalinglab.rolling_backtest")
    form = get_law(law, columns=x)
    split = split_of(
        runs, holdout, fit_on=fit_on, x=x, y=y, drop_outliers=drop_outliers,
        call="rolling_backtest", where=fit_options.get("where"), laws=[form],
    )  # fmt: skip
    found = fitted_scales(split)
    index, n_scales = found.index, found.count
    if min_scales > n_scales:  # no step to take: not a shortage of runs per step
        raise ConfigError(
            f"rolling_backtest(min_scales={min_scales}): the {len(split.fitted)} runs fitted "
            f"(held out: {split.description}) {scales_said(split, found)}, fewer than "
            "min_scales",
            hint=f"pass min_scales={n_scales} or fewer, or hold out fewer runs",
        )
    binned = binned_note(split, found)  # sizes that run together: quantile bins, said so
    steps: list[RollingStep] = []
    notes: list[str] = ([] if bootstrap else [UNSCORED_NOTE]) + ([binned] if binned else [])
    unbounded: dict[float, list[int]] = {lv: [] for lv in scored_at}  # level -> steps
    marked: list[tuple[int, str]] = []  # (scales, why) of the steps not identified
    why = ""  # the fit's line for the first of them
    ks = range(min_scales, n_scales + 1)
    few: list[tuple[int, int]] = []  # (scales, runs) of the steps skipped as too few
    first_step_note = len(notes)
    for done, k in enumerate(ks, start=1):
        part = split.fitted.select(index < k)
        if len(part) < step_runs_needed(form):
            few.append((k, len(part)))
            continue
        sub = replace(split, fitted=part)
        try:
            result = fit(form, part, x=x, y=y, bootstrap=bootstrap, seed=seed, compare=False,
                         **fit_options)  # fmt: skip
        except DataError as err:  # e.g. the smallest scales hold one model size only
            said = err.message.removeprefix(f"{err.source}, ") if err.source else err.message
            notes.append(f"step at {k} scales ({len(part)} runs) skipped, not fitted: {said}")
            continue
        scored = score(sub, fit_predictor(result), levels=scored_at, y=y)
        largest = float(np.max(part[split.column]))
        flag = step_unidentified(form, part, result.columns)  # the design check fit warns by
        if flag is not None:
            marked.append((k, flag[0]))
            why = why or flag[1]
        summary = summarize(scored, scored_at)
        mark = None if flag is None else flag[0]
        steps.append(RollingStep(k, len(part), largest, summary, unidentified=mark))
        for lv in scored_at:
            if flag is None and any(r.unbounded(lv) for r in scored):
                unbounded[lv].append(k)
        if progress is not None:
            progress("rolling", done, len(ks))
    if few:  # before the steps' own notes: the smallest steps come first
        notes.insert(first_step_note, few_runs_note(form, few))
    if not steps:
        raise NoRollingStepError(
            f"no rolling-origin step has {step_runs_needed(form)} runs or more (twice the "
            f"{len(form.params)} parameters of law {form.name!r})",
            source=split.fitted.source,
            hint="hold out fewer runs, or use a law with fewer parameters",
        )
    if marked:
        notes.append(unidentified_note(form.name, marked, why))
    notes += [
        f"coverage: in {format_level(lv)}, held-out runs not scored (—) at {format_counted(len(ks), 'step')} "
        f"(scales {', '.join(map(str, ks))}): an unbounded interval cannot miss"
        for lv, ks in unbounded.items()
        if ks
    ]
    return Rolling(
        spec_of(law), split, tuple(steps), tuple(notes), warnings=split.warnings,
        n_bootstrap=bootstrap, seed=seed,
    )  # fmt: skip
