"""Coverage of the multi-power law's 90% intervals over synthetic fits, by resampling scheme.

The slow test's protocol (``tests/test_curves_multipower.py::test_multipower_interval_coverage``,
``tests/_curve_coverage.py``): 12 synthetic curves per fit drawn from the law with warm-up
drops, per-curve offsets of 0.2% and 0.1% point noise, data seed 100 + r, 200 bootstrap
resamples with seed r; covered or not per coefficient and for the final loss of a WSD
schedule of 8,000 steps not fitted. One line per fit as it finishes (about 16 s CPU each),
then the shares.

Usage::

    python benchmarks/curve_coverage.py --resample bayesian --reps 60
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests._curve_coverage import curve_coverage

from _machine import describe

TRUTH = {"L0": 3.0, "A": 0.5, "alpha": 0.5, "B": 400.0, "C": 2.0, "beta": 0.5, "gamma": 0.6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resample", default="curves", choices=("curves", "bayesian"))
    ap.add_argument("--reps", type=int, default=60)
    args = ap.parse_args()
    print(f"machine: {describe()}", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()

    def said(r: int, covered: dict[str, bool]) -> None:
        missed = [k for k, v in covered.items() if not v]
        cpu = time.process_time() - c0
        print(f"fit {r}: missed {missed or 'none'} (CPU so far {cpu:.0f} s)", flush=True)

    shares = curve_coverage(
        "multipower", TRUTH, every=100, reps=args.reps, resample=args.resample, on_fit=said
    )
    print(f"\nresample={args.resample}, {args.reps} fits, 90% intervals\n")
    print("| quantity | " + " | ".join(shares) + " |")
    print("|---|" + "---|" * len(shares))
    print("| covered | " + " | ".join(f"{round(v * args.reps)}" for v in shares.values()) + " |")
    print("| coverage | " + " | ".join(f"{100 * v:.0f}%" for v in shares.values()) + " |")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"\nwall {wall:.0f} s, CPU {cpu:.0f} s; {describe()}")


if __name__ == "__main__":
    main()
