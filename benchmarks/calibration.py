"""Coverage of nominal 50/80/90% intervals on held-out runs: simulated ladders and real sets.

In one run, on the same fits, three interval methods (see ``scalinglab.validate._calibration``):

- ``parameters`` — bootstrap percentiles of the fitted law's prediction alone;
- before: ``prediction`` — the same bootstrap fits plus Gaussian noise at the robust scale of
  the residuals (``FitResult.predict(extrapolation=False)``);
- after: ``calibrated`` — that interval widened by the extrapolation error rolling-origin
  backtests on the fitted runs measure (``FitResult.predict``'s default where data allow).

Real sets (``benchmarks/_real_sets.py``, from ``../shared/data``): the Chinchilla points (top
compute decile held out), the over-training models (fit <= 154M, predict 411.6M, three
corpora) and the Step Law cells (fit <= 429M, predict 537M), each fitted with the Chinchilla
law; coverage beside the median relative width ``(upper - lower) / predicted`` of each kind.

Each replicate: an IsoFLOP ladder (7 budgets 1e18 ... 1e21 x 7 sizes) from Hoffmann et al.'s
law with 1.5% log noise (Gaussian, or Student-t with 4 degrees of freedom) and 2 fitted runs
pushed up 20-50% (diverged); fit on 6 budgets with a 200-resample bootstrap, score the 7 runs
of the 1e21 budget. Target: every level within ±5 points of nominal.

Usage::

    python benchmarks/calibration.py                    # 100 replicates per scenario
    python benchmarks/calibration.py --replicates 20    # quicker, noisier
    python benchmarks/calibration.py --real-only        # the real sets only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from _real_sets import real_sets
from scalinglab import fit
from scalinglab.validate import Scenario, calibrate, split_runs

SCENARIOS = (
    Scenario(name="gaussian 1.5% noise, 2 outliers", tails="gaussian"),
    Scenario(name="student-t(4) 1.5% noise, 2 outliers", tails="student-t"),
)
TOLERANCE = 0.05


LEVELS = (0.5, 0.8, 0.9)
KINDS = {"prediction": False, "calibrated": True}  # method -> extrapolation=


def cpu_model() -> str:
    model, flags = platform.processor() or platform.machine(), ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name") and model == (
                    platform.processor() or platform.machine()
                ):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags") and not flags:
                    have = set(line.split(":", 1)[1].split())
                    flags = " ".join(f for f in ("avx2", "fma", "avx512f") if f in have)
    except OSError:
        pass
    return f"{model} [{flags or 'no AVX2'}], load average {os.getloadavg()[0]:.1f}"


def real_coverage(bootstrap: int, seed: int) -> list[dict[str, object]]:
    """Coverage and width of the bootstrap and the calibrated intervals on the real sets."""
    found, missing = real_sets()
    for line in missing:
        print(line)
    out = []
    for title, parts in found:
        inside = {m: {lv: [] for lv in LEVELS} for m in KINDS}
        width = {m: {lv: [] for lv in LEVELS} for m in KINDS}
        are, kinds, t0 = [], [], time.perf_counter()
        for _label, runs, holdout in parts:
            split = split_runs(runs, holdout)
            result = fit("chinchilla", split.train, bootstrap=bootstrap, seed=seed)
            kinds.append(result.interval_kind)
            at = {c: split.test[c] for c in result.columns.values()}
            y = split.test["loss"]
            point = result.predict(**at).loss
            are += list(np.abs(point - y) / y)
            for method, extrapolation in KINDS.items():
                for lv in LEVELS:
                    p = result.predict(level=lv, extrapolation=extrapolation, **at)
                    inside[method][lv] += list((p.lower <= y) & (y <= p.upper))
                    width[method][lv] += list((p.upper - p.lower) / p.loss)
        n = len(are)
        print(
            f"\n{title}: {n} held-out runs, median ARE {np.median(are):.2%}, "
            f"{time.perf_counter() - t0:.1f} s"
        )
        for kind in dict.fromkeys(kinds):
            print(f"  interval: {kind}")
        print(f"{'nominal':>8} | {'before (bootstrap)':>27} | {'after (calibrated)':>27} | ok?")
        row = {"set": title, "n": n, "median_are": float(np.median(are)), "levels": {}}
        for lv in LEVELS:
            b, a = (float(np.mean(inside[m][lv])) for m in KINDS)
            wb, wa = (float(np.median(width[m][lv])) for m in KINDS)
            ok = "yes" if abs(a - lv) <= 0.10 else "NO"
            ok = ok if lv > 0.5 else "-"
            print(
                f"{lv:>8.0%} | {b:>8.0%} (width {wb:>6.2%}) | {a:>8.0%} (width {wa:>6.2%}) | {ok}"
            )
            row["levels"][f"{lv:g}"] = {
                "before": b,
                "after": a,
                "width_before": wb,
                "width_after": wa,
            }
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    parser.add_argument("--real-only", action="store_true", help="skip the simulated ladders")
    args = parser.parse_args()
    print(f"machine: {cpu_model()}, Python {platform.python_version()}")
    print("\n== real sets (target: 80% and 90% within ±10 points of nominal) ==")
    real = real_coverage(args.bootstrap, args.seed)
    if args.real_only:
        if args.json:
            print(json.dumps(real, indent=2))
        return
    print("\n== simulated ladders (target: within ±5 points of nominal) ==")
    print(
        f"{args.replicates} replicates per scenario, bootstrap {args.bootstrap}, "
        f"seeds {args.seed}..{args.seed + args.replicates - 1}"
    )
    results: list[dict[str, object]] = list(real)
    for scenario in SCENARIOS:
        t0 = time.perf_counter()
        cal = calibrate(
            scenario, replicates=args.replicates, bootstrap=args.bootstrap, seed=args.seed
        )
        elapsed = time.perf_counter() - t0
        results.append(cal.to_dict() | {"seconds": elapsed})
        print(
            f"\n{scenario.name}: {cal.n_points} held-out runs, median ARE "
            f"{cal.median_are:.2%}, {elapsed:.0f} s"
        )
        print(
            f"{'nominal':>8} | {'parameters':>10} | {'before (bootstrap)':>26} | "
            f"{'after (calibrated)':>33} | ok?"
        )
        for level in cal.coverage["prediction"]:
            par = cal.coverage["parameters"][level]
            before, wb = cal.coverage["prediction"][level], cal.width["prediction"][level]
            after, wa = cal.coverage["calibrated"][level], cal.width["calibrated"][level]
            spread = cal.spread["calibrated"][level]
            ok = "yes" if abs(after - level) <= TOLERANCE else "NO"
            print(
                f"{level:>8.0%} | {par:>10.1%} | {before:>8.1%} (width {wb:>6.2%}) | "
                f"{after:>8.1%} ±{spread:.2f} (width {wa:>6.2%}) | {ok}"
                f"  (after - nominal {100 * (after - level):+.1f} pts)"
            )
    print("\n±x: standard deviation of the per-replicate coverage (7 runs each)")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
