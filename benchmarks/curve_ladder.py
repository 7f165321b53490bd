"""Curves -> scaling data on the project's own CPU ladder: cooled-down predictions against
real cooldowns.

``examples/curves-ladder/curves.csv`` holds the curves of three sizes (w24, w32, w48), each
trained on the same budget with a constant, a cosine and a WSD schedule (linear cooldown to
0.1x over the last 20% of the steps): ``run, step, lr, loss, params`` exported from the run
store the ladder wrote (``examples/curves-ladder/ladder.toml`` says how it was made; the
store itself, 3.4 MB, is not committed; ``--store`` reads one). Each logged loss is the mean
training loss over the steps since the previous logged point (the trainer logs every
``log_every`` = 5 steps and at the last step), so the final point averages only the steps
after the last multiple of 5: 2 steps for w24 and w48, 4 for w32. In one run:

1. a curve law across sizes (``sized:multipower``, ``sized:tissue``) is fitted to the
   constant and cosine curves of all three sizes (the WSD runs are held out);
2. per size, the cooldown of the constant run from the step where the WSD run starts
   decaying, predicted with the WSD run's own shape and end rate, against the WSD run's real
   curve over its cooldown and its final logged loss;
3. the baseline in the same run: the constant run's own logged loss at the same step as the
   guess for the cooled-down loss (at the final step: its last loss, what a scaling-law fit to
   final points of constant runs assumes);
4. where the laws' error comes from: each law's misfit of the constant run's own last logged
   loss (a point it was fitted on), and the law's predicted drop (cooled-down over constant,
   both from the law) applied to the constant run's observed loss, a comparison that, like
   the baseline, uses the constant run's observed loss.

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


def _errors(guess: np.ndarray, real: np.ndarray) -> tuple[float, float]:
    """Relative error (percent) of ``guess`` at the final point and its mean over all points."""
    rel = np.abs(guess / real - 1)
    return 100 * float(rel[-1]), 100 * float(rel.mean())


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
    rows: dict[str, list[tuple[str, float, float, float, float]]] = {s: [] for s in sizes}
    misfit: list[str] = []
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
            steps, real = wsd.step[on], wsd.loss[on]
            # The baseline and the drop-on-level comparison read the constant run at the WSD
            # run's logged steps; the ladder logs both at the same steps.
            where = {int(s): i for i, s in enumerate(const.step)}
            if any(int(s) not in where for s in steps):
                sys.exit(
                    f"{const.run} is not logged at every cooldown step of {wsd.run}; "
                    "give curves logged at the same steps"
                )
            observed = const.loss[[where[int(s)] for s in steps]]
            pred = fit.predict(sched, steps=steps, params=wsd.params).loss
            flat = fit.predict(const.schedule, steps=steps, params=wsd.params).loss
            last = fit.predict(const.schedule, steps=const.step[-1:], params=const.params).loss
            name = f"{size} (N = {wsd.params:.3g})"
            misfit.append(
                f"| {law} | {name} | {const.loss[-1]:.4f} | {last[0]:.4f} | "
                f"{100 * abs(last[0] / const.loss[-1] - 1):.2f}% |"
            )
            drop = observed * pred / flat  # the law's cooldown ratio, on the observed level
            methods = [(law, pred), (f"{law}'s drop on the observed level*", drop)]
            if law == "sized:multipower":  # one baseline per size: it uses no law
                methods.append(("baseline: constant run's observed loss*", observed))
            for method, guess in methods:
                rows[size].append(
                    (method, float(real[-1]), float(guess[-1]), *_errors(guess, real))
                )
    print("\n| size | method | real cooldown final | predicted | error | mean error over the "
          "cooldown |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for size in sizes:
        params = next(c.params for c in curves if c.run.startswith(size))
        for method, real_final, guess, final, mean in rows[size]:
            print(
                f"| {size} (N = {params:.3g}) | {method} | {real_final:.4f} | {guess:.4f} | "
                f"{final:.2f}% | {mean:.2f}% |"
            )
    print(
        "\n* uses the constant run's observed loss at each cooldown step (at the final step, its "
        "last logged loss), as the baseline does; the law alone predicts from the fit only."
    )
    print("\nLevel misfit: each law at the constant run's own last logged step (a fitted point)")
    print("\n| law | size | constant run's last loss | law there | error |")
    print("|---|---|---|---|---|")
    print("\n".join(misfit))
    print(f"\nload average at end: {describe().split('load average ')[1]}")


if __name__ == "__main__":
    main()
