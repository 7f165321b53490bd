"""How :meth:`FitResult.predict <scalinglab.fit.FitResult.predict>` builds its
:class:`~._prediction.Prediction`: the interval (calibrated by the backtests, or the
bootstrap's percentiles) and the notes on what it assumes where it is made (:mod:`._far`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import check_level
from scalinglab._no_intervals import none_note
from scalinglab.fit._delta import prediction_sd
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.fit._extrapolation import distance, log_spread
from scalinglab.fit._far import below, far_notes, floor_notes, unmeasured_notes, width_from
from scalinglab.fit._implausible import unconverged_warning
from scalinglab.fit._prediction import Prediction, bootstrap_interval, full_noise_scale
from scalinglab.fit._reach import reported_distance

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult
    from scalinglab.laws import Law

__all__ = ["Notes", "interval_kind", "interval_note", "predict"]

Array = NDArray[np.float64]
#: Which notes a prediction carries (:func:`predict`).
Notes = Literal["all", "interval", "none"]


def predict(
    result: FitResult,
    data: Mapping[str, Any],
    level: float | None,
    *,
    noise: bool,
    extrapolation: bool,
    notes: Notes = "all",
) -> Prediction:
    """The prediction of ``result`` at ``data`` (the law's variables by symbol), as
    :meth:`FitResult.predict <scalinglab.fit.FitResult.predict>` documents it, with its
    notes: the fit's non-convergence (a ``warning: ...``), the interval's own (unbounded past the calibrated level; which term set a
    calibrated width), then the points far outside the runs (:func:`._far.far_notes`) and,
    for a calibrated interval, past the distance its backtests measured.

    ``notes``: ``"all"``; ``"interval"``, the interval's own alone (a caller that says
    where its points lie in its own words, as loss-to-loss does of ``L_x``); ``"none"``,
    for internal loops that read the numbers alone (a band search), as building the notes
    costs as much as the prediction."""
    level = result.level if level is None else level
    check_level(level)
    law = result.law
    point = np.asarray(law.evaluate(result.theta, data), dtype=np.float64)
    ex = result.extrapolation
    zero = np.zeros_like(point)
    far = None if ex is None else distance(ex.reach, data, ex.floor) + zero
    # reported with tokens per parameter; the width model is measured without it (_reach)
    shown = None if ex is None else reported_distance(ex, data) + zero
    down = None if ex is None else np.broadcast_to(below(ex, data), point.shape).copy()
    has_samples = result.samples is not None and len(result.samples) > 0
    set_by: NDArray[np.str_] | None = None
    if noise and extrapolation and ex is not None and ex.calibrated and far is not None:
        # the calibrated band holds the noise and the error backtests made at this
        # distance (calibration is only measured for log-space fits); the bootstrap's
        # percentiles are not needed (nor NumPy's percentile machinery loaded)
        spread = 0.0 if ex.model == "whole" else _spread(result, law, data, point)
        qs, floor = ex.widths(far, spread, level)  # the half-width: the wider of the two
        half = np.maximum(qs, floor)  # (Extrapolation.half_width, its terms computed once)
        with np.errstate(over="ignore"):
            lo, hi = point * np.exp(-half), point * np.exp(half)
        sigma, kind = (result.noise_scale() if has_samples else 0.0), ex.kind
        set_by = width_from(qs, floor, point)
        said: tuple[str, ...] = ()
        if notes != "none":
            unbounded = ex.level_note(level)  # past what the backtests calibrate
            refit = _refit(result, ex, far, spread, qs, level)
            floor_said = floor_notes(
                ex, set_by, level, data, labels=_labels(law), columns=result.columns, refit=refit
            )
            said = (*((unbounded,) if unbounded else ()), *floor_said)
        top = ex.max_level
    else:  # the bootstrap's percentiles (plus noise draws when ``noise``); none: NaN
        sigma = result.noise_scale() if noise and has_samples else 0.0
        kind = ("bootstrap" if noise else "parameters") if has_samples else "none"
        said, top = (), None
        lo, hi = bootstrap_interval(
            law, result.samples, point, data, level,
            sigma=sigma, seed=result.seed, space=result.space,
        )  # fmt: skip
        # ends that are single resamples, at a level the fit's own warning does not cover
        drawn = 0 if result.samples is None else len(result.samples)
        few = few_resamples_warning(drawn, level)
        if few and notes != "none" and few not in result.warnings:
            said = (f"warning: {few}",)
    failed = unconverged_warning(result.status, result.message)
    # first: no number here is the law's optimum. The fit's warnings hold the line too, but
    # a prediction read alone must say it (views printing both drop it here: own_notes)
    if failed and notes != "none":
        said = (f"warning: {failed}", *said)
    if ex is not None and notes == "all":  # where the points lie: for every kind of interval
        said = (*said, *far_notes(ex, data))
        if kind == "backtest-calibrated":
            said = (*said, *unmeasured_notes(ex, data))
    return Prediction(
        point, lo, hi, level, sigma, kind, shown, max_level=top, notes=said, width_from=set_by,
        below=down,
    )  # fmt: skip


def _spread(result: FitResult, law: Law, data: Mapping[str, Any], point: Array) -> Array:
    """Parameter error of the log prediction at each point: the delta method's where the
    calibration holds a covariance, else the bootstrap's spread (0 without samples)."""
    ex = result.extrapolation
    if ex is not None and ex.model == "delta" and ex.covariance is not None:
        return prediction_sd(law, result.theta, ex.covariance, data).reshape(point.shape)
    if result.samples is None or len(result.samples) < 2:
        return np.zeros_like(point)
    return log_spread(law, result.samples, data) + np.zeros_like(point)


def _labels(law: Law) -> dict[str, str]:
    """A variable's name in words where the law gives one (loss-to-loss: ``L`` is ``L_x``,
    from the floors its diagnostics name)."""
    floors: Mapping[str, tuple[str, str]] = getattr(law, "floors", {})
    return {symbol: label for symbol, label in floors.values() if symbol}


def _refit(
    result: FitResult, ex: Any, far: Array, spread: Any, qs: Array, level: float
) -> str | None:
    """How to re-fit a file saved before ``sigma_full`` was, where the floor a re-fit stores
    (the full noise scale of the same log residuals, :mod:`._refit`) would be wider than
    ``q·s`` at some point; ``None`` where it would not (noiseless data: a floor of 0)."""
    if ex.sigma_full is not None or result.space != "log":
        return None
    full = full_noise_scale(result.residuals, len(result.coefs))
    _, floor = replace(ex, sigma_full=full).widths(far, spread, level)
    if not np.any(floor > qs):
        return None
    if result.law.name == "loss-to-loss":  # the loss-to-loss command writes its files
        return "scalinglab loss2loss fit --out, or fit_loss_to_loss(...).save"
    return "scalinglab fit --out, or fit(...).save"


def interval_kind(result: FitResult) -> str:
    """:attr:`FitResult.interval_kind <scalinglab.fit.FitResult.interval_kind>`: the kind
    of interval :func:`predict` gives by default, in the word its ``interval_kind`` says
    (``"backtest-calibrated"``, ``"bootstrap"`` or ``"none"``)."""
    if result.samples is None or not len(result.samples):
        return "none"
    ex = result.extrapolation
    return "backtest-calibrated" if ex is not None and ex.calibrated else "bootstrap"


def interval_note(result: FitResult) -> str:
    """:attr:`FitResult.interval_note <scalinglab.fit.FitResult.interval_note>`: the kind
    of interval :func:`predict` gives, and why, in one line."""
    ex = result.extrapolation
    unbounded = ex.level_note(result.level) if ex is not None and _has_samples(result) else None
    return interval_basis(result) + (f"; {unbounded}" if unbounded else "")


def interval_basis(result: FitResult) -> str:
    """:func:`interval_note` without its clause on the fit's own level: the kind and why, as
    ``predict`` at another ``level`` prints it (its prediction's notes say that level's)."""
    ex = result.extrapolation
    if not _has_samples(result):
        return none_note(requested=result.n_bootstrap)
    if ex is None:
        return "bootstrap (extrapolation error not measured)"
    return f"{ex.kind} ({ex.reason})"


def _has_samples(result: FitResult) -> bool:
    return result.samples is not None and bool(len(result.samples))
