"""Coverage of nominal 50/80/90% intervals on held-out runs of ladders from a known law.

In one run, on the same fits, two interval methods (see ``scalinglab.validate._calibration``):

- before: ``parameters`` — bootstrap percentiles of the fitted law's prediction alone, which
  is what ``FitResult.predict`` returned before run-to-run noise was folded in;
- after: ``prediction`` — the same bootstrap fits plus Gaussian noise at the robust scale of
  the residuals (``FitResult.predict``'s default now).

Each replicate: an IsoFLOP ladder (7 budgets 1e18 ... 1e21 x 7 sizes) from Hoffmann et al.'s
law with 1.5% log noise (Gaussian, or Student-t with 4 degrees of freedom) and 2 fitted runs
pushed up 20-50% (diverged); fit on 6 budgets with a 200-resample bootstrap, score the 7 runs
of the 1e21 budget. Target: every level within ±5 points of nominal.

Usage::

    python benchmarks/calibration.py                    # 100 replicates per scenario
    python benchmarks/calibration.py --replicates 20    # quicker, noisier
"""

from __future__ import annotations

import argparse
import json
import platform
import time

from scalinglab.validate import Scenario, calibrate

SCENARIOS = (
    Scenario(name="gaussian 1.5% noise, 2 outliers", tails="gaussian"),
    Scenario(name="student-t(4) 1.5% noise, 2 outliers", tails="student-t"),
)
TOLERANCE = 0.05


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    print(f"machine: {cpu_model()}, Python {platform.python_version()}")
    print(
        f"{args.replicates} replicates per scenario, bootstrap {args.bootstrap}, "
        f"seeds {args.seed}..{args.seed + args.replicates - 1}"
    )
    results = []
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
        print(f"{'nominal':>8} | {'before (parameters)':>20} | {'after (prediction)':>19} | ok?")
        for level in cal.coverage["prediction"]:
            before = cal.coverage["parameters"][level]
            after = cal.coverage["prediction"][level]
            spread = cal.spread["prediction"][level]
            ok = "yes" if abs(after - level) <= TOLERANCE else "NO"
            print(
                f"{level:>8.0%} | {before:>20.1%} | {after:>12.1%} ±{spread:.2f} | {ok}"
                f"  (after - nominal {100 * (after - level):+.1f} pts)"
            )
    print("\n±x: standard deviation of the per-replicate coverage (7 runs each)")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
