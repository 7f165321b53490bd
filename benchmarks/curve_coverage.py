"""Coverage of a curve law's intervals over synthetic fits: resampling scheme x quantile rule.

The slow tests' protocol (``tests/_curve_coverage.py``): 12 synthetic curves per fit drawn
from the law, per-curve offsets of 0.2% and 0.1% point noise, data seed 100 + r, 200
bootstrap resamples with seed r. Each seed is fitted once per resampling scheme
(``curves``: whole curves with replacement; ``bayesian``: Dirichlet weights per curve), and
both quantile rules (``expanded``: Hesterberg's percentiles for 12 clusters; ``plain``) and
every level are read from that one set of draws. One JSON line per fit and scheme is
appended to ``--out`` as it finishes (covered and width per quantity, rule and level; CPU
seconds); ``--summary`` reads such files back and prints the tables (coverage, its binomial
standard error, median width), a fit found more than once (same law, scheme, curves and
seed: a rerun appended to the same file) counted once, its last line kept.

Usage::

    python benchmarks/curve_coverage.py --law multipower --seeds 1000:1060 --out mp.jsonl
    python benchmarks/curve_coverage.py --law tissue --seeds 7 --resample bayesian  # seed 7
    python benchmarks/curve_coverage.py --summary mp.jsonl tissue.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests._curve_coverage import covered, synthetic_draws

from _machine import describe
from scalinglab.curves import get_curve_law
from scalinglab.curves._bootstrap import RESAMPLES

#: Truth and logging interval of each law's synthetic curves (the slow tests' values; the
#: power law in S1 takes the multi-power law's L0, A and alpha).
LAWS = {
    "multipower": (
        {"L0": 3.0, "A": 0.5, "alpha": 0.5, "B": 400.0, "C": 2.0, "beta": 0.5, "gamma": 0.6},
        100,
    ),
    "tissue": ({"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}, 50),
    "power-s1": ({"L0": 3.0, "A": 0.5, "alpha": 0.5}, 50),
}
LEVELS = (0.5, 0.8, 0.9)
RULES = {"expanded": True, "plain": False}


def seed_range(text: str) -> range:
    """``--seeds``: ``START:STOP`` (stop excluded) or one seed ``N`` (``N:N+1``)."""
    try:
        parts = [int(x) for x in text.split(":")]
    except ValueError:
        parts = []
    if len(parts) == 1:
        return range(parts[0], parts[0] + 1)
    if len(parts) == 2 and parts[0] < parts[1]:
        return range(parts[0], parts[1])
    raise argparse.ArgumentTypeError(
        f"{text!r} is not START:STOP (integers, START < STOP, e.g. 0:60) or one seed N"
    )


def schemes(text: str) -> list[str]:
    """``--resample``: a comma-separated list of fit_curves' resampling schemes."""
    got = text.split(",")
    bad = [g for g in got if g not in RESAMPLES]
    if bad:
        raise argparse.ArgumentTypeError(
            f"{', '.join(map(repr, bad))}: not a resampling scheme; choose from "
            f"{', '.join(RESAMPLES)} (comma-separated)"
        )
    return got


def latest(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], int]:
    """One row per fit (law, scheme, curves, seed): the last one read, and how many were
    dropped (``--out`` appends, so a rerun of a seed into the same file repeats it)."""
    keyed = {(r["law"], r["resample"], int(r.get("curves", 12)), r["seed"]): r for r in rows}  # type: ignore[call-overload]
    return list(keyed.values()), len(rows) - len(keyed)


def run(law: str, seeds: range, resamples: list[str], out: Path, n_curves: int = 12) -> int:
    """Fit each seed under each scheme, appending one JSON line per fit to ``out``; the
    number of lines written."""
    truth, every = LAWS[law]
    names = [*get_curve_law(law).param_names, "final"]
    print(f"machine: {describe()}; appending to {out.resolve()}", flush=True)
    written = 0
    with out.open("a") as fh:
        for r in seeds:
            for scheme in resamples:
                c0 = time.process_time()
                _, draws, exact = next(
                    synthetic_draws(
                        law, truth, every=every, seeds=[r], resample=scheme, n_curves=n_curves
                    )
                )
                row: dict[str, object] = {
                    "law": law,
                    "seed": r,
                    "resample": scheme,
                    "curves": n_curves,
                    "cpu": time.process_time() - c0,
                    "names": names,
                }
                for rule, expand in RULES.items():
                    for level in LEVELS:
                        inside, width = covered(
                            draws, exact, level, expand=expand, clusters=n_curves
                        )
                        row[f"{rule}@{level}"] = [inside.tolist(), width.tolist()]
                fh.write(json.dumps(row) + "\n")
                fh.flush()
                written += 1
                missed = [n for n, c in zip(names, row["expanded@0.9"][0], strict=True) if not c]  # type: ignore[index]
                print(f"{law} seed {r} {scheme}: {row['cpu']:.1f} s CPU; expanded 90% missed "
                      f"{missed or 'none'}", flush=True)  # fmt: skip
    return written


def summary(paths: list[Path]) -> None:
    rows, dropped = latest(
        [json.loads(line) for p in paths for line in p.read_text().splitlines() if line]
    )
    if dropped:
        print(f"{dropped} duplicate line(s) dropped (same law, resample, curves and seed; "
              "the last one read kept)")  # fmt: skip
    groups: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[(row["law"], row["resample"], int(row.get("curves", 12)))].append(row)
    for (law, scheme, n_curves), got in sorted(groups.items()):
        names = got[0]["names"]
        seeds = sorted(int(g["seed"]) for g in got)  # type: ignore[call-overload]
        cpu = np.median([float(g["cpu"]) for g in got])  # type: ignore[arg-type]
        print(f"\n{law}, {n_curves} curves, resample={scheme}: {len(got)} fits "
              f"(seeds {seeds[0]}-{seeds[-1]}), "
              f"median {cpu:.1f} s CPU per fit")  # fmt: skip
        print("| rule, level | " + " | ".join(names) + " |")  # type: ignore[arg-type]
        print("|---|" + "---|" * len(names))  # type: ignore[arg-type]
        for rule in RULES:
            for level in LEVELS:
                hit = np.array([g[f"{rule}@{level}"][0] for g in got], dtype=float)  # type: ignore[index]
                width = np.array([g[f"{rule}@{level}"][1] for g in got], dtype=float)  # type: ignore[index]
                share = hit.mean(axis=0)
                se = np.sqrt(level * (1 - level) / len(hit))
                cells = [
                    f"{100 * s:.1f} (w {np.median(w):.3g})"
                    for s, w in zip(share, width.T, strict=True)
                ]
                print(
                    f"| {rule} {100 * level:.0f}% (±{100 * se:.1f}) | " + " | ".join(cells) + " |"
                )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--law", choices=tuple(LAWS), default="multipower")
    ap.add_argument("--seeds", type=seed_range, default="0:60", metavar="START:STOP|N",
                    help="START:STOP (stop excluded), or one seed N")  # fmt: skip
    ap.add_argument("--resample", type=schemes, default="curves,bayesian", metavar="SCHEMES",
                    help=f"comma-separated, of {', '.join(RESAMPLES)}")  # fmt: skip
    ap.add_argument("--curves", type=int, choices=(12, 3), default=12,
                    help="curves per fit: 12 (the slow tests'), or 3 (the source protocol's)")  # fmt: skip
    ap.add_argument("--out", type=Path, default=Path("curve_coverage.jsonl"),
                    help="JSON lines, appended to (default: in the current folder)")  # fmt: skip
    ap.add_argument("--summary", nargs="*", type=Path)
    args = ap.parse_args(argv)
    if args.summary:
        summary(args.summary)
        return
    t0, c0 = time.perf_counter(), time.process_time()
    written = run(args.law, args.seeds, args.resample, args.out, args.curves)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"\nwall {wall:.0f} s, CPU {cpu:.0f} s; {describe()}")
    print(f"{written} line(s) appended to {args.out.resolve()}")


if __name__ == "__main__":
    main()
