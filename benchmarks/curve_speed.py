"""Speed of curve-law fits and evaluations.

In one run:

1. the joint multi-power fit of the nine curves of one size of ``../shared/data/lr-schedules``
   (~2,060 logged points, up to 72,000 steps) from the law's 144-start grid, timed; then the
   same with 200 whole-curve bootstrap resamples (targets: <= 5 s and <= 60 s on 2 cores);
2. the baseline measured in the same run: the same objective and starts minimised by a loop of
   ``scipy.optimize.minimize(method="L-BFGS-B")`` with the exact gradient, one start at a time;
3. evaluation cost against T = 1e3 ... 1e6 steps (cosine schedule with a warm-up, the loss
   logged every 100 steps, value and Jacobian for 8 parameter vectors, CPU time): the law's
   drop term (far drops shared by the logged steps of a window, :mod:`curves._drop_linear`)
   against the baseline measured in the same run, per-step atoms over the whole past
   (:func:`curves._drop.drop_atoms`, the law's evaluation before), whose atoms per logged
   step grow with log T; and each one's largest loss error against the exact double sum at
   12 logged steps (B = 400).

The multi-power law's drop sums run in compiled code when a build of the compiled solver is
installed (``curves/_drop_compiled.py``); ``--numpy-too`` times part 1 a second time in the
same run with ``SCALINGLAB_SOLVER=numpy`` (the NumPy drop sums, as before them).

Usage::

    python benchmarks/curve_speed.py [--bootstrap 200] [--baseline-starts 20] [--numpy-too]
        [--skip-baseline]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import scipy.optimize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe
from scalinglab import _builds
from scalinglab.curves import Curve, MultiPower, fit_curves, parse_schedule, read_lr_curves
from scalinglab.curves._drop import DropAtoms, drop_atoms, exact_drop
from scalinglab.curves._drop_linear import linear_drop_atoms
from scalinglab.curves._fit import CurveProgram
from scalinglab.fit._losses import get_loss

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lr-schedules"
KW = {"exact": MultiPower.exact, "per_octave": MultiPower.per_octave}


def timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _no_atoms(n: int) -> DropAtoms:
    z = np.zeros(0)
    return DropAtoms(z, z, z, np.zeros(0, dtype=np.int64), n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="25M")
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--baseline-starts", type=int, default=20)
    parser.add_argument("--scaling-only", action="store_true", help="Only part 3.")
    parser.add_argument(
        "--numpy-too",
        action="store_true",
        help="Also time part 1 with the NumPy drop sums (SCALINGLAB_SOLVER=numpy).",
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="Leave out part 2 (the L-BFGS-B loop)."
    )
    parser.add_argument("--steps", type=int, nargs="+", default=[10**3, 10**4, 10**5, 10**6])
    args = parser.parse_args()
    if not (DATA / args.size).is_dir():
        sys.exit(f"shared curves not found at {DATA / args.size} (see --size)")
    print(f"machine: {describe()}")
    curves = read_lr_curves(DATA / args.size, warmup=2160)
    n = sum(len(c) for c in curves)
    print(
        f"{len(curves)} curves of {args.size}, {n} logged points, "
        f"{max(c.schedule.steps for c in curves)} steps at most"
    )

    law = MultiPower()
    if not args.scaling_only:
        fits(curves, n, args)
        if args.numpy_too:
            saved = os.environ.get("SCALINGLAB_SOLVER")
            os.environ["SCALINGLAB_SOLVER"] = "numpy"
            try:
                print("\nthe same with SCALINGLAB_SOLVER=numpy:")
                fits(curves, n, args, baseline=False)
            finally:
                if saved is None:
                    del os.environ["SCALINGLAB_SOLVER"]
                else:
                    os.environ["SCALINGLAB_SOLVER"] = saved
    scaling(law, args.steps)
    print(f"\nload average at end: {describe().split('load average ')[1]}")


def fits(curves: list[Curve], n: int, args: argparse.Namespace, *, baseline: bool = True) -> None:
    """Parts 1 and 2: the joint fit, with and without a bootstrap, and the L-BFGS-B loop."""
    build = _builds.build_name()
    print(f"drop sums: {'compiled, ' + build + ' build' if build else 'NumPy'}")
    fit, wall, cpu = timed(lambda: fit_curves(curves, law="multipower", bootstrap=0))
    print(
        f"joint fit, {fit.n_starts} starts: {wall:.2f} s wall, {cpu:.2f} s CPU; "
        f"{fit.n_starts_at_best} starts at the best; objective {fit.objective:.10g}"
    )
    _boot, bwall, bcpu = timed(
        lambda: fit_curves(curves, law="multipower", bootstrap=args.bootstrap)
    )
    print(f"joint fit + {args.bootstrap} bootstrap resamples: {bwall:.2f} s wall, {bcpu:.2f} s CPU")
    if not baseline or args.skip_baseline:
        return

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


def scaling(law: MultiPower, sizes: list[int]) -> None:
    """Part 3: evaluation cost and error against T, the law's scheme and the per-step one."""
    print(
        "\n| T (steps) | logged points | scheme | atoms per point | value + Jacobian, 8 vectors "
        "(CPU) | per point | building the atoms (CPU) | largest loss error vs exact |"
    )
    print("|---|---|---|---|---|---|---|---|")
    p = np.array([[3.0, 0.5, 0.5, 400.0, 2.0, 0.5, 0.6]] * 8)
    per_point: dict[str, list[float]] = {"linear": [], "per-step (baseline)": []}
    for T in sizes:
        s = parse_schedule(f"cosine:peak=3e-4,end=3e-5,warmup={T // 20},steps={T}")
        steps = np.arange(s.warmup, T, 100)
        check = steps[np.linspace(0, len(steps) - 1, 12).round().astype(int)]
        exact = np.array(
            [400 * exact_drop(s.lr, int(k), C=2.0, beta=0.5, gamma=0.6) for k in check]
        )
        x = law.prepare([s], [steps])["x"]
        lin, _, lc = timed(lambda s=s, steps=steps: linear_drop_atoms(s.lr, steps, **KW))
        per, _, bc = timed(lambda s=s, steps=steps: drop_atoms(s.lr, steps, **KW))
        schemes = {
            "linear": ({"x": x, "atoms": lin}, lc),
            "per-step (baseline)": ({"x": x, "atoms": per}, bc),
        }
        for name, (prep, prep_cpu) in schemes.items():
            reps = max(1, 200_000 // len(steps))
            _, _, ec = timed(
                lambda prep=prep, reps=reps: [
                    law.evaluate(p, prep, jacobian=True) for _ in range(reps)
                ]
            )
            val, _ = law.evaluate(p[:1], prep, jacobian=False)
            base, _ = law.evaluate(
                p[:1], {"x": prep["x"], "atoms": _no_atoms(len(steps))}, jacobian=False
            )
            drop = (base - val)[0][np.searchsorted(steps, check)]
            err = float(np.max(np.abs(drop - exact)))
            per_point[name].append(ec / reps / len(steps))
            print(
                f"| {T:,} | {len(steps):,} | {name} | {prep['atoms'].n_atoms / len(steps):.1f} | "
                f"{1e3 * ec / reps:.2f} ms | {1e6 * ec / reps / len(steps):.2f} µs | "
                f"{1e3 * prep_cpu:.0f} ms | {err:.1e} |"
            )
    print("\n".join(growth(per_point, sizes)))


def growth(per_point: dict[str, list[float]], sizes: list[int]) -> list[str]:
    """Each scheme's cost per logged point at the last T over the first; none from one T
    (the ratio would be 1.00x by construction)."""
    if len(set(sizes)) < 2:
        return ["cost per logged point against T: not measured (one T; give two or more, "
                "e.g. --steps 1000 100000)"]  # fmt: skip
    return [
        f"{name}: cost per logged point at T = {sizes[-1]:.0e} / at T = {sizes[0]:.0e}: "
        f"{v[-1] / v[0]:.2f}x"
        for name, v in per_point.items()
    ]


if __name__ == "__main__":
    main()
