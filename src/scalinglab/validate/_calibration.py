"""Calibration: do nominal 50/80/90% intervals hold 50/80/90% of held-out runs?

::

    cal = calibrate(Scenario(noise=0.015, outliers=2), replicates=100, seed=1000)
    cal.coverage["prediction"][0.9]       # 0.919 over 100 replicates (benchmarks/RESULTS.md)

Each replicate draws an IsoFLOP ladder from a known law with log-normal (or heavier-tailed
Student-t) noise and a few diverged runs among the fitted ones, fits the law with a bootstrap
on all budgets but the largest, and checks whether each run of the largest budget fell
inside its intervals. Two interval methods are scored on the same fits:

- ``"parameters"``: percentiles of the bootstrap fits' predictions (the law's mean only),
  which is what ``FitResult.predict`` gave before run-to-run noise was folded in;
- ``"prediction"``: the same plus Gaussian noise at the robust scale of the residuals
  (``FitResult.predict(extrapolation=False)``: the bootstrap prediction interval);
- ``"calibrated"``: that interval widened by the extrapolation error that rolling-origin
  backtests on the fitted runs measure (``FitResult.predict``'s default where the data
  allow it; see :mod:`scalinglab.fit._extrapolation`).

Runs of one replicate share one fit, so coverage varies more between replicates than a
binomial count suggests: use tens of replicates for numbers to report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._json import json_ready
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data import RunTable
from scalinglab.fit import fit
from scalinglab.laws import get_law
from scalinglab.validate import _repr
from scalinglab.validate._score import coverage_of, covered, scored_levels

__all__ = ["HOFFMANN", "METHODS", "Calibration", "Scenario", "calibrate", "simulate_runs"]

#: Hoffmann et al. 2022's fitted law (eq. 10), the default truth.
HOFFMANN: Mapping[str, float] = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
#: Interval methods scored, in the order shown.
METHODS = ("parameters", "prediction", "calibrated")


@dataclass(frozen=True)
class Scenario:
    """A known law and how runs drawn from it are corrupted.

    Attributes:
        name: Label for tables.
        truth: Parameters of the Chinchilla law ``E + A/N^α + B/D^β``.
        noise: Standard deviation of the log noise on the loss (0.015 = 1.5%).
        tails: ``"gaussian"`` or ``"student-t"`` (4 degrees of freedom, scaled to ``noise``).
        outliers: Fitted runs whose loss is pushed up 20-50%, as diverged runs are.
        budgets: Compute budgets (FLOPs); the largest is held out.
        sizes_per_budget: Model sizes per budget, N_opt/8 ... 8·N_opt.
    """

    name: str = "chinchilla, 1.5% noise, 2 outliers"
    truth: Mapping[str, float] = field(default_factory=lambda: dict(HOFFMANN))
    noise: float = 0.015
    tails: str = "gaussian"
    outliers: int = 2
    budgets: tuple[float, ...] = (1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21)
    sizes_per_budget: int = 7

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "name": self.name,
            "truth": dict(self.truth),
            "noise": self.noise,
            "tails": self.tails,
            "outliers": self.outliers,
            "budgets": list(self.budgets),
            "sizes_per_budget": self.sizes_per_budget,
        }


@dataclass(frozen=True)
class Calibration:
    """Coverage of each interval method over all held-out runs of all replicates.

    Attributes:
        scenario: The simulated truth and corruption.
        replicates: Simulated ladders fitted.
        n_points: Held-out runs scored, in all.
        coverage: Method -> level -> fraction of held-out runs inside, of those scored (an
            unbounded interval cannot miss: not scored, as backtests score it).
        spread: Method -> level -> standard deviation of the per-replicate coverage.
        median_are: Median absolute relative error of the point predictions.
        n_bootstrap: Resamples per fit.
        width: Method -> level -> median of ``(upper - lower) / predicted loss``.
    """

    scenario: Scenario
    replicates: int
    n_points: int
    coverage: Mapping[str, Mapping[float, float]]
    spread: Mapping[str, Mapping[float, float]]
    median_are: float
    n_bootstrap: int
    width: Mapping[str, Mapping[float, float]] = field(default_factory=dict)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.calibration(self)

    def error(self, method: str = "prediction") -> float:
        """How far ``method``'s intervals miss their nominal coverage.

        Args:
            method: A key of :attr:`coverage` (the kind of interval scored).

        Returns:
            The largest distance of its coverage from nominal over the levels, in coverage
            points (a fraction: 0.05 is 5 points).
        """
        return max(abs(c - lv) for lv, c in self.coverage[method].items())

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The calibration as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """

        def levels(d: Mapping[float, float]) -> dict[str, float]:
            return {f"{lv:g}": v for lv, v in d.items()}

        return {
            "scenario": self.scenario.to_dict(),
            "replicates": self.replicates,
            "n_points": self.n_points,
            "n_bootstrap": self.n_bootstrap,
            "median_are": self.median_are,
            "coverage": {m: levels(c) for m, c in self.coverage.items()},
            "spread": {m: levels(c) for m, c in self.spread.items()},
            "width": {m: levels(c) for m, c in self.width.items()},
        }


def simulate_runs(scenario: Scenario, *, seed: int) -> RunTable:
    """One IsoFLOP ladder drawn from ``scenario``; outliers only among the fitted budgets.

    Args:
        scenario: The truth and the corruption.
        seed: Seed of the draw.

    Returns:
        The runs: ``params``, ``tokens``, ``flops`` and ``loss``.

    Raises:
        ConfigError: For unknown tails, or under 3 budgets or 2 sizes per budget.
    """
    t = scenario.truth
    if scenario.tails not in ("gaussian", "student-t"):
        raise ConfigError(f"tails must be 'gaussian' or 'student-t', got {scenario.tails!r}")
    if len(scenario.budgets) < 3 or scenario.sizes_per_budget < 2:
        raise ConfigError("a calibration ladder needs at least 3 budgets and 2 sizes per budget")
    rng = np.random.default_rng(seed)
    a, b = t["alpha"], t["beta"]
    g = (a * t["A"] / (b * t["B"])) ** (1 / (a + b))
    flops = np.repeat(np.asarray(scenario.budgets, float), scenario.sizes_per_budget)
    spread = 8.0 ** np.linspace(-1, 1, scenario.sizes_per_budget)
    params = np.concatenate([g * (c / 6) ** (b / (a + b)) * spread for c in scenario.budgets])
    tokens = flops / (6 * params)
    law = get_law("chinchilla")
    mean = np.asarray(law.evaluate(dict(t), {"N": params, "D": tokens}), float)
    if scenario.tails == "gaussian":
        z = rng.standard_normal(len(mean))
    else:  # Student-t with 4 dof has variance 2: scale to unit variance
        z = rng.standard_t(4, len(mean)) / math.sqrt(2)
    loss = mean * np.exp(scenario.noise * z)
    fitted = np.flatnonzero(flops < max(scenario.budgets))
    if scenario.outliers:
        bad = rng.choice(fitted, min(scenario.outliers, len(fitted)), replace=False)
        loss[bad] *= rng.uniform(1.2, 1.5, len(bad))
    runs = tuple(f"cal-{i}" for i in range(len(loss)))
    return RunTable(
        columns={"params": params, "tokens": tokens, "flops": flops, "loss": loss},
        runs=runs,
        rows=tuple(range(1, len(runs) + 1)),
        source=f"simulated: calibration scenario {scenario.name!r}, seed {seed}",
        simulated=True,
    )


def calibrate(
    scenario: Scenario | None = None,
    *,
    replicates: int = 20,
    bootstrap: int = 200,
    level: float | Sequence[float] | None = None,
    seed: int = 0,
    law: str = "chinchilla",
    progress: Progress | bool | None = None,
    levels: Sequence[float] | None = None,
) -> Calibration:
    """Coverage of nominal intervals on held-out runs of ladders simulated from a known law.

    Args:
        scenario: The truth and the corruption (default :class:`Scenario`).
        replicates: Ladders to simulate and fit (seeds ``seed``, ``seed + 1``, ...).
        bootstrap: Resamples per fit.
        level: Nominal coverage(s) scored, one or several, as :func:`backtest`'s ``level``
            (default 0.5, 0.8 and 0.9).
        seed: First seed.
        law: The law fitted (the truth is always the Chinchilla law).
        progress: Called as ``progress("calibration", done, replicates)``. ``True`` prints a line on
            stderr (:mod:`scalinglab._progress`).
        levels: Deprecated name of ``level`` (one release), as in :func:`backtest`.

    Returns:
        Each interval method's coverage, spread and width per level, over every replicate.

    Raises:
        ConfigError: For fewer than one replicate or a bootstrap under 20.
    """
    progress = resolve_progress(progress)  # True: a text line on stderr
    scenario = scenario or Scenario()
    levels = scored_levels(level, levels, caller="calibrate")
    if replicates < 1 or bootstrap < 20:
        raise ConfigError("calibrate needs replicates >= 1 and bootstrap >= 20")
    inside: dict[str, dict[float, list[NDArray[np.float64]]]] = {
        m: {lv: [] for lv in levels} for m in METHODS
    }
    widths: dict[str, dict[float, list[NDArray[np.float64]]]] = {
        m: {lv: [] for lv in levels} for m in METHODS
    }
    errors = []
    top = max(scenario.budgets)
    for i in range(replicates):
        table = simulate_runs(scenario, seed=seed + i)
        held = table["flops"] >= top
        train, test = table.select(~held), table.select(held)
        result = fit(law, train, bootstrap=bootstrap, seed=seed + i, compare=False)
        at: dict[str, Any] = {c: test[c] for c in result.columns.values()}
        actual = test["loss"]
        errors.append(np.abs(result.predict(**at).loss - actual) / actual)
        for method in METHODS:
            for lv in levels:
                p = result.predict(
                    level=lv,
                    noise=method != "parameters",
                    extrapolation=method == "calibrated",
                    **at,
                )
                inside[method][lv].append(covered(p.lower, p.upper, actual))
                widths[method][lv].append((p.upper - p.lower) / p.loss)
        if progress is not None:
            progress("calibration", i + 1, replicates)
    coverage = {
        m: {lv: coverage_of(np.concatenate(v))[0] for lv, v in d.items()} for m, d in inside.items()
    }
    spread = {
        m: {lv: _spread([coverage_of(x)[0] for x in v]) for lv, v in d.items()}
        for m, d in inside.items()
    }
    return Calibration(
        scenario=scenario,
        replicates=replicates,
        n_points=int(sum(len(e) for e in errors)),
        coverage=coverage,
        spread=spread,
        median_are=float(np.median(np.concatenate(errors))),
        n_bootstrap=bootstrap,
        width={
            m: {lv: float(np.median(np.concatenate(v))) for lv, v in d.items()}
            for m, d in widths.items()
        },
    )


def _spread(per_replicate: list[float]) -> float:
    """Standard deviation of the replicates' coverage, those with a run scored."""
    kept = [c for c in per_replicate if not math.isnan(c)]
    return float(np.std(kept)) if kept else math.nan
