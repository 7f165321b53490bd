"""Extrapolation accuracy: scalinglab against baselines on the same held-out runs.

In one run, every method is fitted to the same runs and scored on the same held-out runs
(the top compute decile) by the same code (``scalinglab.validate``):

- ``scalinglab``: ``fit("chinchilla")`` — Huber(1e-3) on log residuals, 4,500-start grid,
  200-resample bootstrap, prediction intervals calibrated by rolling-origin backtests on
  the fitted runs where the data allow (``FitResult.predict``'s default);
- ``bootstrap only``: the same fits, intervals from the bootstrap and the residual noise
  alone (``predict(extrapolation=False)``: the intervals before calibration);
- ``curve_fit``: ``scipy.optimize.curve_fit`` least squares on the raw loss, the same law,
  one start (the law's initial guess), intervals from ``pcov``;
- ``chinchilla-pkg``: the ``chinchilla`` package from PyPI (``pip install chinchilla``), its
  default loss (asymmetric MAE) and BFGS from a 3^5 grid; point predictions only.

Data:

1. simulated ladders (7 budgets 1e18 ... 1e21 x 7 sizes) from Hoffmann et al.'s law, in two
   scenarios — clean (1% Gaussian noise) and realistic (1.5% Student-t noise, 2 diverged runs
   among the fitted ones) — several seeds each, pooled;
2. the real sets of ``benchmarks/_real_sets.py``: the 240 Chinchilla runs the Epoch
   replication keeps (top compute decile held out), the over-training models of Gadre et
   al. 2024 (fit <= 154M, predict 411.6M, each corpus) and the Step Law cells (fit <= 429M,
   predict 537M).

Usage::

    python benchmarks/backtest_accuracy.py                 # 10 seeds per scenario
    python benchmarks/backtest_accuracy.py --seeds 3       # quicker
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field

import numpy as np

from _machine import describe, load_average
from _real_sets import real_sets
from scalinglab.data import RunTable
from scalinglab.validate import (
    Backtest,
    Scenario,
    backtest,
    baseline_backtest,
    simulate_runs,
    split_runs,
)
from scalinglab.validate._score import covered

HOLDOUT = "top-decile"
METHODS = ("scalinglab", "bootstrap only", "curve_fit", "chinchilla-pkg")
LEVELS = (0.5, 0.8, 0.9)
SCENARIOS = (
    Scenario(name="clean: 1% gaussian noise", noise=0.01, outliers=0),
    Scenario(name="realistic: 1.5% student-t noise, 2 outliers", tails="student-t"),
)


@dataclass
class Tally:
    """Held-out runs of one method, pooled over data sets."""

    are: list[float] = field(default_factory=list)
    inside: dict[float, list[bool]] = field(default_factory=dict)
    seconds: float = 0.0
    fits: int = 0
    failed: str = ""

    def add_bootstrap_only(self, bt: Backtest, seconds: float) -> None:
        """The scalinglab fit's held-out runs under the bootstrap-only intervals."""
        if bt.fit is None:
            return
        test = bt.split.held_out
        at = {c: test[c] for c in bt.fit.columns.values()}
        actual = test["loss"]
        point = bt.fit.predict(**at).loss
        self.are += list(np.abs(point - actual) / actual)
        for level in LEVELS:
            p = bt.fit.predict(level=level, extrapolation=False, **at)
            marks = covered(p.lower, p.upper, actual)  # an unbounded interval: not scored
            self.inside.setdefault(level, []).extend(bool(m) for m in marks if m == m)
        self.seconds += seconds
        self.fits += 1

    def add(self, bt: Backtest, seconds: float) -> None:
        self.are += [r.are for r in bt.runs]
        for r in bt.runs:
            for level in r.intervals:
                mark = r.inside(level)  # None: no interval, or an unbounded one
                if mark is not None:
                    self.inside.setdefault(level, []).append(mark)
        self.seconds += seconds
        self.fits += 1


def run_method(
    method: str, runs: RunTable, seed: int, holdout: str = HOLDOUT
) -> tuple[Backtest, float]:
    split = split_runs(runs, holdout)
    t0 = time.perf_counter()
    if method == "scalinglab":
        bt = backtest(runs, law="chinchilla", holdout=split, bootstrap=200, seed=seed)
    else:
        bt = baseline_backtest(runs, method=method, law="chinchilla", holdout=split, seed=seed)
    return bt, time.perf_counter() - t0


def report(title: str, tallies: dict[str, Tally]) -> None:
    """Print one data set's table: a row per method.

    ``s/fit`` is wall seconds per fit; ``bootstrap only`` re-scores scalinglab's fits (no fit
    of its own), so it shows ``same fit``. The last column is the method's median ARE over
    scalinglab's (below 1: more accurate than scalinglab), not a speed ratio.
    """
    print(f"\n{title}")
    print(
        f"{'method':>15} | {'median ARE':>10} | {'mean ARE':>8} | {'max ARE':>8} | "
        f"{'in 50%':>6} | {'in 80%':>6} | {'in 90%':>6} | {'s/fit':>8} | "
        f"median ARE / scalinglab's"
    )
    ref = float(np.median(tallies["scalinglab"].are)) if tallies["scalinglab"].are else np.nan
    for method, t in tallies.items():
        if t.failed:
            print(f"{method:>15} | not run: {t.failed}")
            continue
        are = np.array(t.are)
        cov = [
            f"{np.mean(t.inside[lv]):>6.0%}" if t.inside.get(lv) else f"{'—':>6}"
            for lv in (0.5, 0.8, 0.9)
        ]
        speed = "same fit" if method == "bootstrap only" else f"{t.seconds / t.fits:>8.1f}"
        ratio = "—" if method == "scalinglab" else f"{np.median(are) / ref:.2f}"
        print(
            f"{method:>15} | {np.median(are):>10.2%} | {np.mean(are):>8.2%} | "
            f"{np.max(are):>8.2%} | {' | '.join(cov)} | {speed:>8} | {ratio}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="simulated ladders per scenario")
    args = parser.parse_args()
    try:
        from importlib.metadata import version

        import chinchilla  # noqa: F401

        pkg = f"chinchilla {version('chinchilla')} installed"
    except ImportError as err:
        pkg = f"chinchilla package NOT usable: {err}"
    print(f"machine: {describe()}")
    print(f"{pkg}; hold-out: {HOLDOUT} of compute")

    data: list[tuple[str, list[tuple[RunTable, str]]]] = [
        (s.name, [(simulate_runs(s, seed=seed), HOLDOUT) for seed in range(args.seeds)])
        for s in SCENARIOS
    ]
    found, missing = real_sets()
    for line in missing:
        print(f"\n{line}")
    data += [(title, [(runs, rule) for _label, runs, rule in parts]) for title, parts in found]
    for title, tables in data:
        tallies = {m: Tally() for m in METHODS}
        for seed, (runs, holdout) in enumerate(tables):
            for method in METHODS:
                if tallies[method].failed or method == "bootstrap only":
                    continue
                try:
                    bt, seconds = run_method(method, runs, seed, holdout)
                except Exception as err:  # a baseline that cannot run is reported, not fatal
                    tallies[method].failed = f"{type(err).__name__}: {err}"
                    continue
                tallies[method].add(bt, seconds)
                if method == "scalinglab":
                    tallies["bootstrap only"].add_bootstrap_only(bt, seconds)
        held = sum(len(split_runs(r, h).held_out) for r, h in tables)
        report(f"{title}: {len(tables)} data set(s), {held} held-out runs in all", tallies)
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()
