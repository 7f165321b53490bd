"""Loss-curve laws on the shared curves: the multi-power law's own protocol, side by side.

In one run, on ``../shared/data/lr-schedules`` (Luo et al. 2025's 25M and 100M curves):

1. per size, every curve law is fitted on ``cosine_24000``, ``constant_24000`` and
   ``wsdcon_9`` and predicts the other six schedules; mean and worst absolute relative error
   over each held-out curve's logged points, against the published multi-power anchors
   (0.110% / 0.409% at 25M, 0.142% / 0.583% at 100M);
2. across sizes: ``sized:LAW`` fitted on all 25M curves and the three 100M training curves,
   predicting the six 100M test schedules;
3. curves -> scaling data: the cooldown from step 20,000 to 24,000 predicted from the
   ``constant_24000`` run (law fitted on the three training curves) against the real
   cooldowns ``wsd_20000_24000`` (exponential) and ``wsdld_20000_24000`` (linear).

Every curve is read from its logged ``lr`` column (reconstructed per step) with the
README's warm-up of 2,160 steps.

Usage::

    python benchmarks/curve_accuracy.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe
from scalinglab.curves import backtest_curves, fit_curves, read_lr_curves
from scalinglab.curves._cooldown import cooldown_schedule

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lr-schedules"
TRAIN = ["cosine_24000", "constant_24000", "wsdcon_9"]
LAWS = ("multipower", "tissue", "power-s1", "power-steps")
ANCHOR = {"25M": (0.110, 0.409), "100M": (0.142, 0.583)}


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
    print("| all six | " + " | ".join(cells) + " |")


def main() -> None:
    if not DATA.exists():
        sys.exit(f"shared curves not found at {DATA}")
    print(f"machine: {describe()}")
    for size in ("25M", "100M"):
        curves = read_lr_curves(DATA / size, warmup=2160)
        results = {}
        for law in LAWS:
            t = time.perf_counter()
            bt = backtest_curves(curves, train=TRAIN, law=law)
            results[law] = (list(bt.runs), list(bt.mean_error), list(bt.worst_error))
            print(f"{size} {law}: fitted in {time.perf_counter() - t:.1f} s, {bt.fit.coefs}")
        a = ANCHOR[size]
        _table(
            f"{size}: fit on {', '.join(TRAIN)}; published multi-power: {a[0]}% / {a[1]}%", results
        )

    both = read_lr_curves([DATA / "25M", DATA / "100M"], warmup=2160)
    train = [c for c in both if c.run.startswith("25M/") or c.run.split("/")[-1] in TRAIN]
    test = [c for c in both if c not in train]
    results = {}
    for law in ("sized:multipower", "sized:tissue"):
        t = time.perf_counter()
        fit = fit_curves(train, law=law)
        mean, worst = [], []
        for c in test:
            pred = fit.predict(c.schedule, steps=c.step, params=c.params)
            rel = np.abs(pred.loss - c.loss) / c.loss
            mean.append(float(rel.mean()))
            worst.append(float(rel.max()))
        results[law] = ([c.run for c in test], mean, worst)
        print(f"{law}: fitted in {time.perf_counter() - t:.1f} s, {fit.coefs}")
    _table(
        "across sizes: all 25M curves + three 100M training curves -> six 100M schedules", results
    )

    print("\ncooldown 20,000 -> 24,000 predicted from constant_24000 vs the real cooldown\n")
    print(
        "| size | real cooldown | shape | predicted final | real final | error | "
        "mean error over the cooldown |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in ("25M", "100M"):
        curves = {c.run.split("/")[-1]: c for c in read_lr_curves(DATA / size, warmup=2160)}
        fit = fit_curves([curves[n] for n in TRAIN], law="multipower")
        for real, shape in (("wsd_20000_24000", "exp"), ("wsdld_20000_24000", "linear")):
            sched = cooldown_schedule(
                curves["constant_24000"].schedule,
                20000,
                cooldown=4000 / 24000,
                end=3e-5,
                shape=shape,
            )
            c = curves[real]
            at = c.step >= 20000
            pred = fit.predict(sched, steps=c.step[at])
            rel = np.abs(pred.loss / c.loss[at] - 1)
            print(
                f"| {size} | {real} | {shape} | {pred.loss[-1]:.4f} | {c.loss[at][-1]:.4f} | "
                f"{100 * rel[-1]:.3f}% | {100 * rel.mean():.3f}% |"
            )
    print(f"\nload average at end: {describe().split('load average ')[1]}")


if __name__ == "__main__":
    main()
