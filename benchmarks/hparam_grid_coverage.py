"""Coverage of the true lr* by a cell's 90% lr interval on sweeps drawn from a known valley.

The sweeps are those of ``tests/test_hparams_grid_pinned.py`` (three cells, loss
``L*(1 + 0.02 d² + 0.008 d³ + 0.002 d⁴)`` at ``d = ln(lr/lr*)`` times ``1 + noise·N(0, 1)``)
on a coarse (x3) and a fine (x1.41) lr grid. ``before`` is the bootstrap alone (the grid's
pinning switched off), ``after`` the fit as it is; one run measures both.

Usage: ``PYTHONPATH=src python benchmarks/hparam_grid_coverage.py [SWEEPS]`` (default 50).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.test_hparams_grid_pinned import _sweep, _true_lr

import scalinglab.hparams._optimum as optimum
from _machine import describe, load_average
from scalinglab.hparams._sweep import read_sweep


def _measure(step: float, n_lrs: int, noise: float, sweeps: int) -> tuple[int, float, int, float]:
    """Cells, share holding lr*, intervals of no width, median width (ln lr)."""
    rng = np.random.default_rng(11)
    held, widths = [], []
    for s in range(sweeps):
        sweep = read_sweep(_sweep(rng, step, n_lrs, noise), by=["params"], lr="lr")
        for cell in optimum.locate_optima(sweep, bootstrap=200, seed=s):
            if cell.bracketed:
                lo, hi = cell.lr_interval
                held.append(lo <= _true_lr(cell.keys["params"]) <= hi)
                widths.append(math.log(hi / lo))
    w = np.array(widths)
    return len(held), float(np.mean(held)), int(np.sum(w < 1e-3)), float(np.median(w))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sweeps", nargs="?", type=int, default=50, help="sweeps per row [50]")
    sweeps = parser.parse_args().sweeps
    pinned = optimum.pinned
    print(f"machine: {describe()}")
    print("grid | noise | method | cells | coverage (90%) | no width | median width (ln lr)")
    for step, n_lrs in ((3.0, 4), (3.0, 5), (1.41, 11)):
        for noise in (0.002, 0.005):
            for name in ("before", "after"):
                optimum.pinned = pinned if name == "after" else (lambda *a, **k: False)
                n, share, flat, width = _measure(step, n_lrs, noise, sweeps)
                print(f"x{step:g}, {n_lrs} lrs | {noise:.1%} | {name} | {n} | {share:.0%} | "
                      f"{flat} | {width:.3f}")  # fmt: skip
    optimum.pinned = pinned
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
