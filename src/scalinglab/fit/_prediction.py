"""What ``FitResult.predict`` returns, and the bootstrap-plus-noise interval behind it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from typing_extensions import deprecated

from scalinglab import _repr
from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab._quantiles import median
from scalinglab.laws import Law

__all__ = ["Prediction", "bootstrap_interval", "full_noise_scale", "noise_scale"]

Array = NDArray[np.float64]
#: Fewest noise-added draws behind a prediction interval.
_NOISE_DRAWS = 4000
#: Most noise-added values held at once (float64: 160 MB).
_CHUNK = 20_000_000
#: Residuals farther than this many robust standard deviations from the median are not noise.
_KEEP = 4.0


@old_fields(interval="interval_kind")
@dataclass(frozen=True)
class Prediction:
    """Predicted loss with a prediction interval of the kind :attr:`interval_kind` names:
    by default ``"backtest-calibrated"`` where the fit measured its extrapolation error
    (the bootstrap, the noise and that error), else ``"bootstrap"`` percentiles (bootstrap
    and noise), ``"parameters"`` (the law's mean alone, ``noise=False``), or ``"none"``
    without resamples (NaN bounds).

    Attributes:
        loss: Prediction of the best fit, one per query point (an array even for one
            point: ``p.loss[0]``, or ``float(p)``, is a one-point prediction's value).
        lower: Lower end of the interval (NaN without a bootstrap).
        upper: Upper end of the interval.
        level: Coverage of the interval, e.g. 0.9.
        noise: Scale of the run-to-run noise folded into the interval (a log-space standard
            deviation for fits in log space, loss units for linear ones; the robust σ, where
            a calibrated interval's floor inside the data uses the fuller
            ``extrapolation.sigma_full``); 0 for an interval of the law's mean alone
            (``predict(noise=False)``).
        interval_kind: Which kind of interval: ``"backtest-calibrated"`` (bootstrap, noise and
            the extrapolation error measured by rolling-origin backtests on the fitted
            runs), ``"bootstrap"`` (bootstrap and noise), ``"parameters"`` (the law's
            mean alone), or ``"none"`` (no resamples: a point prediction, NaN bounds).
        distance: Decades outside the fitted data of each point, above or below, in N, D,
            N·D or tokens per parameter D/N (0 inside it); the calibrated interval's width
            is taken at the distance without D/N (:mod:`~scalinglab.fit._reach`).
        below: Whether each point's :attr:`distance` is down, below the smallest fitted
            runs, rather than beyond the largest (``None`` where it is not measured).
        max_level: Highest level the backtest residuals calibrate, for a
            ``"backtest-calibrated"`` interval (beyond it the interval is unbounded:
            ``lower`` 0, ``upper`` inf); ``None`` for other kinds.
        notes: What to know about the interval and where it is made
            (:mod:`~scalinglab.fit._far`): why it is unbounded, where the noise floor set
            a calibrated width (or a fit file holds no floor), points more than a decade
            outside the fitted runs or at tokens per parameter outside theirs, and, for a
            calibrated interval, points past the distance its backtests measured.
        width_from: Which term set each point's calibrated half-width:
            ``"calibrated"`` (``q·s``, the backtests' error at its distance) or
            ``"noise-floor"`` (``z·σ_full``, the run-to-run noise's own interval, wider
            there); ``""`` at a point without an interval (its prediction NaN; ``null`` in
            JSON); ``None`` for other kinds.
        at: The points' values by the names they were asked at (``params``, ``tokens``,
            ``flops`` or a column: :meth:`FitResult.predict`'s keywords; ``predict --json``'s
            names), each broadcast to the points in :meth:`to_dict`; empty where not known.
    """

    loss: Array
    lower: Array
    upper: Array
    level: float
    noise: float = 0.0
    interval_kind: str = "bootstrap"
    distance: Array | None = None
    max_level: float | None = None
    notes: tuple[str, ...] = ()
    width_from: NDArray[np.str_] | None = None
    below: NDArray[np.bool_] | None = None
    at: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.prediction(self)

    def __float__(self) -> float:
        """The predicted loss of a one-point prediction (``float(p)``, as ``p.loss[0]``);
        a prediction of several points has no one value: index ``loss`` instead."""
        if self.loss.size != 1:
            raise ConfigError(
                f"float() of a prediction of {self.loss.size} points: it has no one value",
                hint="take one point's loss, p.loss[i], or all of them, p.loss.tolist()",
            )
        return float(self.loss[0])

    def to_dict(self) -> dict[str, Any]:
        """What ``predict --json`` holds of the prediction, JSON-ready (``inf``/NaN as
        strings): one point's values flat, several as ``points`` (a list), each its
        :attr:`at` values, ``loss``, ``loss_lower``, ``loss_upper`` (``lower`` and ``upper``,
        the same numbers, kept one release), ``distance``, ``below`` and, for a calibrated
        interval, ``width_from``; then ``level``, ``noise``, ``interval_kind``, ``max_level``
        and ``notes``.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        from scalinglab._json import plain

        rows = self.rows()
        data = rows[0] if len(rows) == 1 else {"points": rows}
        out: dict[str, Any] = plain(
            data
            | {
                "level": self.level,
                "noise": self.noise,
                "interval_kind": self.interval_kind,
                "max_level": self.max_level,
                "notes": list(self.notes),
            }
        )
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One dictionary per point: its :attr:`at` values (broadcast), ``loss``,
        ``loss_lower``, ``loss_upper`` (an estimate as ``plan --json`` writes one; ``lower``
        and ``upper`` beside them for one release), ``distance`` and ``below`` (``None``
        where not measured) and, for a calibrated interval, which term set its width
        (``width_from``).

        Returns:
            The dictionaries, in the order of the points.
        """
        arrays = {**self.at, "loss": self.loss, "loss_lower": self.lower,
                  "loss_upper": self.upper, "lower": self.lower, "upper": self.upper}  # fmt: skip
        if self.distance is not None:
            arrays["distance"] = self.distance
        flat = {
            k: np.ravel(v)
            for k, v in zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True)
        }
        n = len(flat["loss"])
        rows: list[dict[str, Any]] = [{k: float(v[i]) for k, v in flat.items()} for i in range(n)]
        if self.distance is None:
            for row in rows:
                row["distance"] = None
        down = np.broadcast_to(False if self.below is None else self.below, (n,))
        for row, is_below in zip(rows, down, strict=True):  # a bool: not among the floats
            row["below"] = None if self.below is None else bool(is_below)
        if self.width_from is not None:  # strings: not among the floats above
            set_by = np.ravel(np.broadcast_to(self.width_from, np.shape(flat["loss"])))
            for row, by in zip(rows, set_by, strict=True):  # "": no interval, null
                row["width_from"] = str(by) or None
        return rows

    @property
    @deprecated(
        "Prediction.interval is deprecated and goes in the next release: use "
        "Prediction.interval_kind (one name for the kind of interval across results)",
        category=DeprecationWarning,
    )
    def interval(self) -> str:
        """Deprecated alias of :attr:`interval_kind` (one release)."""
        return self.interval_kind


def noise_scale(residuals: Array, k: int) -> float:
    """Robust standard deviation of the run-to-run noise around a fit of ``k`` parameters.

    ``1.4826 · MAD`` of the residuals (unmoved by the few diverged runs a Huber fit
    ignores), times ``sqrt(n / (n - k))`` for the ``k`` fitted parameters. In log space
    this is the relative noise of the loss; in linear space, loss units.
    """
    r = np.asarray(residuals, dtype=np.float64)
    r = r[np.isfinite(r)]
    n = len(r)
    if n <= k:
        return 0.0
    mad = median(np.abs(r - median(r)))
    return 1.4826 * mad * math.sqrt(n / (n - k))


def full_noise_scale(residuals: Array, k: int) -> float:
    """Root mean square of the residuals within ``4·s0`` of their median, over ``m - k``
    degrees of freedom (``m`` kept, ``k`` fitted parameters; ``s0 = 1.4826·MAD``).

    The cut leaves out the few diverged runs a Huber fit ignores. Fuller than
    :func:`noise_scale`: a Huber fit whose δ (1e-3 in log space) lies under the noise is
    nearly a least-absolute-deviation fit, which pulls the central residuals toward zero,
    so their MAD understates the noise (30 loss-to-loss runs with 0.2% noise: median
    0.00163 against 0.00196 for this). Only the calibrated interval's floor uses it
    (:meth:`~._calibrated.Extrapolation.half_width`).
    """
    r = np.asarray(residuals, dtype=np.float64)
    r = r[np.isfinite(r)]
    n = len(r)
    if n <= k:
        return 0.0
    centre = median(r)
    s0 = 1.4826 * median(np.abs(r - centre))
    kept = r[np.abs(r - centre) <= _KEEP * s0]
    if s0 == 0 or len(kept) <= k:  # too few residuals off the median to count
        return s0 * math.sqrt(n / (n - k))
    return float(np.sqrt(np.sum(kept**2) / (len(kept) - k)))


def bootstrap_interval(
    law: Law,
    samples: Array | None,
    point: Array,
    data: Mapping[str, Any],
    level: float,
    *,
    sigma: float,
    seed: int,
    space: str,
) -> tuple[Array, Array]:
    """Percentile interval of the bootstrap fits ``samples`` at ``data``, with draws of
    noise of scale ``sigma`` added (none for ``sigma == 0``); NaN without samples."""
    if samples is None or len(samples) == 0:
        nan = np.full_like(point, np.nan)
        return nan, nan.copy()
    draws = np.asarray(law.evaluate(samples, data), dtype=np.float64)
    q = [50 * (1 - level), 50 * (1 + level)]
    if sigma == 0:
        with np.errstate(invalid="ignore"):
            lo, hi = np.nanpercentile(draws, q, axis=0)
        return lo, hi
    # noise draws per point: chunk the points so memory stays bounded (~160 MB)
    flat = draws.reshape(len(draws), -1)
    bounds = np.empty((2, flat.shape[1]))
    step = max(1, _CHUNK // max(_NOISE_DRAWS, len(flat)))
    rng = np.random.default_rng(seed)
    for start in range(0, flat.shape[1], step):
        part = _add_noise(flat[:, start : start + step], sigma, rng, space)
        pick = np.nanpercentile if np.isnan(part).any() else np.percentile  # 10x faster
        with np.errstate(invalid="ignore"):
            bounds[:, start : start + step] = pick(part, q, axis=0)
    lo, hi = (b.reshape(draws.shape[1:]) for b in bounds)
    return lo, hi


def _add_noise(draws: Array, sigma: float, rng: np.random.Generator, space: str) -> Array:
    """``(R, P)`` bootstrap predictions -> ``(R·m, P)`` with Gaussian noise added.

    ``m`` draws per resample (at least 4,000 in all) from a generator seeded by the fit's
    seed, so the same fit always gives the same interval.
    """
    per = max(1, math.ceil(_NOISE_DRAWS / len(draws)))
    z = rng.standard_normal((len(draws), per, draws.shape[1]))
    if space == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            noisy = np.log(draws)[:, None] + sigma * z
        return np.exp(noisy).reshape(-1, draws.shape[1])
    return (draws[:, None] + sigma * z).reshape(-1, draws.shape[1])
