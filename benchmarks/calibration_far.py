"""Coverage of the calibrated intervals past the backtests' reach: measured, or carried on?

``FitResult.predict`` widens its intervals with the extrapolation error that rolling-origin
backtests measure on the fitted runs, ``s(d)² = σ² + κ²·d^p`` (``fit/_calibrated.py``).
Those backtests reach only so far (``Extrapolation.measured``: the farthest held-out residual
of a cut, in decades beyond the cut's data). Beyond it, the width is the measured growth
carried on, and ``plan`` says so. This benchmark asks how such intervals hold there: each
held-out run is scored with its distance ``d`` from the fit's data, and the runs are pooled
by ``d`` against the fit's own ``measured``:

- ``within``: ``d <= measured`` (the error model's range);
- ``past``: ``measured < d <= measured + 1`` decade;
- ``far past``: more than a decade past it.

Sets (fit on the small runs, score every larger one; the shared development data only):

- Chinchilla points (the replication's 240): fit on runs with compute ``<= max / 10^k`` for
  ``k`` in 1, 1.5, 2;
- over-training (Gadre et al. 2024), C4 validation loss, each corpus: fit <= 79M parameters,
  score 154M and 411.6M; and fit <= 154M, score 411.6M (the ``calibration.py`` split);
- simulated: IsoFLOP ladders from Hoffmann et al.'s law with 1.5% Gaussian noise (no
  diverged runs: the simulation could put them among the scored) over 11 budgets 1e17 ... 1e22, fit on the 4 budgets up to 3e18, score the
  other 7 (up to 3.5 decades out): the law is right, so this tests the growth model alone.

The Chinchilla law, 200 bootstrap resamples, levels 80% and 90%; coverage beside the median
relative width ``(upper - lower) / predicted``, and the bootstrap-only interval
(``extrapolation=False``) for comparison. A measurement, not a tuned default.

Usage::

    python benchmarks/calibration_far.py                  # 20 simulated replicates
    python benchmarks/calibration_far.py --replicates 5   # quicker
"""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from _machine import describe
from _real_sets import CHINCHILLA, OVERTRAINING, chinchilla
from scalinglab import fit, read_runs
from scalinglab.data import RunTable
from scalinglab.validate import Scenario, simulate_runs
from scalinglab.validate._score import coverage_of, covered

LEVELS = (0.8, 0.9)
BANDS = ("within", "past", "far past")


def band(d: float, measured: float) -> str:
    if d <= measured:
        return "within"
    return "past" if d <= measured + 1.0 else "far past"


def score(train: RunTable, test: RunTable, *, bootstrap: int, seed: int) -> list[dict[str, Any]]:
    """One row per held-out run: its band, and per level and method (inside?, width)."""
    result = fit("chinchilla", train, bootstrap=bootstrap, seed=seed, compare=False)
    ex = result.extrapolation
    if ex is None or not ex.calibrated:
        return []
    at: dict[str, Any] = {c: test[c] for c in result.columns.values()}
    y = np.asarray(test["loss"], dtype=np.float64)
    rows: list[dict[str, Any]] = [
        {"band": "", "d": 0.0, "measured": ex.measured} for _ in range(len(y))
    ]
    for lv in LEVELS:
        for method, extra in (("calibrated", True), ("bootstrap", False)):
            p = result.predict(level=lv, extrapolation=extra, **at)
            marks = covered(p.lower, p.upper, y)  # NaN: unbounded, not scored
            width = (p.upper - p.lower) / p.loss
            for i, row in enumerate(rows):
                if method == "calibrated" and p.distance is not None:
                    row["d"] = float(p.distance[i])
                    row["band"] = band(row["d"], ex.measured)
                row[(method, lv)] = (float(marks[i]), float(width[i]))
    return rows


def show(title: str, rows: list[dict[str, Any]], seconds: float) -> None:
    measured = sorted({round(r["measured"], 2) for r in rows})
    print(f"\n{title}: {len(rows)} held-out runs scored, {seconds:.0f} CPU s; the fits' "
          f"backtests reached {measured[0]:.2f}-{measured[-1]:.2f} decades")  # fmt: skip
    head = " | ".join(f"{m} {lv:.0%}: cover (width)" for lv in LEVELS
                      for m in ("calibrated", "bootstrap"))  # fmt: skip
    print(f"{'band':>9} | {'runs':>4} | {'d (decades)':>11} | {head}")
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["band"]].append(r)
    for name in BANDS:
        group = by.get(name, [])
        if not group:
            continue
        d = [r["d"] for r in group]
        cells = []
        for lv in LEVELS:
            for m in ("calibrated", "bootstrap"):
                label = f"{m} {lv:.0%}: cover (width)"
                cells.append(cell([r[(m, lv)] for r in group]).ljust(len(label)))
        print(f"{name:>9} | {len(group):>4} | {min(d):>4.2f}-{max(d):<6.2f} | " + " | ".join(cells))


def cell(scores: list[tuple[float, float]]) -> str:
    """``cover (width)`` of one band's runs: the coverage over the runs scored (— where
    none is), with ``k/n`` where an unbounded interval left some unscored."""
    cover, k = coverage_of(np.array([c for c, _ in scores]))
    width = np.median([w for _, w in scores])
    text = f"{'—':>6}" if math.isnan(cover) else f"{cover:>6.1%}"
    return text + (f" [{k}/{len(scores)}]" if k < len(scores) else "") + f" ({width:>6.2%})"


def overtraining_parts() -> list[tuple[str, RunTable, RunTable]]:
    table = pd.read_csv(OVERTRAINING)
    parts = []
    for corpus, g in table.groupby("dataset"):
        frame = pd.DataFrame({"run": g["name"], "params": g["params"], "tokens": g["tokens"],
                              "loss": g["loss_c4_val"]})  # fmt: skip
        runs = read_runs(frame)
        for top in (8e7, 2e8):
            small = runs["params"] <= top
            parts.append((f"{corpus} fit<={top:.0e}", runs.select(small), runs.select(~small)))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3000)
    args = parser.parse_args()
    print(describe())
    print(f"Chinchilla law, {args.bootstrap} resamples; seed {args.seed}")

    if CHINCHILLA.is_file():
        t0, rows = time.process_time(), []
        runs = chinchilla()[0][1]
        c = np.asarray(runs["flops"])
        for k in (1.0, 1.5, 2.0):
            small = c <= c.max() / 10**k
            rows += score(runs.select(small), runs.select(~small), bootstrap=args.bootstrap,
                          seed=args.seed)  # fmt: skip
        show("Chinchilla points, fit <= max/10^k (k = 1, 1.5, 2)", rows, time.process_time() - t0)
    else:
        print(f"Chinchilla points: skipped, {CHINCHILLA} not found")

    if OVERTRAINING.is_file():
        t0, rows = time.process_time(), []
        for _label, train, test in overtraining_parts():
            rows += score(train, test, bootstrap=args.bootstrap, seed=args.seed)
        show("over-training, 3 corpora, fit <= 79M or <= 154M", rows, time.process_time() - t0)
    else:
        print(f"over-training: skipped, {OVERTRAINING} not found")

    scenario = Scenario(
        name="gaussian 1.5% noise, 1e17-1e22",
        tails="gaussian",
        outliers=0,  # the simulation puts them on any budget but the top: scored ones too
        budgets=tuple(float(f"{m}e{e}") for e in range(17, 23) for m in (1, 3))[:-1],
    )
    t0, rows = time.process_time(), []
    for i in range(args.replicates):
        table = simulate_runs(scenario, seed=args.seed + i)
        small = np.asarray(table["flops"]) <= 3.1e18
        rows += score(table.select(small), table.select(~small), bootstrap=args.bootstrap,
                      seed=args.seed + i)  # fmt: skip
    show(f"simulated ({args.replicates} replicates), fit <= 3e18, score 1e19-1e22", rows,
         time.process_time() - t0)  # fmt: skip


if __name__ == "__main__":
    main()
