"""Speed of curve-law fits and evaluations.

In one run:

1. the joint multi-power fit of the nine curves of one size of ``../shared/data/lr-schedules``
   (~2,060 logged points, up to 72,000 steps) from the law's 144-start grid, timed; then the
   same with 200 whole-curve bootstrap resamples (targets: <= 5 s and <= 60 s on 2 cores);
2. the baseline measured in the same run: the same objective and starts minimised by a loop of
   ``scipy.optimize.minimize(method="L-BFGS-B")`` with the exact gradient, one start at a time;
3. evaluation cost against T = 1e3 ... 1e6 steps (cosine schedule, the loss logged every 100
   steps, value and Jacobian for 8 parameter vectors): with the drop term in O(log T) atoms
   per logged step, the cost should grow like T log T / 100, i.e. about linearly in T.

Usage::

    python benchmarks/curve_speed.py [--bootstrap 200] [--baseline-starts 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.optimize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe
from scalinglab.curves import MultiPower, fit_curves, parse_schedule, read_lr_curves
from scalinglab.curves._fit import CurveProgram
from scalinglab.fit._losses import get_loss

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lr-schedules"


def timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="25M")
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--baseline-starts", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    curves = read_lr_curves(DATA / args.size, warmup=2160)
    n = sum(len(c) for c in curves)
    print(
        f"{len(curves)} curves of {args.size}, {n} logged points, "
        f"{max(c.schedule.steps for c in curves)} steps at most"
    )

    fit, wall, cpu = timed(lambda: fit_curves(curves, law="multipower"))
    print(
        f"joint fit, {fit.n_starts} starts: {wall:.2f} s wall, {cpu:.2f} s CPU; "
        f"{fit.n_starts_at_best} starts at the best; objective {fit.objective:.10g}"
    )
    _boot, bwall, bcpu = timed(
        lambda: fit_curves(curves, law="multipower", bootstrap=args.bootstrap)
    )
    print(f"joint fit + {args.bootstrap} bootstrap resamples: {bwall:.2f} s wall, {bcpu:.2f} s CPU")

    # baseline: a loop of L-BFGS-B over the same starts, same Huber objective, exact gradient
    law = MultiPower()
    prep = law.prepare([c.schedule for c in curves], [c.step for c in curves])
    program = CurveProgram(law, prep, n)
    target = np.log(np.concatenate([c.loss for c in curves]))
    huber = get_loss("huber", delta=1e-3)

    def f_and_g(theta: np.ndarray) -> tuple[float, np.ndarray]:
        d = program.derivatives(theta[None, :])
        r = np.log(d.val[0]) - target
        rho, r1, _ = huber.derivatives(r[None, :])
        if not np.isfinite(rho).all():
            return 1e10, np.zeros_like(theta)
        g = np.array([np.sum(r1[0] * d.g[k][0] / d.val[0]) for k in range(len(theta))])
        return float(rho.sum()), g

    grid = law.start_grid(np.exp(target))
    lo, hi = law.fitted_bounds()
    picks = grid[np.linspace(0, len(grid) - 1, args.baseline_starts).round().astype(int)]

    def loop() -> list[float]:
        return [
            scipy.optimize.minimize(
                f_and_g, s, jac=True, method="L-BFGS-B", bounds=list(zip(lo, hi, strict=True))
            ).fun
            for s in picks
        ]

    found, lwall, _lcpu = timed(loop)
    per = lwall / len(picks)
    print(
        f"baseline: L-BFGS-B loop, {len(picks)} starts: {lwall:.2f} s wall ({per:.2f} s per "
        f"start, so {per * fit.n_starts:.1f} s for {fit.n_starts}), best objective "
        f"{min(found):.10g}; ratio (baseline scaled to {fit.n_starts} starts / scalinglab): "
        f"{per * fit.n_starts / wall:.1f}x wall"
    )

    print("\n| T (steps) | logged points | drop atoms | value + Jacobian, 8 vectors | per point |")
    print("|---|---|---|---|---|")
    p = np.array([[3.0, 0.5, 0.5, 400.0, 2.0, 0.5, 0.6]] * 8)
    for T in (1_000, 10_000, 100_000, 1_000_000):
        s = parse_schedule(f"cosine:peak=3e-4,end=3e-5,warmup={T // 20},steps={T}")
        steps = np.arange(s.warmup, T, 100)
        (pr, pw, _) = timed(lambda s=s, steps=steps: law.prepare([s], [steps]))
        reps = max(1, 200_000 // len(steps))
        _, ew, _ = timed(
            lambda pr=pr, reps=reps: [law.evaluate(p, pr, jacobian=True) for _ in range(reps)]
        )
        print(
            f"| {T:,} | {len(steps):,} | {pr['atoms'].n_atoms:,} | {1e3 * ew / reps:.2f} ms "
            f"(prepare {1e3 * pw:.1f} ms) | {1e6 * ew / reps / len(steps):.2f} µs |"
        )
    print(f"\nload average at end: {describe().split('load average ')[1]}")


if __name__ == "__main__":
    main()
