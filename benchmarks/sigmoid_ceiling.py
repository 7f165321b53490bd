"""Whether holding an untied sigmoid's ceiling at 100% moved any fit: the over-training
models of one corpus (``../shared/data/overtraining``, c4_original, 31 models), every task
fitted by a chain (the over-training loss law, 200 resamples, no backtest verdict), once with
the chance levels of ``eval_metadata.csv`` (the tasks it knows are tied) and once without
(the tasks without a built-in level have ``b`` fitted).

Run it under two sources and compare: every tied task's coefficients, resamples and the
predictions at 1.4B parameters x 28B tokens must be bit for bit the same; untied tasks' ceilings
``a + b`` (best fit, and the largest over the resamples) are listed where they differ::

    PYTHONPATH=<baseline src> python benchmarks/sigmoid_ceiling.py --out before.npz
    PYTHONPATH=src python benchmarks/sigmoid_ceiling.py --out after.npz --compare before.npz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import scalinglab
from _machine import describe
from scalinglab.downstream import read_evals

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "overtraining"


def fitted(chance: bool) -> dict[str, np.ndarray]:
    """Each task's coefficients, resamples and tie, and the chain's predictions, by key."""
    given = {"chance": str(DATA / "eval_metadata.csv")} if chance else {}
    evals = read_evals(DATA / "models.dev.csv", loss="loss_c4_val", **given)
    evals = evals.where("dataset", "c4_original")
    chain = scalinglab.fit_downstream(
        evals, law="overtraining", bootstrap=200, max_backtest_error=None
    )
    tag = "tied" if chance else "untied"
    out = {}
    for name, task in chain.tasks.items():
        if task.step is not None:
            out[f"{tag}/{name}/coefs"] = np.array(list(task.step.coefs.values()))
            out[f"{tag}/{name}/samples"] = task.step.samples
    predicted = chain.predict(params=1.4e9, tokens=28e9).values()
    out[f"{tag}/predictions"] = np.array([[p.accuracy, p.lower, p.upper] for p in predicted])
    return out


def _top(values: np.ndarray) -> float:
    """The largest ceiling ``a + b`` among rows of an untied sigmoid's (NaN if none)."""
    rows = np.atleast_2d(values)
    rows = rows[np.all(np.isfinite(rows), axis=1)]
    return float(np.max(rows[:, 0] + rows[:, 3])) if rows.size and rows.shape[1] == 4 else np.nan


def compare(after: dict[str, np.ndarray], before: dict[str, np.ndarray]) -> None:
    """Print what moved between two runs: the tied arrays (none should), and each untied
    task's ceiling where its coefficients moved."""
    assert set(after) == set(before), set(after) ^ set(before)
    moved = [k for k in after if not np.array_equal(after[k], before[k], equal_nan=True)]
    tied = [k for k in moved if k.startswith("tied/")]
    print(f"chance levels given: {len(tied)} of {sum(k.startswith('tied/') for k in after)} "
          f"arrays moved {tied}")  # fmt: skip
    print(f"without them: {sum(k.startswith('untied/') for k in moved)} arrays moved")
    for key in sorted(k for k in moved if k.startswith("untied/") and k.endswith("/coefs")):
        name = key.split("/")[1]
        samples = f"untied/{name}/samples"
        was = (_top(before[key]), _top(before[samples]))
        now = (_top(after[key]), _top(after[samples]))
        print(f"  {name}: a + b {was[0]:.4f} -> {now[0]:.4f}; largest over resamples "
              f"{was[1]:.3f} -> {now[1]:.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the .npz to write")
    parser.add_argument("--compare", help="an .npz of another run to compare with")
    args = parser.parse_args()
    if not (DATA / "models.dev.csv").is_file():
        sys.exit(f"data not found: {DATA / 'models.dev.csv'} (the shared over-training models)")
    print(f"machine: {describe()}")
    out = {**fitted(True), **fitted(False)}
    np.savez(args.out, **out)
    if args.compare:
        with np.load(args.compare) as other:
            compare(out, dict(other))


if __name__ == "__main__":
    main()
