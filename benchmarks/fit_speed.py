"""Fit speed on the Chinchilla points: scalinglab's batched solver against a scipy loop.

In one run, on this machine:

1. scalinglab's 4,500-start grid fit (the Epoch replication's grid) of the Chinchilla law,
   Huber(1e-3) on log residuals, summed — timed, with its best objective;
2. the baseline: a Python loop of ``scipy.optimize.minimize(method="L-BFGS-B")`` with an
   analytic gradient over the same 4,500 starts and the same objective — timed, with its
   best objective; the ratio of the two times;
3. grid fit + 1,000 bootstrap resamples (each multi-started), timed, with the peak resident
   memory of a fresh process doing only that.

scalinglab's fit uses its compiled solver when it is built (``_sumpow.c``; the script says
which build) with one thread per core, as a user's fit does; it is also timed on one thread,
and with the NumPy solver, for comparison. The baseline is a plain serial loop. BLAS is
pinned to one thread before NumPy loads (a threaded BLAS spin-waits inside L-BFGS-B's tiny
linear algebra when other processes share the cores, which would slow the baseline tenfold
and inflate the ratio); the ``scalinglab`` processes below are started without that pin, as
a user's shell starts them. Times are wall-clock and process CPU seconds; each scalinglab
time is the best of three runs.

It also times whole ``scalinglab`` processes, as a user meets them (start-up, imports and
reading the file included): ``scalinglab fit`` of the same 240 runs with the same 4,500
starts and no bootstrap (the figure the 100x target is about), ``scalinglab fit`` on the
bundled default data (with its default 200 resamples), and ``scalinglab --version``. Each is
the best of five, with their median, and with bytecode cached as from a user's second run
on; where this shell sets ``PYTHONDONTWRITEBYTECODE``, the two fits are timed again as it
starts them, compiling scalinglab each time (``_fit_speed_process.py``).

The machine line names the CPU, its vector extensions (from /proc/cpuinfo) and the load
average; the fit lines name the solver build that ran. ``--build`` forces one build
(``avx512``, ``avx2``, ``neon``, ``portable``, or ``numpy`` for no compiled build: it sets
``SCALINGLAB_SOLVER`` for this process and the ``scalinglab`` ones it starts; a build this
machine cannot run or lacks is refused), so an AVX-512 machine can measure the AVX2 build;
pin the cores with ``taskset -c 0,1`` to measure 2 of them. The machine line comes first,
with the load average at the start; the load average at the end closes the run.

Usage::

    python benchmarks/fit_speed.py                 # full run (the scipy loop takes ~45-70 s)
    python benchmarks/fit_speed.py --baseline-starts 450   # time the loop on every 10th start, extrapolate
    taskset -c 0,1 python benchmarks/fit_speed.py --build avx2   # the AVX2 build on 2 cores

Needs ../shared/data/chinchilla/svg_extracted_data.csv (not part of the repository).
"""

from __future__ import annotations

import os

#: the BLAS settings this script adds for itself (not for the `scalinglab` processes it times)
PINNED = [
    v for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS") if v not in os.environ
]
for _var in PINNED:
    os.environ[_var] = "1"  # before NumPy loads: see the module docstring

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _fit_speed_baselines import replication_loop, scipy_loop  # noqa: E402
from _fit_speed_data import CSV, epoch_grid, load  # noqa: E402
from _fit_speed_process import (  # noqa: E402
    no_bytecode_cache,
    tree_bytecode,
    user_env,
    whole_process,
)
from _machine import cpu, load_average, solver_build  # noqa: E402


def bootstrap_child(n: int) -> None:
    """Run in a fresh process: grid fit + n resamples; print seconds and peak RSS."""
    import scalinglab

    N, D, L = load()
    runs = scalinglab.read_runs(
        __import__("pandas").DataFrame({"params": N, "tokens": D, "loss": L})
    )
    t0 = time.perf_counter()
    # the fit alone, as earlier entries timed it: no comparison with the other laws
    result = scalinglab.fit("chinchilla", runs, bootstrap=n, seed=0, compare=False)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "resamples": 0 if result.samples is None else len(result.samples),
                "intervals": {k: list(v) for k, v in result.intervals.items()},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline-starts",
        type=int,
        default=4500,
        help="starts for the scipy loop, every k-th of the grid (its time is extrapolated to "
        "4,500) [default: 4500]",
    )
    parser.add_argument(
        "--resamples", type=int, default=1000, help="bootstrap resamples [default: 1000]"
    )
    parser.add_argument(
        "--build",
        choices=["auto", "avx512", "avx2", "neon", "portable", "numpy"],
        default="auto",
        help="the solver build to time (sets SCALINGLAB_SOLVER); a build this machine cannot "
        "run or lacks is refused [default: auto, the fastest this CPU runs]",
    )
    # a child process times the bootstrap alone; 0 resamples is a child too
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        bootstrap_child(args.child)
        return
    if args.baseline_starts < 1:
        parser.error(f"--baseline-starts {args.baseline_starts}: the scipy loop needs at least 1")
    if args.resamples < 0:
        parser.error(f"--resamples {args.resamples}: use 0 or more")
    os.environ["SCALINGLAB_SOLVER"] = args.build  # inherited by every process started below
    from scalinglab import ConfigError
    from scalinglab._builds import library

    try:
        library()  # refuses a build this CPU cannot run (neon on x86-64) or that is not built
    except ConfigError as err:
        parser.error(f"--build {args.build}: {err.message}; use --build auto, portable or numpy")
    if not CSV.is_file():
        sys.exit(f"needs {CSV} (the shared Chinchilla points)")
    from scalinglab.fit._compiled import default_threads

    cores = default_threads()
    print(
        f"machine: {cpu()}; {cores} cores for this process of {os.cpu_count()}, "
        f"solver {solver_build()}, load average at the start {load_average()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, BLAS threads "
        f"{os.environ['OPENBLAS_NUM_THREADS']}",
        flush=True,
    )

    import scalinglab

    N, D, L = load()
    runs = scalinglab.read_runs(
        __import__("pandas").DataFrame({"params": N, "tokens": D, "loss": L})
    )
    grid = epoch_grid()
    scalinglab.fit("chinchilla", runs, starts=grid[:50], bootstrap=0, compare=False)  # warm up
    solver = solver_build()

    def timed(
        threads: int | None, numpy_solver: bool = False
    ) -> tuple[float, float, scalinglab.FitResult]:
        """Best of three (one for the slow NumPy solver): (wall s, CPU s, the fit)."""
        if numpy_solver:
            os.environ["SCALINGLAB_SOLVER"] = "numpy"
        try:
            runs_timed = []
            for _ in range(1 if numpy_solver else 3):
                t0, c0 = time.perf_counter(), time.process_time()
                fit = scalinglab.fit(
                    "chinchilla", runs, starts=grid, threads=threads, bootstrap=0, compare=False
                )
                runs_timed.append((time.perf_counter() - t0, time.process_time() - c0, fit))
            return min(runs_timed, key=lambda b: b[0])
        finally:
            os.environ["SCALINGLAB_SOLVER"] = args.build

    t_ours, c_ours, ours = timed(None)
    t_one, c_one, _ = timed(1)
    t_np, c_np, ours_np = timed(None, numpy_solver=True)

    stride = max(1, len(grid) // args.baseline_starts)
    t_loop, c_loop, f_loop = scipy_loop(N, D, L, grid[::stride])
    scale = len(grid) / len(grid[::stride])
    t_loop_full, c_loop_full = t_loop * scale, c_loop * scale
    t_lean, c_lean, f_lean = scipy_loop(N, D, L, grid[::stride], lean=True)
    t_lean, c_lean = t_lean * scale, c_lean * scale
    # the replication's own loop is slow (autograd): timed on every 10th start, scaled
    sub = grid[:: max(stride, 10)]
    replication = replication_loop(N, D, L, sub)

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "chinchilla_240.csv"
        table.write_text(
            "params,tokens,loss\n"
            + "".join(
                f"{float(n)!r},{float(d)!r},{float(v)!r}\n" for n, d, v in zip(N, D, L, strict=True)
            )
        )
        grid_args = ["fit", str(table), "--bootstrap", "0", "--json"]
        cli = whole_process(grid_args, unset=PINNED)
        # where this shell stops bytecode caching, every process compiles scalinglab again
        uncached = no_bytecode_cache(user_env(PINNED))
        cli_raw = whole_process(grid_args, unset=PINNED, cached=False) if uncached else None
    cli_fit = json.loads(cli.stdout)
    default = whole_process(["fit"], unset=PINNED)
    version = whole_process(["--version"], unset=PINNED)
    default_raw = whole_process(["fit"], unset=PINNED, cached=False) if uncached else None

    child = subprocess.run(
        [sys.executable, __file__, "--child", str(args.resamples)],
        capture_output=True,
        text=True,
        check=True,
    )
    boot = json.loads(child.stdout.strip().splitlines()[-1])

    print(
        f"scalinglab grid fit ({solver} solver, {cores} threads), {len(grid)} starts: "
        f"{t_ours:.3f} s wall, {c_ours:.3f} s CPU, objective {ours.objective:.10f}, "
        f"{ours.n_starts_at_best} of the {ours.n_starts_solved} starts solved (screened) at the best"
    )
    print(f"  the same on 1 thread: {t_one:.3f} s wall, {c_one:.3f} s CPU")
    print(
        f"  the NumPy solver: {t_np:.2f} s wall, {c_np:.2f} s CPU, objective "
        f"{ours_np.objective:.10f}, {ours_np.n_starts_at_best} of the {ours_np.n_starts_solved} "
        "starts solved at the best"
    )
    n_timed = len(grid[::stride])
    label = "" if stride == 1 else f" (timed on {n_timed} starts, scaled to {len(grid)})"
    # the loop's figures below are extrapolated when it ran on fewer starts than the grid
    from_loop = "" if stride == 1 else f"; the loop's time extrapolated from {n_timed} starts"
    print(
        f"scipy L-BFGS-B loop, analytic gradient: {t_loop_full:.2f} s wall, {c_loop_full:.2f} s "
        f"CPU{label}, objective {f_loop:.10f}"
    )
    print(
        f"speed-up: {t_loop_full / t_ours:.1f}x wall on {cores} cores (target >= 100x on 2); "
        f"{t_loop_full / t_one:.1f}x on one thread; NumPy solver {t_loop_full / t_np:.1f}x"
        f"{from_loop}"
    )
    print(
        f"whole `scalinglab fit` process, same 240 runs and 4,500 starts, no bootstrap "
        f"({cli_fit['solver']}; bytecode cached, as from a user's second run): {cli.line()}, "
        f"objective {cli_fit['objective']:.10f}; speed-up {t_loop_full / cli.wall:.1f}x wall "
        f"(target >= 100x on 2 cores), {c_loop_full / cli.cpu:.1f}x in CPU seconds{from_loop}"
    )
    print(
        f"whole `scalinglab fit` on the default data (200 resamples): {default.line()} (target "
        f"<= 1 s); `scalinglab --version`: {version.line()} (target <= 0.3 s)"
    )
    if cli_raw is not None and default_raw is not None:
        print(
            "  as this shell starts them (PYTHONDONTWRITEBYTECODE is set: "
            f"{tree_bytecode()}): the 240-run fit {cli_raw.line()}, "
            f"{t_loop_full / cli_raw.wall:.1f}x wall; the default fit {default_raw.line()}"
        )
    rel = abs(ours.objective - f_loop) / f_loop
    print(f"same optimum: relative difference {rel:.2e}")
    print(
        f"the loop with a lean objective (plain exp/log): {t_lean:.2f} s wall, {c_lean:.2f} s "
        f"CPU, objective {f_lean:.10f}; speed-up against it {t_lean / t_ours:.1f}x{from_loop}"
    )
    if replication is None:
        print("the replication's own loop (autograd gradient): not timed, autograd not installed")
    else:
        t_rep = replication[0] * len(grid) / len(sub)
        print(
            f"the replication's own loop (autograd gradient; timed on {len(sub)} starts, scaled "
            f"to {len(grid)}): {t_rep:.1f} s wall, objective {replication[2]:.10f}; speed-up "
            f"against it {t_rep / t_ours:.0f}x"
        )
    print(
        f"grid fit + {boot['resamples']} bootstrap resamples: {boot['seconds']:.2f} s, peak RSS "
        f"{boot['peak_mb']:.0f} MB   (targets <= 30 s, <= 1024 MB)"
    )
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
