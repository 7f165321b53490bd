"""Loss-curve laws on the shared curves: the multi-power law's own protocol, side by side.

In one run, on ``../shared/data/lr-schedules`` (Luo et al. 2025's 25M and 100M curves):

1. per size, every curve law is fitted on ``cosine_24000``, ``constant_24000`` and
   ``wsdcon_9`` and predicts the other six schedules; mean and worst absolute relative error
   over each held-out curve's logged points, against the published multi-power anchors
   (0.110% / 0.409% at 25M, 0.142% / 0.583% at 100M). "worst" is reported twice: the
   largest error over all six schedules, and the source's own "WorstE", the mean over the
   six schedules of each one's largest error (its ``src/evaluation.py`` averages every
   metric over files). A check of the implementation comes first: the source's published
   parameters (its ``src/config.py``), evaluated by this law on the held-out schedules,
   must give the published errors;
2. across sizes: ``sized:LAW`` fitted on all 25M curves and the three 100M training curves,
   predicting the six 100M test schedules;
   Then the multi-power law with a ridge on its drop shape (``C, beta, gamma`` toward the
   source's start ``1, 0.5, 0.5``), its strength chosen by a time split of the three
   *training* curves alone (:func:`scalinglab.curves.choose_ridge`: fit every training
   curve's prefix up to 1/2 and 2/3 of the longest, predict the remainders; the grid, the
   cuts and the criterion were fixed and committed before this row was first computed);
3. curves -> scaling data: the cooldown from step 20,000 to 24,000 predicted from the
   ``constant_24000`` run (law fitted on the three training curves) against the real
   cooldowns ``wsd_20000_24000`` (exponential) and ``wsdld_20000_24000`` (linear).

Every curve is read from its logged ``lr`` column (reconstructed per step) with the
README's warm-up of 2,160 steps.

Usage::

    python benchmarks/curve_accuracy.py
    python benchmarks/curve_accuracy.py --sizes 25M --laws multipower   # a quick look

Part 2 (across sizes) needs both sizes: with one ``--sizes`` it is left out.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe, load_average
from scalinglab.curves import (
    Curve,
    CurveFit,
    SizedLaw,
    backtest_curves,
    choose_ridge,
    fit_curves,
    get_curve_law,
    read_lr_curves,
)
from scalinglab.curves._cooldown import cooldown_schedule

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lr-schedules"
TRAIN = ["cosine_24000", "constant_24000", "wsdcon_9"]
LAWS = ("multipower", "multipower-after-warmup", "tissue", "power-s1", "power-steps")
# the source's published multi-power parameters (thu-yao-01-luo/MultiPowerLaw src/config.py)
PUBLISHED = {
    "25M": (3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257),
    "100M": (2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644),
}
ANCHOR = {"25M": (0.110, 0.409), "100M": (0.142, 0.583)}
SIZES = ("25M", "100M")


def wall_since(start: float) -> str:
    """Wall seconds since ``start`` (``time.perf_counter``), said to be wall: load inflates it."""
    return f"{time.perf_counter() - start:.1f} s wall"


def _table(title: str, results: dict[str, tuple[list[str], list[float], list[float]]]) -> None:
    laws = list(results)
    runs = results[laws[0]][0]
    print(f"\n{title}\n")
    print("| held-out schedule | " + " | ".join(f"{law} mean / worst" for law in laws) + " |")
    print("|---|" + "---|" * len(laws))
    for i, run in enumerate(runs):
        cells = [f"{100 * m[i]:.3f}% / {100 * w[i]:.3f}%" for _, m, w in results.values()]
        print(f"| {run.split('/')[-1]} | " + " | ".join(cells) + " |")
    cells = [f"**{100 * np.mean(m):.3f}% / {100 * max(w):.3f}%**" for _, m, w in results.values()]
    print("| all six: mean / largest | " + " | ".join(cells) + " |")
    cells = [f"{100 * np.mean(m):.3f}% / {100 * np.mean(w):.3f}%" for _, m, w in results.values()]
    print(
        "| all six: mean / mean of each one's largest (the source's WorstE) | "
        + " | ".join(cells)
        + " |"
    )


def _errors(fit: CurveFit, curves: list[Curve]) -> tuple[list[str], list[float], list[float]]:
    mean, worst = [], []
    for c in curves:
        # a law across sizes predicts the curve's size; any other is of its fitted size
        sized = isinstance(get_curve_law(fit.law), SizedLaw)
        pred = fit.predict(c.schedule, steps=c.step, params=c.params if sized else None)
        rel = np.abs(pred.loss - c.loss) / c.loss
        mean.append(float(rel.mean()))
        worst.append(float(rel.max()))
    return [c.run for c in curves], mean, worst


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        choices=SIZES,
        default=list(SIZES),
        metavar="SIZE",
        help=f"model sizes, of {', '.join(SIZES)} [default: both; part 2 needs both]",
    )
    parser.add_argument(
        "--laws",
        nargs="+",
        choices=LAWS,
        default=list(LAWS),
        metavar="LAW",
        help=f"curve laws for part 1's table, of {', '.join(LAWS)} [default: all]",
    )
    args = parser.parse_args(argv)
    if not DATA.exists():
        sys.exit(f"shared curves not found at {DATA}")
    print(f"machine: {describe()}")
    for size in args.sizes:
        curves = read_lr_curves(DATA / size, warmup=2160)
        test = [c for c in curves if c.run.split("/")[-1] not in TRAIN]
        results = {}
        for law in ("multipower", "multipower-after-warmup"):
            names = get_curve_law(law).param_names
            published = CurveFit(
                law=law,
                coefs=dict(zip(names, PUBLISHED[size], strict=True)),
                intervals={},
                samples=None,
                level=0.9,
                objective=float("nan"),
                status="given",
                message="the source's published parameters",
                n_starts=0,
                n_starts_at_best=0,
                runs=(),
                residuals=np.zeros(0),
                defaults={},
            )
            results[f"{law}, published parameters"] = _errors(published, test)
        for law in args.laws:
            t = time.perf_counter()
            bt = backtest_curves(curves, train=TRAIN, law=law)
            results[law] = (list(bt.held_out_runs), list(bt.mean_are), list(bt.max_are))
            print(f"{size} {law}: fitted in {wall_since(t)}, {bt.fit.coefs}")
        t = time.perf_counter()
        fit_on = [c for c in curves if c.run.split("/")[-1] in TRAIN]
        choice = choose_ridge(fit_on)
        print(
            f"\n{size}: ridge strength by a time split of the training curves (cut at steps "
            f"{', '.join(str(c) for c in choice.cuts)}; {wall_since(t)})\n"
        )
        print("| ridge | mean relative error over the remainders | C | beta | gamma | B |")
        print("|---|---|---|---|---|---|")
        for lam, score, co in zip(choice.grid, choice.scores, choice.coefs, strict=True):
            mark = " (chosen)" if lam == choice.ridge else ""
            print(
                f"| {lam:g}{mark} | {100 * score:.3f}% | {co['C']:.3g} | {co['beta']:.3g} | "
                f"{co['gamma']:.3g} | {co['B']:.4g} |"
            )
        ridged = fit_curves(fit_on, law="multipower", ridge=choice.ridge, bootstrap=0)
        print(f"{size} multipower, ridge {choice.ridge:g}: {ridged.coefs}")
        results[f"multipower, ridge {choice.ridge:g} (time split)"] = _errors(ridged, test)
        a = ANCHOR[size]
        _table(
            f"{size}: fit on {', '.join(TRAIN)}; published multi-power: {a[0]}% / {a[1]}%", results
        )

    if set(args.sizes) == set(SIZES):
        across_sizes()
    cooldowns(args.sizes)
    print(f"\nload average at end: {load_average()}")


def across_sizes() -> None:
    """Part 2: ``sized:LAW`` fitted across sizes predicts the 100M test schedules."""
    both = read_lr_curves([DATA / "25M", DATA / "100M"], warmup=2160)
    train = [c for c in both if c.run.startswith("25M/") or c.run.split("/")[-1] in TRAIN]
    test = [c for c in both if c not in train]
    results = {}
    for law in ("sized:multipower", "sized:tissue"):
        t = time.perf_counter()
        fit = fit_curves(train, law=law, bootstrap=0)
        results[law] = _errors(fit, test)
        print(f"{law}: fitted in {wall_since(t)}, {fit.coefs}")
    _table(
        "across sizes: all 25M curves + three 100M training curves -> six 100M schedules", results
    )


def cooldowns(sizes: list[str]) -> None:
    """Part 3: the cooldown predicted from ``constant_24000`` against the real ones."""
    print("\ncooldown 20,000 -> 24,000 predicted from constant_24000 vs the real cooldown\n")
    print(
        "| size | real cooldown | shape | predicted final | real final | error | "
        "mean error over the cooldown |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        named = {c.run.split("/")[-1]: c for c in read_lr_curves(DATA / size, warmup=2160)}
        fit = fit_curves([named[n] for n in TRAIN], law="multipower", bootstrap=0)
        for real, shape in (("wsd_20000_24000", "exp"), ("wsdld_20000_24000", "linear")):
            sched = cooldown_schedule(
                named["constant_24000"].schedule,
                19999,  # 0-based: flat through step 19999, decaying over 20000..23999
                cooldown=4000 / 24000,
                end=3e-5,
                shape=shape,
            )
            c = named[real]
            at = c.step >= 20000
            pred = fit.predict(sched, steps=c.step[at])
            rel = np.abs(pred.loss / c.loss[at] - 1)
            print(
                f"| {size} | {real} | {shape} | {pred.loss[-1]:.4f} | {c.loss[at][-1]:.4f} | "
                f"{100 * rel[-1]:.3f}% | {100 * rel.mean():.3f}% |"
            )


if __name__ == "__main__":
    main()
