"""What a loss-to-loss fit predicts at given ``L_x``, and what to say of it: ``L_x`` at or
below ``E_x`` (no ``L_y`` there), outside the fitted ``L_x`` (extrapolated), and the fit's own
reasons not to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import AsDictAlias
from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g, format_grouped, format_level
from scalinglab._json import json_ready
from scalinglab._repr import num, span
from scalinglab.data._repeated_names import repeat_warnings
from scalinglab.data._units import as_quantities
from scalinglab.fit import FitResult
from scalinglab.fit._far import NO_INTERVAL, past_measured

__all__ = ["LossToLossPrediction", "fit_warnings", "predict_group", "x_losses"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class LossToLossPrediction(AsDictAlias):
    """``L_y`` predicted from ``L_x`` by one group's law.

    Attributes:
        loss_x: The losses ``L_x`` asked about.
        loss_y: The predicted ``L_y``, one per ``loss_x``; NaN where ``L_x`` is at or below
            the fitted ``E_x``.
        lower: Lower end of the prediction interval (NaN without a bootstrap).
        upper: Upper end.
        level: Coverage of the interval.
        interval_kind: Which interval (:attr:`Prediction.interval_kind
            <scalinglab.Prediction.interval_kind>`): ``"backtest-calibrated"``,
            ``"bootstrap"`` or ``"none"``.
        notes: The interval's own (:attr:`Prediction.notes <scalinglab.Prediction.notes>`:
            unbounded past the level the backtests calibrate); ``L_x`` at or below ``E_x``;
            ``L_x`` outside the fitted ones; resamples whose law is not defined at an ``L_x``.
        warnings: The fit's reasons not to trust it (:attr:`FitResult.warnings`, and
            parameters at a bound).
        width_from: Which term set each point's calibrated half-width
            (:attr:`Prediction.width_from <scalinglab.Prediction.width_from>`):
            ``"calibrated"`` or ``"noise-floor"`` (the run-to-run noise's own interval, as
            the notes say), ``""`` at a point without an interval (no ``L_y``; ``null`` in
            JSON); ``None`` for other interval kinds.
    """

    loss_x: Array
    loss_y: Array
    lower: Array
    upper: Array
    level: float
    interval_kind: str
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    width_from: NDArray[np.str_] | None = None

    def __repr__(self) -> str:  # one line: no arrays, however many points
        level = format_level(self.level)
        if self.loss_x.size == 1:
            y, lo, hi = (float(a[0]) for a in (self.loss_y, self.lower, self.upper))
            at = f"L_x={num(float(self.loss_x[0]))} -> L_y={num(y)} {span(lo, hi)} at {level}"
        else:
            fin = self.loss_y[np.isfinite(self.loss_y)]
            ys = f"{num(float(fin.min()))}-{num(float(fin.max()))}" if fin.size else "nan"
            at = (
                f"{self.loss_x.size} points, L_x {num(float(self.loss_x.min()))}-"
                f"{num(float(self.loss_x.max()))} -> L_y {ys}, {level} intervals"
            )
        return (
            f"LossToLossPrediction({at}, interval_kind={self.interval_kind!r}, "
            f"notes={len(self.notes)}, warnings={len(self.warnings)})"
        )

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (arrays as lists, NaN as ``"nan"``): ``L_y`` as ``plan --json``
        writes an estimate, ``loss_y``, ``loss_y_lower``, ``loss_y_upper``; the old ``lower``
        and ``upper`` (the same numbers) beside them for one release.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        return {
            "loss_x": self.loss_x.tolist(),
            "loss_y": self.loss_y.tolist(),
            "loss_y_lower": self.lower.tolist(),
            "loss_y_upper": self.upper.tolist(),
            "lower": self.lower.tolist(),  # the old keys, kept one release
            "upper": self.upper.tolist(),
            "level": self.level,
            "interval_kind": self.interval_kind,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            # "": a point without an interval, which no term set the width of
            "width_from": None
            if self.width_from is None
            else [w or None for w in self.width_from.tolist()],
        }


def predict_group(
    result: FitResult, values: Array, *, level: float | None = None
) -> LossToLossPrediction:
    """``L_y`` at the losses ``values`` by one group's fit, with notes: the interval's own,
    then where the ``L_x`` lie in words of ``L_x`` (not those of a law of N and D, which
    :meth:`FitResult.predict` gives)."""
    # the interval's own notes alone: where the points lie is said here, of L_x
    pred = result._predict_symbols({"L": values}, level=level, notes="interval")
    e_x = result.coefs["E_x"]
    # the law is K·0^κ + E_y = E_y at E_x and undefined below: a loss no model reaches
    gone = values <= e_x
    loss_y, lower, upper = (np.where(gone, np.nan, a) for a in (pred.loss, pred.lower, pred.upper))
    # the interval's own (unbounded past the calibrated level); one that is the fit's own
    # warning (it did not converge) is said once, among the warnings below
    theirs = {f"warning: {w}" for w in result.warnings}
    notes = [n for n in pred.notes if n not in theirs]
    if gone.any():
        bound = (
            " (at its bound, just under the smallest fitted L_x)"
            if "E_x" in result.at_bound
            else ""
        )
        notes.append(
            f"L_x {_values(values[gone])}: at or below E_x = {format_g(e_x, 4)}{bound}, the fitted "
            "irreducible loss of x, which no model reaches: no L_y (NaN)"
        )
    ex = result.extrapolation
    if ex is not None and "L" in ex.reach:
        low, high = ex.floor.get("L", np.nan), ex.reach["L"]
        span = (
            f"the fitted L_x ({format_g(low, 4)} to {format_g(high, 4)}): the law is extrapolated"
        )
        for outside, side in ((~gone & (values < low), "below"), (values > high, "above")):
            if outside.any():
                notes.append(f"L_x {_values(values[outside])}: {side} {span}")
        past = np.asarray(past_measured(ex, {"L": values}) > 0) & ~gone
        if pred.interval_kind == "backtest-calibrated" and past.any():
            notes.append(
                f"L_x {_values(values[past])}: past the {ex.measured:.2f} decades beyond the "
                "fitted L_x that its backtests reached, where the interval's width extends "
                "the error's measured growth with distance: it is not measured"
            )
    if result.samples is not None and len(result.samples):
        # resamples whose E_x is at or above L_x give no L_y there (NaN, left out)
        e_xs = result.samples[:, list(result.coefs).index("E_x")]
        undefined = np.sum(e_xs[:, None] >= values[None, :], axis=0)
        for v, k in zip(values[~gone], undefined[~gone], strict=True):
            if k:
                notes.append(
                    f"L_x {format_g(v, 4)}: {format_grouped(k)} of {format_grouped(len(e_xs))} bootstrap fits put E_x at or above it, "
                    "where they give no L_y: E_x is uncertain this near"
                )
    set_by = None if pred.width_from is None else np.where(gone, NO_INTERVAL, pred.width_from)
    return LossToLossPrediction(
        values, loss_y, lower, upper, pred.level, pred.interval_kind,
        tuple(notes), tuple(fit_warnings(result)), set_by,
    )  # fmt: skip


def x_losses(loss: object, *, x: str) -> Array:
    """The losses on ``x`` (``L_x``) :meth:`LossToLossFit.predict` is given, flat.

    Raises:
        ConfigError: A loss that is not a number.
        DataError: A loss that is not positive and finite, or none.
    """
    try:
        values = np.atleast_1d(as_quantities(loss, "loss")).reshape(-1)
    except ConfigError:  # "abc": said as a loss, not as a size with units
        raise ConfigError(
            f"L_x must be a loss, a number, got {loss!r}", hint=f"give losses on {x}, e.g. 3.1"
        ) from None
    bad = values[~(np.isfinite(values) & (values > 0))]
    if bad.size or not values.size:
        raise DataError(
            "L_x must be positive and finite to predict, got "
            f"{format_g(float(bad[0])) if bad.size else 'none'}",
            hint=f"give losses on {x}, e.g. 3.1",
        )
    return values


def fit_warnings(result: FitResult, *, table: bool = True) -> list[str]:
    """The fit's warnings, ``at bound: ...`` for the parameters at a bound that no warning
    already explains (said once per parameter), and (``table``) a repeated column its table
    left out."""
    said = [b for b in result.at_bound if not any(w.startswith(f"{b} = ") for w in result.warnings)]
    bound = [f"at bound: {', '.join(said)}"] if said else []
    # each interval already as the table beside them writes it: the law's figures
    return [*bound, *result.warnings, *(repeat_warnings(result.notes) if table else ())]


def _values(values: Array) -> str:
    return ", ".join(format_g(v, 4) for v in values)
