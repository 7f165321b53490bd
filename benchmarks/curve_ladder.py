"""Curves -> scaling data on the project's own CPU ladder: cooled-down predictions against
real cooldowns.

``examples/curves-ladder/curves.csv`` holds the curves of three sizes (w24, w32, w48), each
trained on the same budget with a constant, a cosine and a WSD schedule (linear cooldown to
0.1x over the last 20% of the steps): ``run, step, lr, loss, params`` exported from the run
store the ladder wrote (``examples/curves-ladder/ladder.toml`` says how it was made; the
store itself, 3.4 MB, is not committed; ``--store`` reads one). In one run:

1. a curve law across sizes (``sized:multipower``, ``sized:tissue``) is fitted to the
   constant and cosine curves of all three sizes (the WSD runs are held out);
2. per size, the cooldown of the constant run from the step where the WSD run starts
   decaying, predicted with the WSD run's own shape and end rate, against the WSD run's real
   curve over its cooldown and its final logged loss (a mean over the last 5 steps);
3. the baseline in the same run: the constant run's own last loss as the guess for the
   cooled-down loss (what a scaling-law fit to final points of constant runs assumes).

Usage::

    python benchmarks/curve_ladder.py [--curves examples/curves-ladder/curves.csv | --store S]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe
from scalinglab.curves import fit_curves, read_lr_curves, read_store_curves
from scalinglab.curves._cooldown import cooldown_schedule

CURVES = Path(__file__).resolve().parents[1] / "examples" / "curves-ladder" / "curves.csv"


def build_parser() -> argparse.ArgumentParser:
    """The command line; its description is the docstring's first paragraph (a sentence)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--curves", type=Path, default=CURVES)
    parser.add_argument("--store", type=Path, help="Read a run store's curves instead.")
    parser.add_argument("--decay", type=float, default=0.2, help="The WSD runs' decay fraction.")
    parser.add_argument("--end", type=float, default=0.1, help="Their final lr / peak.")
    return parser


def main() -> None:
    args = build_parser().parse_args()
    print(f"machine: {describe()}")
    source = args.store or args.curves
    curves = read_store_curves(source) if args.store else read_lr_curves(source)
    by = {c.run: c for c in curves}
    sizes = sorted({r.split("-")[0] for r in by}, key=lambda s: int(s[1:]))
    kind = {r: next(k for k in ("constant", "cosine", "wsd") if k in r) for r in by}
    train = [c for c in curves if kind[c.run] != "wsd"]
    print(
        f"{len(curves)} curves in {source.name}: {', '.join(sorted(by))}; "
        f"{sum(len(c) for c in curves)} logged points"
    )
    print("\n| law | size | real cooldown final | predicted | error | mean error over the "
          "cooldown | baseline: constant run's last loss | its error |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for law in ("sized:multipower", "sized:tissue"):
        fit = fit_curves(train, law=law, bootstrap=0)
        for size in sizes:
            const = next(c for c in curves if c.run.startswith(size) and kind[c.run] == "constant")
            wsd = next(c for c in curves if c.run.startswith(size) and kind[c.run] == "wsd")
            total = wsd.schedule.steps
            at = total - round(args.decay * total)
            sched = cooldown_schedule(
                const.schedule,
                at,
                cooldown=(total - at) / total,
                end=args.end * const.schedule.peak,
                shape="linear",
            )
            on = (wsd.step >= at) & (wsd.step < sched.steps)
            pred = fit.predict(sched, steps=wsd.step[on], params=wsd.params)
            rel = np.abs(pred.loss / wsd.loss[on] - 1)
            real, guess = float(wsd.loss[on][-1]), float(const.loss[-1])
            print(
                f"| {law} | {size} (N = {wsd.params:.3g}) | {real:.4f} | {pred.loss[-1]:.4f} | "
                f"{100 * rel[-1]:.2f}% | {100 * rel.mean():.2f}% | {guess:.4f} | "
                f"{100 * abs(guess / real - 1):.2f}% |"
            )
    print(f"\nload average at end: {describe().split('load average ')[1]}")


if __name__ == "__main__":
    main()
