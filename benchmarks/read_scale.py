"""Reading many large curve files: a folder of CSVs, one per run, as ``scalinglab envelope
curves/`` reads it.

The files are the sweep's (300 runs of 20,000 logged steps: ``run,step,lr,loss,params,tokens``,
a cosine schedule after warm-up, losses on a Chinchilla law with 0.5% noise); ``--files`` of
them are written. Each measurement runs in a fresh process, so its peak resident memory is
its own, and is timed in wall-clock and CPU seconds (CPU time is the steadier on a loaded
machine):

* ``read_curve_folder(folder)``: the reading alone, every file to :class:`~scalinglab.data.Curves`
  (the modules it imports loaded before the clock starts);
* ``scalinglab envelope folder --json``: the command end to end, its imports included (1,000
  resamples), in-process through ``scalinglab.cli.main``.

``--baseline SRC`` measures a second source tree (another checkout's ``src``) in the same run,
each measurement alternating between the two, so a before/after pair shares the machine's load.

Usage: ``python benchmarks/read_scale.py [--files 30] [--points 20000] [--baseline SRC]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from _machine import describe

HERE = Path(__file__).resolve().parent
E, A, ALPHA, B, BETA = 1.7, 400.0, 0.34, 410.0, 0.28  # the sweep's law
TOKENS_PER_STEP = 2**19

CHILD = """
import io, json, resource, sys, time
from contextlib import redirect_stdout
if sys.argv[1] == "read":  # the reading alone: its imports (scipy's, a second) first
    import scalinglab.curves
    from scalinglab.validate._curve_folder import read_curve_folder
start, cpu = time.perf_counter(), time.process_time()
if sys.argv[1] == "read":
    points = len(read_curve_folder(sys.argv[2]))
else:
    from scalinglab.cli import main
    with redirect_stdout(io.StringIO()) as out:
        code = main(["envelope", sys.argv[2], "--json"])
    assert code == 0, code
    points = json.loads(out.getvalue())["n_runs"]
print(json.dumps({"seconds": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "count": points}))
"""


def write_curves(folder: Path, files: int, points: int, seed: int = 0) -> None:
    """The sweep's curve files (its generator, ``/tmp/sweep-scale/gen.py``, in a function)."""
    rng = np.random.default_rng(seed)
    steps = np.arange(1, points + 1)
    peak, warmup = 3e-3, min(500, points // 4)
    cosine = 1e-4 + 0.5 * (peak - 1e-4) * (1 + np.cos(np.pi * (steps - warmup) / (points - warmup)))
    lr = np.where(steps < warmup, peak * steps / warmup, cosine)
    tokens = steps * TOKENS_PER_STEP
    for k in range(files):
        n = 10 ** rng.uniform(7, 9)
        loss = (E + A * n**-ALPHA + B * tokens.astype(float) ** -BETA) * (
            1 + 0.005 * rng.standard_normal(points)
        )
        frame = pd.DataFrame(
            {"run": f"c{k}", "step": steps, "lr": lr, "loss": loss, "params": round(n),
             "tokens": tokens}
        )  # fmt: skip
        frame.to_csv(folder / f"c{k:03d}.csv", index=False)


def measure(src: Path, what: str, folder: Path) -> dict[str, float]:
    """One measurement in a fresh process importing scalinglab from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", CHILD, what, str(folder)], env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:  # say what the child said (envelope refuses too few files)
        raise SystemExit(f"{what} with {src} failed ({done.returncode}): {done.stderr[-800:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=2, help="measurements of each")
    parser.add_argument("--baseline", type=Path, help="another source tree, measured alike")
    args = parser.parse_args()
    trees = {"this tree": HERE.parent / "src"}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
    print(f"machine: {describe(solver=False)}")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "curves"
        folder.mkdir()
        write_curves(folder, args.files, args.points)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
        print(f"{started}: {args.files} files x {args.points} points ({size:.0f} MB)")
        for what in ("read", "envelope"):
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
            for _ in range(args.repeats):  # alternating: both see the same load
                for name, src in trees.items():
                    runs[name].append(measure(src, what, folder))
            best = {name: min(seen, key=lambda r: r["cpu_s"]) for name, seen in runs.items()}
            for name, b in best.items():
                print(f"  {what:8s} {name:9s}: {b['seconds']:6.2f} s wall, "
                      f"{b['cpu_s']:6.2f} s CPU, peak {b['peak_mb']:5.0f} MB "
                      f"(best CPU of {args.repeats}; count {b['count']:.0f})")  # fmt: skip
            if "baseline" in best:  # the ratio the rules ask for, from this run's own figures
                a, b = best["baseline"], best["this tree"]
                print(f"  {what:8s} baseline / this tree: {a['cpu_s'] / b['cpu_s']:.2f}x CPU, "
                      f"{a['seconds'] / b['seconds']:.2f}x wall")  # fmt: skip
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
