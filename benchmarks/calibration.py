"""Coverage of nominal 50/80/90% intervals on held-out runs: real sets and simulated ladders.

In one run, on the same fits, five interval methods:

- ``bootstrap`` — the bootstrap fits plus Gaussian noise at the robust scale of the residuals
  (``FitResult.predict(extrapolation=False)``), the interval without any extrapolation error;
- ``round 2`` — calibrated by the rolling-origin backtests as in issue 10's second round:
  scale ``s² = σ² + κ²·d^p``, a backtest residual counted as the whole extrapolation error,
  each rolling cut weighing the same, every residual scored;
- ``delta`` — ``s² = σ² + v + κ²·d^p`` with ``v`` the delta-method variance of the
  prediction (each cut's own at its residuals, the full fit's at prediction;
  ``scalinglab/fit/_delta.py``), every residual scored;
- ``delta -div`` — the same, the residuals of runs the full fit calls diverged not scored;
- ``third round`` — the third round's default: round 2's scale, the residuals of runs the
  full fit calls diverged not scored, every rolling cut with 2 runs per parameter counted;
- ``after`` — ``FitResult.predict()``'s default now: the third round's, but where the full
  fit has 5 runs per parameter (the diagnostics' line) only the cuts fitted on as many
  count, when at least two of them give 9 scores (``scalinglab/fit/_calibrated.py``).

``round 2``, ``delta`` and ``delta -div`` are computed from the third round's measurement
(every cut), the fit made a second time with :data:`ANALOG_RUNS_PER_PARAM` out of reach.

The earlier rounds' ``before`` and ``spreads, cut-weighted`` columns (the cuts' bootstrap
spreads in the scale) are in ``benchmarks/RESULTS.md`` with the commit that measured them.
Coverage beside the median relative width ``(upper - lower) / predicted`` of each.

Real sets (``benchmarks/_real_sets.py``, from ``../shared/data``): the Chinchilla points (top
compute decile held out), the over-training models (fit <= 154M, predict 411.6M, three
corpora) and the Step Law cells (fit <= 429M, predict 537M), each fitted with the Chinchilla
law and a 200-resample bootstrap, once per seed (``--seeds``, default 5): coverage as the
mean over seeds and its range.

Simulated, each replicate: an IsoFLOP ladder (7 budgets 1e18 ... 1e21 x 7 sizes) from
Hoffmann et al.'s law with 1.5% log noise (Gaussian, or Student-t with 4 degrees of freedom)
and 2 fitted runs pushed up 20-50% (diverged); fit on 6 budgets, score the 7 runs of the
1e21 budget. Targets: 80% and 90% within ±10 points of nominal on the real sets, every
level within ±5 points on the simulated ladders.

Usage::

    python benchmarks/calibration.py                    # 40 replicates per scenario
    python benchmarks/calibration.py --replicates 10    # quicker, noisier
    python benchmarks/calibration.py --real-only        # the real sets only
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from typing import Any

import numpy as np

from _machine import describe
from _real_sets import real_sets
from scalinglab import FitResult, fit
from scalinglab.data import RunTable
from scalinglab.fit import _extrapolation
from scalinglab.fit._calibrated import growth
from scalinglab.validate import Scenario, simulate_runs, split_runs
from scalinglab.validate._score import covered

SCENARIOS = (
    Scenario(name="gaussian 1.5% noise, 2 outliers", tails="gaussian"),
    Scenario(name="student-t(4) 1.5% noise, 2 outliers", tails="student-t"),
)
LEVELS = (0.5, 0.8, 0.9)
METHODS = ("bootstrap", "round 2", "delta", "delta -div", "third round", "after")
#: The method the "ok?" column judges.
JUDGED = "after"


def as_model(result: FitResult, model: str, *, diverged: bool = False) -> FitResult:
    """The same fit calibrated with the scale of ``model`` (``"whole"`` or ``"delta"``),
    the growth (κ, p) refitted to it from the same residuals; ``diverged=True`` scores the
    residuals of runs the full fit calls diverged too (as the second round did)."""
    ex = result.extrapolation
    if ex is None or not ex.calibrated:
        return result
    new = replace(ex, diverged=np.zeros(0, dtype=bool)) if diverged else ex
    if model == "whole":
        new = replace(new, with_delta=False, with_spreads=False)
    elif new.covariance is None:
        raise ValueError(f"the fit holds no covariance for the {model!r} model")
    else:
        new = replace(new, with_delta=True, with_spreads=False)
    keep = new.scored
    slope, power = growth(
        new.distances[keep], new.residuals[keep], new.cut_spreads[keep], new.sigma, new.weights
    )
    return replace(result, extrapolation=replace(new, slope=slope, power=power))


def fit_both(train: RunTable, *, bootstrap: int, seed: int) -> tuple[FitResult, FitResult]:
    """The fit as ``predict()`` calibrates it now, and as the third round did (every rolling
    cut counted): the same full fit, bootstrap and cut fits (all deterministic)."""
    after = fit("chinchilla", train, bootstrap=bootstrap, seed=seed, compare=False)
    keep = _extrapolation.ANALOG_RUNS_PER_PARAM
    _extrapolation.ANALOG_RUNS_PER_PARAM = 10**9  # out of reach: no cut is left out
    try:
        before = fit("chinchilla", train, bootstrap=bootstrap, seed=seed, compare=False)
    finally:
        _extrapolation.ANALOG_RUNS_PER_PARAM = keep
    return before, after


def score(
    before: FitResult, result: FitResult, test: RunTable
) -> dict[str, dict[float, tuple[Any, Any]]]:
    """Per method and level: (inside?, relative width) of each held-out run."""
    at: dict[str, Any] = {c: test[c] for c in result.columns.values()}
    y = test["loss"]
    fits = {
        "round 2": as_model(before, "whole", diverged=True),
        "delta": as_model(before, "delta", diverged=True),
        "delta -div": as_model(before, "delta"),
        "third round": before,
        "after": result,
    }
    out: dict[str, dict[float, tuple[Any, Any]]] = {m: {} for m in METHODS}
    for lv in LEVELS:
        for method, p in (
            ("bootstrap", result.predict(level=lv, extrapolation=False, **at)),
            *((m, f.predict(level=lv, **at)) for m, f in fits.items()),
        ):
            # an unbounded interval is not scored (NaN), as backtests score it
            out[method][lv] = (covered(p.lower, p.upper, y), (p.upper - p.lower) / p.loss)
    return out


def pooled(scores: list[dict[str, dict[float, tuple[Any, Any]]]]) -> dict[str, Any]:
    """Coverage and median width per method and level, the runs of ``scores`` pooled."""
    return {
        m: {
            lv: (
                float(np.nanmean(np.concatenate([s[m][lv][0] for s in scores]))),
                float(np.median(np.concatenate([s[m][lv][1] for s in scores]))),
            )
            for lv in LEVELS
        }
        for m in METHODS
    }


def show(title: str, per_seed: list[dict[str, Any]], tolerance: float) -> dict[str, Any]:
    """Print coverage (mean over seeds, range) and width per method; return them."""
    print(f"{'nominal':>8} | " + " | ".join(f"{m:^24}" for m in METHODS) + f" | {JUDGED} ok?")
    row: dict[str, Any] = {"set": title, "seeds": len(per_seed), "levels": {}}
    for lv in LEVELS:
        cells, entry = [], {}
        for m in METHODS:
            cov = [s[m][lv][0] for s in per_seed]
            wid = float(np.mean([s[m][lv][1] for s in per_seed]))
            span = f"[{min(cov):.0%}-{max(cov):.0%}]" if len(cov) > 1 else ""
            cells.append(f"{np.mean(cov):>5.1%} {span:>9} w{wid:>5.2%}")
            entry[m] = {"coverage": float(np.mean(cov)), "min": min(cov), "max": max(cov),
                        "width": wid}  # fmt: skip
        after = entry[JUDGED]["coverage"]
        ok = "-" if lv == 0.5 and tolerance > 0.05 else (
            "yes" if abs(after - lv) <= tolerance + 1e-9 else "NO")  # fmt: skip
        print(f"{lv:>8.0%} | " + " | ".join(f"{c:^24}" for c in cells) + f" | {ok}")
        row["levels"][f"{lv:g}"] = entry
    return row


def real_coverage(bootstrap: int, seeds: list[int]) -> list[dict[str, Any]]:
    found, missing = real_sets()
    for line in missing:
        print(line)
    rows = []
    for title, parts in found:
        t0, kinds, per_seed, n, unscored, dropped = time.process_time(), [], [], 0, 0, 0
        splits = [split_runs(runs, holdout) for _label, runs, holdout in parts]
        for seed in seeds:
            scores = []
            for split in splits:
                before, result = fit_both(split.fitted, bootstrap=bootstrap, seed=seed)
                kinds.append(result.interval_kind)
                ex = result.extrapolation
                unscored += 0 if ex is None else int(ex.diverged.sum())
                dropped += 0 if ex is None else len(before.extrapolation.cuts) - len(ex.cuts)
                scores.append(score(before, result, split.held_out))
            per_seed.append(pooled(scores))
        n = sum(len(s.held_out) for s in splits)
        print(f"\n{title}: {n} held-out runs, seeds {seeds[0]}..{seeds[-1]}, "
              f"{time.process_time() - t0:.1f} CPU s; interval: "
              f"{', '.join(sorted(set(kinds)))}; residuals of diverged runs not scored: "
              f"{unscored} over {len(seeds)} seeds; cuts left out (under 5 runs per "
              f"parameter): {dropped}")  # fmt: skip
        rows.append(show(title, per_seed, 0.10) | {"n": n})
    return rows


def simulated_coverage(replicates: int, bootstrap: int, seed: int) -> list[dict[str, Any]]:
    rows = []
    for scenario in SCENARIOS:
        t0, scores, unscored, dropped, per = time.process_time(), [], 0, 0, []
        top = max(scenario.budgets)
        for i in range(replicates):
            table = simulate_runs(scenario, seed=seed + i)
            held = table["flops"] >= top
            before, result = fit_both(table.select(~held), bootstrap=bootstrap, seed=seed + i)
            scores.append(score(before, result, table.select(held)))
            per.append({lv: float(np.nanmean(scores[-1][JUDGED][lv][0])) for lv in LEVELS})
            ex = result.extrapolation
            unscored += 0 if ex is None else int(ex.diverged.sum())
            dropped += 0 if ex is None else len(before.extrapolation.cuts) - len(ex.cuts)
        n = sum(len(s[JUDGED][0.5][0]) for s in scores)
        print(f"\n{scenario.name}: {replicates} replicates, {n} held-out runs, "
              f"{time.process_time() - t0:.0f} CPU s; residuals of diverged runs not scored: "
              f"{unscored}; cuts left out (under 5 runs per parameter): {dropped}")  # fmt: skip
        se = {lv: float(np.std([p[lv] for p in per], ddof=1) / np.sqrt(len(per)))
              for lv in LEVELS} if len(per) > 1 else {}  # fmt: skip
        print(f"{JUDGED}: standard error of the coverage over replicates (their runs share a "
              "fit): " + ", ".join(f"{lv:.0%}: ±{e:.1%}" for lv, e in se.items()))  # fmt: skip
        rows.append(show(scenario.name, [pooled(scores)], 0.05) | {"n": n, "se": se})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=5, help="seeds per real set")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    parser.add_argument("--real-only", action="store_true", help="skip the simulated ladders")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print("coverage: mean over seeds [range]; w: median (upper - lower) / predicted")
    print("\n== real sets (target: 80% and 90% within ±10 points of nominal) ==")
    seeds = list(range(args.seed, args.seed + args.seeds))
    results = real_coverage(args.bootstrap, seeds)
    if args.real_only and not results:  # each set's line above says where it was looked for
        sys.exit("no real set found: nothing measured (see the shared data folder)")
    if not args.real_only:
        print("\n== simulated ladders (target: within ±5 points of nominal) ==")
        results += simulated_coverage(args.replicates, args.bootstrap, args.seed)
    print(f"\nload average at the end: {describe().split('load average ')[1]}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
