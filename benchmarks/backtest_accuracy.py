"""Extrapolation accuracy: scalinglab against baselines on the same held-out runs.

In one run, every method is fitted to the same runs and scored on the same held-out runs
(the top compute decile) by the same code (``scalinglab.validate``):

- ``scalinglab``: ``fit("chinchilla")`` — Huber(1e-3) on log residuals, 4,500-start grid,
  200-resample bootstrap, prediction intervals with the residual noise folded in;
- ``curve_fit``: ``scipy.optimize.curve_fit`` least squares on the raw loss, the same law,
  one start (the law's initial guess), intervals from ``pcov``;
- ``chinchilla-pkg``: the ``chinchilla`` package from PyPI (``pip install chinchilla``), its
  default loss (asymmetric MAE) and BFGS from a 3^5 grid; point predictions only.

Data:

1. simulated ladders (7 budgets 1e18 ... 1e21 x 7 sizes) from Hoffmann et al.'s law, in two
   scenarios — clean (1% Gaussian noise) and realistic (1.5% Student-t noise, 2 diverged runs
   among the fitted ones) — several seeds each, pooled;
2. the 240 Chinchilla runs the Epoch replication keeps (``../shared/data/chinchilla``).

Usage::

    python benchmarks/backtest_accuracy.py                 # 10 seeds per scenario
    python benchmarks/backtest_accuracy.py --seeds 3       # quicker
"""

from __future__ import annotations

import argparse
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scalinglab import read_runs
from scalinglab.data import RunTable
from scalinglab.validate import (
    Backtest,
    Scenario,
    backtest,
    baseline_backtest,
    simulate_runs,
    split_runs,
)

CSV = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "chinchilla"
    / "svg_extracted_data.csv"
)
HOLDOUT = "top-decile"
METHODS = ("scalinglab", "curve_fit", "chinchilla-pkg")
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

    def add(self, bt: Backtest, seconds: float) -> None:
        self.are += [r.are for r in bt.runs]
        for r in bt.runs:
            for level, (lo, _hi) in r.intervals.items():
                if np.isfinite(lo):
                    self.inside.setdefault(level, []).append(r.inside(level))
        self.seconds += seconds
        self.fits += 1


def run_method(method: str, runs: RunTable, seed: int) -> tuple[Backtest, float]:
    split = split_runs(runs, HOLDOUT)
    t0 = time.perf_counter()
    if method == "scalinglab":
        bt = backtest(runs, law="chinchilla", holdout=split, bootstrap=200, seed=seed)
    else:
        bt = baseline_backtest(runs, method=method, law="chinchilla", holdout=split, seed=seed)
    return bt, time.perf_counter() - t0


def report(title: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{title}")
    print(
        f"{'method':>15} | {'median ARE':>10} | {'mean ARE':>8} | {'max ARE':>8} | "
        f"{'in 50%':>6} | {'in 80%':>6} | {'in 90%':>6} | {'s/fit':>6}"
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
        print(
            f"{method:>15} | {np.median(are):>10.2%} | {np.mean(are):>8.2%} | "
            f"{np.max(are):>8.2%} | {' | '.join(cov)} | {t.seconds / t.fits:>6.1f}"
            + ("" if method == "scalinglab" else f"   ({np.median(are) / ref:.2f}× scalinglab)")
        )


def chinchilla_points() -> RunTable | None:
    if not CSV.is_file():
        return None
    runs = read_runs(CSV)
    return runs.select(runs["loss"] < np.sort(runs["loss"])[-5])  # the replication's 240


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
    print(f"Python {platform.python_version()}; {pkg}; hold-out: {HOLDOUT} of compute")

    data: list[tuple[str, list[RunTable]]] = [
        (s.name, [simulate_runs(s, seed=seed) for seed in range(args.seeds)]) for s in SCENARIOS
    ]
    points = chinchilla_points()
    if points is None:
        print(f"\nChinchilla points: skipped, {CSV} not found")
    else:
        data.append(("Chinchilla points (Hoffmann et al. 2022, 240 runs)", [points]))
    for title, tables in data:
        tallies = {m: Tally() for m in METHODS}
        for seed, runs in enumerate(tables):
            for method in METHODS:
                if tallies[method].failed:
                    continue
                try:
                    bt, seconds = run_method(method, runs, seed)
                except Exception as err:  # a baseline that cannot run is reported, not fatal
                    tallies[method].failed = f"{type(err).__name__}: {err}"
                    continue
                tallies[method].add(bt, seconds)
        split = split_runs(tables[0], HOLDOUT)
        report(
            f"{title}: {len(tables)} data set(s), {len(split.test)} held-out runs each "
            f"({split.description}), fitted on {len(split.train)}",
            tallies,
        )


if __name__ == "__main__":
    main()
