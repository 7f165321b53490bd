"""FitResult: a fitted law with intervals, diagnostics, predictions, and a JSON form."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from typing_extensions import deprecated

from scalinglab._errors import ConfigError, DataError
from scalinglab.fit._extrapolation import Extrapolation, distance, log_spread
from scalinglab.laws import Law, get_law
from scalinglab.laws._presets import Conventions

__all__ = ["FitResult", "Prediction"]

Array = NDArray[np.float64]
_FORMAT = "scalinglab.fit/1"
#: Fewest noise-added draws behind a prediction interval.
_NOISE_DRAWS = 4000
#: Most noise-added values held at once (float64: 160 MB).
_CHUNK = 20_000_000


# what older fit files call the solver that ran -> today's name
_LEGACY_SOLVERS = {
    "None": "numpy",
    "_sumpow_mvec": "compiled-avx512",
    "_sumpow": "compiled-portable",
}

@dataclass(frozen=True)
class Prediction:
    """Predicted loss with a percentile interval from the bootstrap.

    Attributes:
        loss: Prediction of the best fit, one per query point.
        lower: Lower end of the interval (NaN without a bootstrap).
        upper: Upper end of the interval.
        level: Coverage of the interval, e.g. 0.9.
        noise: Scale of the run-to-run noise folded into the interval (a log-space standard
            deviation for fits in log space, loss units for linear ones); 0 for an interval
            of the law's mean alone (``predict(noise=False)``).
        interval: Which kind of interval: ``"backtest-calibrated"`` (bootstrap, noise and
            the extrapolation error measured by rolling-origin backtests on the fitted
            runs), ``"bootstrap"`` (bootstrap and noise), or ``"parameters"`` (the law's
            mean alone).
        distance: Decades beyond the fitted data of each point (0 inside it).
    """

    loss: Array
    lower: Array
    upper: Array
    level: float
    noise: float = 0.0
    interval: str = "bootstrap"
    distance: Array | None = None


@dataclass(frozen=True, repr=False)
class FitResult:
    """A law fitted to runs.

    Attributes:
        law_spec: The law as given (a name like ``"chinchilla"`` or a formula).
        coefs: Best-fit values of the law's coefficients in natural units (``params`` is
            their deprecated old name; everywhere else ``params`` means model size).
        intervals: Percentile interval ``(lower, upper)`` of each parameter at ``level``.
        samples: Best fit of every bootstrap resample, ``(R, K)`` natural units, or ``None``.
        level: Coverage of ``intervals``.
        objective: Objective at the best fit (sum of the robust loss over runs).
        status: ``"converged"`` or ``"failed"``.
        message: What the status means.
        n_starts: Starting points tried.
        n_starts_at_best: Starts that reached the best objective (within 1e-6 relative).
        n_converged: Starts whose solver reported convergence.
        at_bound: Parameters that ended at a bound.
        aic: Akaike information criterion of a Gaussian model of the residuals.
        bic: Bayesian information criterion, same model.
        residuals: Residual of every run at the best fit (log space unless ``space="linear"``).
        runs: Run ids of the runs fitted.
        columns: Which run-table column each variable of the law read.
        loss: Name of the robust loss and its ``delta``.
        space: ``"log"`` or ``"linear"`` residuals.
        n_bootstrap: Resamples requested; ``len(samples)`` may be smaller if some failed.
        seed: Seed of the start subsets and the resampling.
        source: Where the runs came from (says "SIMULATED" for simulated data).
        simulated: Whether the runs are simulated.
        conventions: Which N, FLOPs, loss and tokens the numbers mean.
        notes: What was derived, excluded or assumed on the way.
        solver: Which solver and build ran: ``"numpy"``, or the compiled solver's build,
            ``"compiled-avx512"``, ``"compiled-avx2"``, ``"compiled-neon"`` or
            ``"compiled-portable"``; they agree to rounding.
        extrapolation: The law's extrapolation error measured by rolling-origin backtests
            on the fitted runs, and the data's reach (``None`` in files from before it was
            recorded); when calibrated, prediction intervals include it.
        warnings: Every reason not to trust the fit, one line each
            (:mod:`scalinglab.fit._diagnostics`): collapsed or implausible parameters,
            parameters the data do not identify, too few runs per parameter.
    """

    law_spec: str
    coefs: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    samples: Array | None
    level: float
    objective: float
    status: str
    message: str
    n_starts: int
    n_starts_at_best: int
    n_converged: int
    at_bound: tuple[str, ...]
    aic: float
    bic: float
    residuals: Array
    runs: tuple[str, ...]
    columns: Mapping[str, str]
    loss: str
    delta: float
    space: str
    n_bootstrap: int
    seed: int
    source: str
    simulated: bool = False
    conventions: Conventions = field(default_factory=Conventions)
    notes: tuple[str, ...] = ()
    solver: str = "numpy"
    extrapolation: Extrapolation | None = None
    warnings: tuple[str, ...] = ()

    @property
    @deprecated(
        "FitResult.params is deprecated and goes in the next release: use FitResult.coefs "
        "(the law's fitted values; 'params' means model size everywhere else)",
        category=DeprecationWarning,
    )
    def params(self) -> Mapping[str, float]:
        """Deprecated alias of :attr:`coefs` (one release)."""
        return self.coefs

    @property
    def trusted(self) -> bool:
        """Converged, and no diagnostic says otherwise."""
        return self.ok and not self.warnings

    def distance(self, **columns: Any) -> Array:
        """Decades beyond the fitted data at these points (0 inside; NaN when unknown)."""
        law = self.law
        data = self._variables(law, columns)
        if self.extrapolation is None:
            return np.full(np.broadcast_shapes(*(v.shape for v in data.values())), np.nan)
        return distance(self.extrapolation.reach, data)

    @property
    def interval_kind(self) -> str:
        """Kind of the prediction intervals :meth:`predict` gives, and why, in one line."""
        ex = self.extrapolation
        if ex is None:
            return "bootstrap (extrapolation error not measured)"
        return f"{ex.kind} ({ex.reason})"

    @property
    def law(self) -> Law:
        """The law form (rebuilt from :attr:`law_spec`)."""
        extra = {s: c for s, c in self.columns.items() if s not in ("N", "D", "C")}
        return get_law(self.law_spec, columns=extra)

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(self.coefs)

    @property
    def theta(self) -> Array:
        """Best-fit values as a vector in :attr:`param_names` order."""
        return np.array(list(self.coefs.values()), dtype=np.float64)

    @property
    def ok(self) -> bool:
        return self.status == "converged"

    def predict(
        self,
        *,
        level: float | None = None,
        noise: bool = True,
        extrapolation: bool = True,
        **columns: Any,
    ) -> Prediction:
        """Predicted loss, with a prediction interval, at new points.

        The interval is for the loss a new run at these points will show: each bootstrap
        fit's prediction plus draws of the run-to-run noise, whose scale is the robust
        spread of this fit's residuals (:meth:`noise_scale`); percentiles of the sum. Where
        the fit measured its extrapolation error (:attr:`extrapolation` is calibrated), the
        interval is ``loss · exp(±q·s)`` instead: the noise, the bootstrap's spread and the
        law's own error at ``d`` decades beyond the data, scaled by the quantile ``q`` that
        rolling-origin backtests on the fitted runs calibrate (:mod:`~scalinglab.fit._extrapolation`). Parameter
        uncertainty alone under-covers held-out runs (``benchmarks/calibration.py``
        measures each kind); ``noise=False`` gives that narrower interval of the law's mean.

        Args:
            level: Coverage of the interval; defaults to :attr:`level`.
            noise: Fold the run-to-run noise into the interval (a prediction interval).
            extrapolation: Include the measured extrapolation error where there is one.
            **columns: Values of the law's variables by column or symbol, e.g.
                ``params=70e9, tokens=1.4e12`` (arrays broadcast).

        Returns:
            The prediction, its interval, which kind it is, and each point's distance.
        """
        level = self.level if level is None else level
        if not 0 < level < 1:
            raise ConfigError(f"level must be between 0 and 1, got {level}")
        law = self.law
        data = self._variables(law, columns)
        point = np.asarray(law.evaluate(self.theta, data), dtype=np.float64)
        ex = self.extrapolation
        reach = ex.reach if ex is not None else None
        far = None if reach is None else distance(reach, data) + np.zeros_like(point)
        lo, hi, sigma, kind = self._bootstrap_interval(point, data, level, noise)
        if noise and extrapolation and ex is not None and ex.calibrated and far is not None:
            # the calibrated band holds noise, the bootstrap's spread and the law's own error
            # (calibration is only measured for log-space fits)
            half = ex.half_width(far, self._spread(law, data, point), level)
            with np.errstate(over="ignore"):
                lo, hi = point * np.exp(-half), point * np.exp(half)
            kind = ex.kind
        return Prediction(point, lo, hi, level, sigma, kind, far)

    def _spread(self, law: Law, data: Mapping[str, Any], point: Array) -> Array:
        """Bootstrap spread of the log prediction at each point (0 without samples)."""
        if self.samples is None or len(self.samples) < 2:
            return np.zeros_like(point)
        return log_spread(law, self.samples, data) + np.zeros_like(point)

    def _bootstrap_interval(
        self, point: Array, data: Mapping[str, Any], level: float, noise: bool
    ) -> tuple[Array, Array, float, str]:
        """Percentile interval of the bootstrap fits (plus noise draws when ``noise``)."""
        law = self.law
        kind = "bootstrap" if noise else "parameters"
        if self.samples is None or len(self.samples) == 0:
            nan = np.full_like(point, np.nan)
            return nan, nan.copy(), 0.0, kind
        draws = np.asarray(law.evaluate(self.samples, data), dtype=np.float64)
        sigma = self.noise_scale() if noise else 0.0
        q = [50 * (1 - level), 50 * (1 + level)]
        if sigma == 0:
            with np.errstate(invalid="ignore"):
                lo, hi = np.nanpercentile(draws, q, axis=0)
            return lo, hi, sigma, kind
        # noise draws per point: chunk the points so memory stays bounded (~160 MB)
        flat = draws.reshape(len(draws), -1)
        bounds = np.empty((2, flat.shape[1]))
        step = max(1, _CHUNK // max(_NOISE_DRAWS, len(flat)))
        rng = np.random.default_rng(self.seed)
        for start in range(0, flat.shape[1], step):
            part = self._add_noise(flat[:, start : start + step], sigma, rng)
            pick = np.nanpercentile if np.isnan(part).any() else np.percentile  # 10x faster
            with np.errstate(invalid="ignore"):
                bounds[:, start : start + step] = pick(part, q, axis=0)
        lo, hi = (b.reshape(draws.shape[1:]) for b in bounds)
        return lo, hi, sigma, kind

    def noise_scale(self) -> float:
        """Robust standard deviation of the run-to-run noise around the fit.

        ``1.4826 · MAD`` of the residuals (unmoved by the few diverged runs a Huber fit
        ignores), times ``sqrt(n / (n - k))`` for the ``k`` fitted parameters. In log space
        this is the relative noise of the loss; in linear space, loss units.
        """
        r = np.asarray(self.residuals, dtype=np.float64)
        r = r[np.isfinite(r)]
        n, k = len(r), len(self.coefs)
        if n <= k:
            return 0.0
        mad = float(np.median(np.abs(r - np.median(r))))
        return 1.4826 * mad * math.sqrt(n / (n - k))

    def _add_noise(self, draws: Array, sigma: float, rng: np.random.Generator) -> Array:
        """``(R, P)`` bootstrap predictions -> ``(R·m, P)`` with Gaussian noise added.

        ``m`` draws per resample (at least 4,000 in all) from a generator seeded by the fit's
        seed, so the same fit always gives the same interval.
        """
        per = max(1, math.ceil(_NOISE_DRAWS / len(draws)))
        z = rng.standard_normal((len(draws), per, draws.shape[1]))
        if self.space == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                noisy = np.log(draws)[:, None] + sigma * z
            return np.exp(noisy).reshape(-1, draws.shape[1])
        return (draws[:, None] + sigma * z).reshape(-1, draws.shape[1])

    def _variables(self, law: Law, given: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for symbol, column in self.columns.items():
            for key in (column, symbol):
                if key in given:
                    out[symbol] = np.asarray(given[key], dtype=np.float64)
                    break
            else:
                if column == "tokens" and "flops" in given and symbol in law.variables:
                    n = given.get("params", given.get("N"))
                    if n is not None:  # D = C / (6 N)
                        out[symbol] = np.asarray(given["flops"], float) / (6 * np.asarray(n, float))
                        continue
                raise ConfigError(
                    f"predict needs {column}= (the law's {symbol}); got {sorted(given) or 'nothing'}"
                )
        for symbol, v in out.items():
            if np.any(~np.isfinite(v)) or np.any(v <= 0):
                raise DataError(f"{symbol} must be positive and finite to predict, got {v}")
        return out

    # -- text and JSON -------------------------------------------------------------------

    def __str__(self) -> str:
        from scalinglab.fit._text import render_fit

        return render_fit(self)

    def __repr__(self) -> str:
        # one line: the dataclass repr listed every residual, run name and sample
        values = ", ".join(f"{k}={v:.5g}" for k, v in self.coefs.items())
        n_samples = 0 if self.samples is None else len(self.samples)
        return (
            f"FitResult(law={self.law_spec!r}, {values}, status={self.status!r}, "
            f"runs={self.n_runs}, objective={self.objective:.6g}, bootstrap={n_samples}, "
            f"solver={self.solver!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (floats as numbers, ``inf``/NaN as strings)."""
        return {
            "format": _FORMAT,
            "law": self.law_spec,
            "formula": self.law.formula,
            "coefs": {k: _num(v) for k, v in self.coefs.items()},
            "intervals": {k: [_num(a), _num(b)] for k, (a, b) in self.intervals.items()},
            "level": self.level,
            "samples": None
            if self.samples is None
            else [[_num(x) for x in row] for row in self.samples],
            "objective": self.objective,
            "status": self.status,
            "message": self.message,
            "n_starts": self.n_starts,
            "n_starts_at_best": self.n_starts_at_best,
            "n_converged": self.n_converged,
            "at_bound": list(self.at_bound),
            "aic": _num(self.aic),
            "bic": _num(self.bic),
            "residuals": [_num(r) for r in self.residuals],
            "runs": list(self.runs),
            "columns": dict(self.columns),
            "loss": self.loss,
            "delta": self.delta,
            "space": self.space,
            "n_bootstrap": self.n_bootstrap,
            "seed": self.seed,
            "source": self.source,
            "simulated": self.simulated,
            "conventions": self.conventions.as_dict(),
            "notes": list(self.notes),
            "solver": self.solver,
            "extrapolation": None if self.extrapolation is None else self.extrapolation.to_dict(),
            "warnings": list(self.warnings),
            "trusted": self.trusted,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the result as JSON."""
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str = "<dict>") -> FitResult:
        if d.get("format") != _FORMAT:
            raise DataError(
                f"not a scalinglab fit (format {d.get('format')!r}, expected {_FORMAT!r})",
                source=source,
                hint="write one with `scalinglab fit ... --out fit.json`",
            )
        try:
            samples = d["samples"]
            coefs = d["coefs"] if "coefs" in d else d["params"]  # older files: "params"
            return cls(
                law_spec=d["law"],
                coefs={k: float(v) for k, v in coefs.items()},
                intervals={k: (float(a), float(b)) for k, (a, b) in d["intervals"].items()},
                samples=None
                if samples is None
                else np.array(samples, dtype=np.float64).reshape(-1, len(coefs)),
                level=float(d["level"]),
                objective=float(d["objective"]),
                status=d["status"],
                message=d["message"],
                n_starts=int(d["n_starts"]),
                n_starts_at_best=int(d["n_starts_at_best"]),
                n_converged=int(d["n_converged"]),
                at_bound=tuple(d["at_bound"]),
                aic=float(d["aic"]),
                bic=float(d["bic"]),
                residuals=np.array(d["residuals"], dtype=np.float64),
                runs=tuple(d["runs"]),
                columns=dict(d["columns"]),
                loss=d["loss"],
                delta=float(d["delta"]),
                space=d["space"],
                n_bootstrap=int(d["n_bootstrap"]),
                seed=int(d["seed"]),
                source=d["source"],
                simulated=bool(d["simulated"]),
                conventions=Conventions(**d["conventions"]),
                notes=tuple(d["notes"]),
                # files from before it was recorded, or with the builds' old module names
                solver=_LEGACY_SOLVERS.get(str(d.get("solver")), str(d.get("solver"))),
                extrapolation=None
                if d.get("extrapolation") is None
                else Extrapolation.from_dict(d["extrapolation"]),
                warnings=tuple(d.get("warnings", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(
                f"fit file is incomplete or malformed ({type(exc).__name__}: {exc})",
                source=source,
                hint="write it again with `scalinglab fit ... --out fit.json`",
            ) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> FitResult:
        """Read a result written by :meth:`save`."""
        p = Path(path)
        if not p.is_file():
            raise DataError(
                "fit file not found",
                source=str(path),
                hint="write one with `scalinglab fit ... --out fit.json`",
            )
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"fit file is not valid JSON ({exc})", source=str(path)) from None
        if not isinstance(d, dict):
            raise DataError("fit file does not hold a JSON object", source=str(path))
        return cls.from_dict(d, source=str(path))


def _num(x: float) -> float | str:
    x = float(x)
    return x if math.isfinite(x) else str(x)
