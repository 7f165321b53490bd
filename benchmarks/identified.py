"""Where the structural identifiability check fires on the real sets (fit/_identified.py).

For each real set of ``_real_sets`` (the Chinchilla points, the over-training models of each
corpus, the Step Law cells), each catalog law is fitted without a bootstrap to: all runs,
the training side of the set's held-out split, and that training side without its largest
size (the fit a rolling-origin cut or the downstream screen makes below it). Each row gives
the distinct model sizes, the smallest singular value of the scaled Jacobian relative to the
largest (:data:`~scalinglab.fit._identified.RANK_RTOL` is the line) and the structural
warnings, abridged to their first words.

    .venv/bin/python benchmarks/identified.py
    .venv/bin/python benchmarks/identified.py --laws chinchilla   # one law
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from _machine import describe
from _real_sets import real_sets
from scalinglab import fit
from scalinglab.data import RunTable
from scalinglab.fit._delta import scaled_jacobian
from scalinglab.fit._identified import RANK_RTOL
from scalinglab.fit._result import FitResult
from scalinglab.validate import split_runs

LAWS = ("chinchilla", "overtraining", "kaplan", "power-law-plus-constant:flops")
STRUCTURAL = ("not identified separately", "move together")


def rank_ratio(result: FitResult, runs: RunTable) -> float:
    law = result.law
    data = {s: runs[c] for s, c in result.columns.items()}
    coefs = np.array([result.coefs[n] for n in law.param_names])
    s = np.linalg.svd(scaled_jacobian(law, coefs, data)[0], compute_uv=False)
    return float(s[-1] / s[0])


def sides(runs: RunTable, holdout: str) -> list[tuple[str, RunTable]]:
    train = split_runs(runs, holdout).fitted
    sizes = np.unique(train["params"])
    below = train.select(train["params"] < sizes[-1])
    return [
        ("all", runs),
        (f"train (holding out {holdout})", train),
        ("train below its largest", below),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--laws",
        nargs="+",
        choices=LAWS,
        default=list(LAWS),
        metavar="LAW",
        help=f"laws to fit, of {', '.join(LAWS)} [default: all]",
    )
    args = parser.parse_args(argv)
    found, missing = real_sets()
    if not found:  # nothing to measure: say why and fail, as the other benchmarks do
        sys.exit("\n".join(["no real set found (the shared data folder):", *missing]))
    print(describe())
    print(f"rank line: {RANK_RTOL:.2g}")
    print("| set | runs | sizes | law | rank ratio | structural warning |")
    print("|---|---|---|---|---|---|")
    for _, parts in found:
        for label, runs, holdout in parts:
            for side, table in sides(runs, holdout):
                for law in args.laws:
                    result = fit(law, table, bootstrap=0, extrapolation=False, compare=False)
                    lines = [w for w in result.warnings if any(k in w for k in STRUCTURAL)]
                    said = "; ".join(w.split(":")[0] for w in lines) or "—"
                    print(
                        f"| {label}, {side} | {len(table['loss'])} | "
                        f"{len(np.unique(table['params']))} | {law} | "
                        f"{rank_ratio(result, table):.2g} | {said} |"
                    )
    for line in missing:
        print(line)


if __name__ == "__main__":
    main()
