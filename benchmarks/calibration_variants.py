"""Variants of the calibrated interval, measured on the same fits (issue 10, fourth round).

Each fit of ``benchmarks/calibration.py`` (Chinchilla law, 200-resample bootstrap) is made
with every rolling cut counted (the third round's measurement); its stored backtest
residuals (``FitResult.extrapolation``) are then turned into an interval by each variant
below, so every column of a row sees the same fits:

- ``bootstrap`` — ``predict(extrapolation=False)``: bootstrap fits plus the residual noise;
- ``third round`` — ``q·s(d)``, ``s² = σ² + κ²·d^p`` (``_calibrated.py``), every cut;
- ``analog cuts`` — ``predict()``'s default now: the same fit made again as it is now, where
  the full fit has 5 runs per parameter only the cuts fitted on as many counted;
- ``floor`` — the default, never narrower than ``z·√(σ² + v)``, ``v`` the full fit's
  delta-method variance of the prediction (the interval a correct law would get);
- ``intercept`` — ``s² = σ² + τ² + κ²·d^p``, ``τ`` (error at the data's edge beyond the
  noise) fitted with ``κ, p`` by the same weighted Student-t likelihood;
- ``delta`` — ``s² = σ² + v + κ²·d^p`` with each cut's own ``v`` and the full fit's at
  prediction (``Extrapolation.with_delta``);
- ``delta 5/par`` — the same, ``v`` counted only for fits of at least 5 runs per
  parameter (the diagnostics' line; below it the residual is taken whole);
- ``share votes`` — each cut's vote (in the likelihood and the quantile) in proportion to
  the share of the runs it fits, the full fit being the cut with all of them;
- ``trend`` — ``s² = σ² + κ²·d^p·e^{2γu}``, ``u`` the cut's log10 compute below the full
  fit's reach, ``γ`` fitted: the trend of the error across cuts carried to the full fit.

Simulated ladders as in ``calibration.py``; ``--replicates`` per scenario (the seeds
``--seed`` onwards). Coverage of the simulated rows is given with its Monte Carlo standard
error over replicates (the runs of one replicate share one fit).

Usage::

    python benchmarks/calibration_variants.py --replicates 200
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

from _machine import describe
from _real_sets import real_sets
from calibration import SCENARIOS
from scalinglab import FitResult, fit
from scalinglab.data import RunTable
from scalinglab.fit import _extrapolation
from scalinglab.fit._calibrated import Extrapolation, growth, weighted_quantile
from scalinglab.fit._delta import prediction_sd
from scalinglab.fit._diagnostics import MIN_RUNS_PER_PARAM
from scalinglab.validate import simulate_runs, split_runs
from scalinglab.validate._score import coverage_of, covered

Array = NDArray[np.float64]
LEVELS = (0.5, 0.8, 0.9)
_NU = 4.0
_KAPPAS = np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 240)])
_TAUS = np.concatenate([[0.0], np.geomspace(1e-4, 0.3, 60)])
_GAMMAS = np.linspace(-3.0, 3.0, 61)


@dataclass(frozen=True)
class Case:
    """One fit and its held-out runs: what every variant needs."""

    ex: Extrapolation
    n_fit: int
    n_par: int
    log_error: Array  # log(actual) - log(predicted) of each held-out run
    d: Array  # its distance (decades)
    v: Array  # the full fit's delta-method sd of its log prediction
    boot: dict[float, tuple[Array, Array]]  # bootstrap interval as log offsets
    now: dict[float, Array]  # predict()'s log half-width now


def fit_every_cut(train: RunTable, *, bootstrap: int, seed: int) -> FitResult:
    """The fit with every rolling cut counted (:data:`ANALOG_RUNS_PER_PARAM` out of reach)."""
    keep = _extrapolation.ANALOG_RUNS_PER_PARAM
    _extrapolation.ANALOG_RUNS_PER_PARAM = 10**9
    try:
        return fit("chinchilla", train, bootstrap=bootstrap, seed=seed, compare=False)
    finally:
        _extrapolation.ANALOG_RUNS_PER_PARAM = keep


def case(train: RunTable, test: RunTable, *, bootstrap: int, seed: int) -> Case:
    result = fit_every_cut(train, bootstrap=bootstrap, seed=seed)
    current = fit("chinchilla", train, bootstrap=bootstrap, seed=seed, compare=False)
    at = {c: test[c] for c in result.columns.values()}
    ex = result.extrapolation
    assert ex is not None and ex.covariance is not None
    p = result.predict(**at)
    law = result.law
    symbols = {s: np.asarray(test[c], dtype=np.float64) for s, c in result.columns.items()}
    v = prediction_sd(law, result.theta, ex.covariance, symbols)  # the law's variables
    boot, now = {}, {}
    for lv in LEVELS:
        b = result.predict(level=lv, extrapolation=False, **at)
        boot[lv] = (np.log(b.lower / b.loss), np.log(b.upper / b.loss))
        c = current.predict(level=lv, **at)
        now[lv] = np.log(c.upper / c.loss)
    assert p.distance is not None
    return Case(ex, result.n_runs, len(result.coefs), np.log(test["loss"] / p.loss),
                p.distance, v, boot, now)  # fmt: skip


def t_fit(r: Array, w: Array, s2: Array) -> Array:
    """Weighted Student-t log likelihood of ``r`` under variances ``s2`` (..., n)."""
    t = np.sqrt(s2) * math.sqrt((_NU - 2) / _NU)
    ll = -np.log(t) - (_NU + 1) / 2 * np.log1p((r / t) ** 2 / _NU)
    return np.asarray(ll @ w)


def conformal(c: Case, w: Array, s_cut: Array, s_new: Array, lv: float) -> Array:
    keep = c.ex.scored
    return weighted_quantile(np.abs(c.ex.residuals[keep]) / s_cut, w, lv) * s_new


def default(c: Case, lv: float) -> Array:
    return np.asarray(c.ex.half_width(c.d, 0.0, lv))


def floor(c: Case, lv: float) -> Array:
    z = float(norm.ppf(0.5 + lv / 2))
    return np.maximum(default(c, lv), z * np.sqrt(c.ex.sigma**2 + c.v**2))


def intercept(c: Case, lv: float) -> Array:
    ex, keep = c.ex, c.ex.scored
    d, r = np.maximum(ex.distances[keep], 0.0), ex.residuals[keep]
    best = (-np.inf, 0.0, 0.0, 2.0)
    for p in (2.0, 1.0):
        s2 = ex.sigma**2 + _TAUS[:, None, None] ** 2 + _KAPPAS[None, :, None] ** 2 * d**p
        tot = t_fit(r, ex.weights, s2)
        i, j = np.unravel_index(int(np.argmax(tot)), tot.shape)
        if tot[i, j] > best[0]:
            best = (float(tot[i, j]), float(_TAUS[i]), float(_KAPPAS[j]), p)
    _, tau, kappa, p = best

    def s(x: Array) -> Array:
        return np.sqrt(ex.sigma**2 + tau**2 + kappa**2 * np.maximum(x, 0.0) ** p)

    return conformal(c, ex.weights, s(d), s(c.d), lv)


def below(c: Case) -> Array:
    """Runs each residual's cut fitted."""
    return c.n_fit - np.repeat(np.asarray(c.ex.sizes, dtype=np.float64), c.ex.sizes)


def delta(c: Case, lv: float, *, ratio: float = 0.0) -> Array:
    ex, keep = c.ex, c.ex.scored
    b = np.where(below(c) >= ratio * c.n_par, ex.deltas, 0.0)[keep]
    bn = c.v if c.n_fit >= ratio * c.n_par else np.zeros_like(c.v)
    d = np.maximum(ex.distances[keep], 0.0)
    kappa, p = growth(d, ex.residuals[keep], b, ex.sigma, ex.weights)
    s_cut = np.sqrt(ex.sigma**2 + b**2 + kappa**2 * d**p)
    s_new = np.sqrt(ex.sigma**2 + bn**2 + kappa**2 * np.maximum(c.d, 0.0) ** p)
    return conformal(c, ex.weights, s_cut, s_new, lv)


def share_votes(c: Case, lv: float) -> Array:
    ex, keep = c.ex, c.ex.scored
    cut = np.repeat(np.arange(len(ex.sizes)), ex.sizes)[keep]
    votes = (c.n_fit - np.asarray(ex.sizes, dtype=np.float64)) / c.n_fit
    kept = np.bincount(cut, minlength=len(ex.sizes)).astype(np.float64)
    w = (votes / np.maximum(kept, 1.0))[cut]
    d = np.maximum(ex.distances[keep], 0.0)
    kappa, p = growth(d, ex.residuals[keep], np.zeros_like(d), ex.sigma, w)
    s_cut = np.sqrt(ex.sigma**2 + kappa**2 * d**p)
    return conformal(c, w, s_cut, np.sqrt(ex.sigma**2 + kappa**2 * c.d**p), lv)


def trend(c: Case, lv: float) -> Array:
    ex, keep = c.ex, c.ex.scored
    u = np.repeat(np.log10(np.asarray(ex.cuts) / ex.reach["N*D"]), ex.sizes)[keep]
    d, r = np.maximum(ex.distances[keep], 0.0), ex.residuals[keep]
    best = (-np.inf, 0.0, 2.0, 0.0)
    for p in (2.0, 1.0):
        grow = _KAPPAS[None, :, None] ** 2 * d**p * np.exp(2 * _GAMMAS[:, None, None] * u)
        tot = t_fit(r, ex.weights, ex.sigma**2 + grow)
        i, j = np.unravel_index(int(np.argmax(tot)), tot.shape)
        if tot[i, j] > best[0]:
            best = (float(tot[i, j]), float(_KAPPAS[j]), p, float(_GAMMAS[i]))
    _, kappa, p, gamma = best
    s_cut = np.sqrt(ex.sigma**2 + kappa**2 * d**p * np.exp(2 * gamma * u))
    return conformal(c, ex.weights, s_cut, np.sqrt(ex.sigma**2 + kappa**2 * c.d**p), lv)


Variant = Callable[[Case, float], Array]
VARIANTS: dict[str, Variant] = {
    "third round": default,
    "analog cuts": lambda c, lv: c.now[lv],
    "floor": floor,
    "intercept": intercept,
    "delta": delta,
    "delta 5/par": lambda c, lv: delta(c, lv, ratio=MIN_RUNS_PER_PARAM),
    "share votes": share_votes,
    "trend": trend,
}


def cells(cases: list[Case], lv: float) -> dict[str, tuple[float, float, float, int, int]]:
    """Per method: coverage over the runs scored (an unbounded interval is not: NaN where
    none is), its standard error over cases (fits) with a run scored, median width, and
    the runs scored of all."""
    out = {}
    for name in ("bootstrap", *VARIANTS):
        inside, width = [], []
        for c in cases:
            if name == "bootstrap":
                lo, hi = c.boot[lv]
            else:
                hi = VARIANTS[name](c, lv)
                lo = -hi
            inside.append(covered(lo, hi, c.log_error))
            width.append(np.exp(hi) - np.exp(lo))
        per = np.array([v for v in (coverage_of(i)[0] for i in inside) if not math.isnan(v)])
        se = float(per.std(ddof=1) / math.sqrt(len(per))) if len(per) > 1 else math.nan
        cover, k = coverage_of(np.concatenate(inside))
        n = sum(len(i) for i in inside)
        out[name] = (cover, se, float(np.median(np.concatenate(width))), k, n)
    return out


def show(title: str, cases: list[Case], with_se: bool) -> None:
    n = sum(len(c.d) for c in cases)
    print(f"\n{title}: {len(cases)} fit(s), {n} held-out runs")
    names = ("bootstrap", *VARIANTS)
    print(f"{'nominal':>7} | " + " | ".join(f"{m:^19}" for m in names))
    unscored = []
    for lv in LEVELS:
        row = cells(cases, lv)
        parts = []
        for m in names:
            cov, se, wid, k, total = row[m]
            err = f"±{se:.1%}" if with_se and not math.isnan(se) else ""
            mark = "*" if k < total else ""  # unbounded intervals: not scored
            parts.append(
                ("  —  " if math.isnan(cov) else f"{cov:5.1%}") + f"{mark}{err:>5} w{wid:5.2%}"
            )
            if k < total:
                unscored.append(f"{m} {lv:.0%}: {k} of {total}")
        print(f"{lv:>7.0%} | " + " | ".join(f"{p:^19}" for p in parts))
    if unscored:
        print(
            "  * over the runs scored (an unbounded interval cannot miss): " + ", ".join(unscored)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print("coverage [± standard error over replicates] w: median (upper - lower) / predicted")
    found, missing = real_sets()
    for line in missing:
        print(line)
    for title, parts in found:
        t0, cases = time.process_time(), []
        for _label, runs, holdout in parts:
            split = split_runs(runs, holdout)
            result = fit(
                "chinchilla", split.fitted, bootstrap=args.bootstrap, seed=args.seed, compare=False
            )
            ex = result.extrapolation
            if ex is None or not ex.calibrated:
                print(f"\n{title}: not calibrated ({result.interval_note}); skipped")
                break
            cases.append(
                case(split.fitted, split.held_out, bootstrap=args.bootstrap, seed=args.seed)
            )
        else:
            show(f"{title} ({time.process_time() - t0:.0f} CPU s)", cases, with_se=False)
    for scenario in SCENARIOS:
        t0, cases = time.process_time(), []
        top = max(scenario.budgets)
        for i in range(args.replicates):
            table = simulate_runs(scenario, seed=args.seed + i)
            held = table["flops"] >= top
            train, test = table.select(~held), table.select(held)
            cases.append(case(train, test, bootstrap=args.bootstrap, seed=args.seed + i))
        title = f"{scenario.name}, seeds {args.seed}..{args.seed + args.replicates - 1}"
        show(f"{title} ({time.process_time() - t0:.0f} CPU s)", cases, with_se=True)
    print(f"\nload average at the end: {describe().split('load average ')[1]}")


if __name__ == "__main__":
    main()
