"""Fit speed on a large synthetic table: the screening steps on 1,000 runs, or on all.

A table of ``--runs`` runs of ``L = 1.7 + 400/N^0.34 + 410/D^0.28`` with 0.5% noise (N over
1e7-1e10, D over 1e9-1e12, log-uniform, seeded) is fitted with Chinchilla's law, 4,500
starts, in this process, twice per setting: as ``scalinglab fit`` does (above
``SCREEN_RUNS`` runs the screening steps use a spread-out subsample:
:mod:`scalinglab.fit._screen_runs`), and with the screening on every run (the code before
it: ``SCREEN_RUNS`` set above the table's size). Each with no bootstrap and with the
default 200 resamples; the fit alone (``compare=False``: the other laws' backtests that
``scalinglab fit`` runs on a thread are not timed). Times are the best of ``--repeats``,
wall and process CPU seconds; then the largest relative difference of the parameters and of
the interval ends between the two.

Then the whole fit, as ``scalinglab fit`` runs it (the default 200 resamples, the
calibration, the other laws' backtests on a thread; ``_fit_speed_parts.py``), in both
settings: its wall and CPU seconds (best of ``--repeats``), its CPU seconds by part (solve,
bootstrap, calibration, the rest, the law comparison; one pass, one part after another), and
the largest relative differences of parameters, interval ends and law scores. ``SCREEN_RUNS``
set above the table's size screens every part on every run (the bootstrap's resamples and
the law comparison's cut fits took no subsample before 2026-12-05). ``--whole`` runs this
part alone. Run with another tree's ``src`` on ``PYTHONPATH`` it times that tree's code.

Usage::

    python benchmarks/fit_speed_runs.py --runs 5000
    taskset -c 0,1 python benchmarks/fit_speed_runs.py --runs 2000 --repeats 3
    python benchmarks/fit_speed_runs.py --runs 5000 --whole
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scalinglab
from _fit_speed_parts import PARTS, differences, parts, whole
from _machine import describe, load_average


def synthetic(n: int, seed: int = 0) -> scalinglab.RunTable:
    """``n`` runs of the known law with 0.5% multiplicative noise, as a RunTable."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    N, D = 10 ** rng.uniform(7, 10, n), 10 ** rng.uniform(9, 12, n)
    loss = (1.7 + 400 / N**0.34 + 410 / D**0.28) * (1 + 0.005 * rng.standard_normal(n))
    return scalinglab.read_runs(pd.DataFrame({"params": N, "tokens": D, "loss": loss}))


def timed(
    runs: scalinglab.RunTable, *, bootstrap: int, repeats: int
) -> tuple[float, float, scalinglab.FitResult]:
    """Best of ``repeats`` fits: (wall s, CPU s, the fit)."""
    best: tuple[float, float, scalinglab.FitResult] | None = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        got = scalinglab.fit("chinchilla", runs, bootstrap=bootstrap, compare=False)
        done = (time.perf_counter() - t0, time.process_time() - c0, got)
        best = done if best is None or done[0] < best[0] else best
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5000, help="runs in the table [5000]")
    parser.add_argument("--repeats", type=int, default=2, help="best of this many [2]")
    parser.add_argument("--resamples", type=int, default=200, help="bootstrap resamples [200]")
    parser.add_argument("--whole", action="store_true", help="the whole fit alone, by part")
    args = parser.parse_args()
    if args.runs < 10 or args.repeats < 1 or args.resamples < 1:
        parser.error("--runs needs 10 or more, --repeats and --resamples 1 or more")
    from scalinglab.fit import _screen_runs

    print(f"machine: {describe()}", flush=True)
    runs = synthetic(args.runs)
    subsample = _screen_runs.SCREEN_RUNS
    for bootstrap in () if args.whole else (0, args.resamples):
        got = {}
        for label, limit in (("all runs", 10**9), (f"{subsample} runs", subsample)):
            _screen_runs.SCREEN_RUNS = limit  # 10**9: every run, as before the subsample
            wall, cpu, fit = got[label] = timed(runs, bootstrap=bootstrap, repeats=args.repeats)
            print(
                f"{args.runs} runs, bootstrap {bootstrap}, screening on {label}: {wall:.2f} s "
                f"wall, {cpu:.2f} s CPU, objective {fit.objective:.12g}, "
                f"{fit.n_starts_solved} starts solved",
                flush=True,
            )
        _screen_runs.SCREEN_RUNS = subsample
        (w0, _, old), (w1, _, new) = got.values()
        coefs = max(abs(new.coefs[k] / old.coefs[k] - 1) for k in old.coefs)
        ends = [
            abs(new.intervals[k][i] / old.intervals[k][i] - 1)
            for k in old.intervals
            for i in (0, 1)
        ]
        spread = f", interval ends {max(ends):.1e}" if bootstrap else ""
        print(f"  speed-up {w0 / w1:.2f}x wall; largest relative difference: parameters {coefs:.1e}"
              f"{spread}")  # fmt: skip
    whole_fit(runs, subsample=subsample, repeats=args.repeats)
    print(f"load average at the end: {load_average()}")


def whole_fit(runs: scalinglab.RunTable, *, subsample: int, repeats: int) -> None:
    """The whole fit in both settings: wall and CPU, CPU by part, the differences."""
    from scalinglab.fit import _screen_runs

    fits = []
    for label, limit in (("all runs", 10**9), (f"{subsample} runs", subsample)):
        _screen_runs.SCREEN_RUNS = limit
        try:
            wall, cpu, got = whole(runs, repeats=repeats)
            by_part, _ = parts(runs)
        finally:
            _screen_runs.SCREEN_RUNS = subsample
        fits.append(got)
        said = ", ".join(f"{k} {by_part[k]:.2f}" for k in PARTS)
        print(
            f"{len(runs)} runs, whole fit (200 resamples, calibration, law comparison), "
            f"screening on {label}: {wall:.2f} s wall, {cpu:.2f} s CPU; CPU s by part: {said}",
            flush=True,
        )
    print(f"  {differences(*fits)}")


if __name__ == "__main__":
    main()
