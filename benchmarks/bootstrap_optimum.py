"""Does every bootstrap sample reach its resample's optimum? Training data only.

For each set (the bundled default runs, the 240 Chinchilla points, each over-training
corpus's runs below 4e8 parameters with the over-training and Chinchilla laws), a fit with
200 resamples; each resample's best objective as the bootstrap ends it is compared with the
best of all its starts solved to the end (the same objective, the same starts). A miss: a
resample whose sample ends above that by more than 1e-6 relative. Prints misses and the
largest relative gap per set, summed over ``--seeds``.

``--keep-of`` (``fit/_bootstrap.py``'s ``KEEP_OF``: 2 keeps 3 of 6 starts after the
screening steps, 1 solves all) and ``--steps`` (the screening steps, in the bootstrap only)
measure other settings; run with another tree's ``src`` on ``PYTHONPATH`` to measure it.

Usage::

    python benchmarks/bootstrap_optimum.py --seeds 0,1,2
    python benchmarks/bootstrap_optimum.py --seeds 0,1,2 --keep-of 2 --steps 40

Needs ../shared/data (chinchilla, overtraining).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from _machine import describe, load_average
from _real_sets import CHINCHILLA, OVERTRAINING
from scalinglab import bundled_runs, fit, read_runs
from scalinglab.data import RunTable
from scalinglab.fit import _bootstrap, _merge
from scalinglab.fit._solver import SolveResult, Status, minimize


def sets() -> Iterator[tuple[str, RunTable, str]]:
    yield "bundled default runs, chinchilla", bundled_runs(), "chinchilla"
    runs = read_runs(CHINCHILLA)
    yield (
        "Chinchilla 240, chinchilla",
        runs.select(runs["loss"] < np.sort(runs["loss"])[-5]),
        "chinchilla",
    )
    table = pd.read_csv(OVERTRAINING)
    for corpus, g in table.groupby("dataset"):
        g = g[g["params"] < 4e8]
        frame = {
            "run": g["name"],
            "params": g["params"],
            "tokens": g["tokens"],
            "loss": g["loss_c4_val"],
        }
        for law in ("overtraining", "chinchilla"):
            yield f"over-training {corpus} (<4e8), {law}", read_runs(pd.DataFrame(frame)), law


def _best(solved: SolveResult, n: int) -> np.ndarray:
    ended = np.isfinite(solved.objective) & (solved.status != Status.SCREENED)
    return np.where(ended, solved.objective, np.inf).reshape(n, -1).min(axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0", help="bootstrap seeds, comma-separated")
    parser.add_argument("--keep-of", type=float, default=None, help="KEEP_OF (default: the tree's)")
    parser.add_argument("--steps", type=int, default=None, help="screening steps, bootstrap only")
    args = parser.parse_args()
    if args.keep_of is not None:
        _bootstrap.KEEP_OF = args.keep_of
    steps = _merge.SCREEN_STEPS if args.steps is None else args.steps
    print(f"machine: {describe()}; KEEP_OF {_bootstrap.KEEP_OF}, bootstrap screening steps {steps}")
    gaps: list[np.ndarray] = []
    shipped = _bootstrap.screened

    def checked(objective: Any, starts: np.ndarray, **kw: Any) -> SolveResult:
        grid_steps, _merge.SCREEN_STEPS = _merge.SCREEN_STEPS, steps
        try:
            out = shipped(objective, starts, **kw)
        finally:
            _merge.SCREEN_STEPS = grid_steps
        every = minimize(
            objective, starts, lower=kw["lower"], upper=kw["upper"], groups=kw["groups"],
            max_iter=kw["max_iter"], threads=kw["threads"],
        )  # fmt: skip
        n = int(kw["groups"].max()) + 1
        best = _best(every, n)
        gaps.append((_best(out, n) - best) / np.abs(best))
        return out

    _bootstrap.screened = checked  # type: ignore[assignment]
    total = [0, 0]
    for name, runs, law in sets():
        gap = []
        for seed in (int(s) for s in args.seeds.split(",")):
            gaps.clear()
            fit(law, runs, bootstrap=200, seed=seed, extrapolation=False)
            gap.append(gaps[-1])
        g = np.concatenate(gap)
        misses = int((g > 1e-6).sum())
        total[0] += misses
        total[1] += len(g)
        print(
            f"{name}: {misses} of {len(g)} resamples above their starts' best, largest gap {g.max():.3g}"
        )
    print(f"all sets: {total[0]} of {total[1]}; load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
