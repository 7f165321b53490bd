"""downstream_accuracy's sections 1 and 2: C4 validation loss from (N, D), and loss-to-loss
between the eight validation losses, of the 411.6M models.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit

from _downstream_split import CUT, LEVEL, cover
from scalinglab import get_law
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._laws import LossToLoss
from scalinglab.downstream._refit import fit_step, resample_weights
from scalinglab.validate._score import covered


def loss_laws(frame: pd.DataFrame, boot: int) -> None:
    print("\n1. C4 validation loss of the 411.6M models, a fit per corpus (<= 154M models)")
    rows: dict[str, list[tuple[float, bool]]] = {
        "chinchilla": [],
        "overtraining": [],
        "chinchilla, scaled delta": [],
        "overtraining, scaled delta": [],
        "curve_fit": [],
    }
    for _, part in frame.groupby("dataset"):
        train, test = part[part.params < CUT], part[part.params > CUT]
        data = {"N": train.params.to_numpy(), "D": train.tokens.to_numpy()}
        new = {"N": test.params.to_numpy(), "D": test.tokens.to_numpy()}
        truth = test.loss_c4_val.to_numpy()
        weights = resample_weights(len(train), boot, 0)
        for name in rows:
            if name == "curve_fit":
                continue
            law, y = get_law(name.split(",")[0]), train.loss_c4_val.to_numpy()
            if name.endswith("scaled delta"):  # the chain's first link (fourth round)
                step, _ = link.fit_loss(law, data, y, weights)
            else:  # fit's default, delta 1e-3 (Hoffmann et al.)
                step = fit_step(law, data, y, space="log", delta=1e-3, weights=weights)
            point, lo, hi = step.interval(new, level=LEVEL)
            marks = covered(lo, hi, truth)  # NaN: not scored
            rows[name] += [(abs(p / t - 1), m) for p, t, m in zip(point, truth, marks, strict=True)]
        law = get_law("chinchilla")
        guess = law.initial_guess(data, train.loss_c4_val.to_numpy())

        def f(x: np.ndarray, E: float, A: float, B: float, a: float, b: float) -> np.ndarray:
            return np.asarray(E + A * x[0] ** -a + B * x[1] ** -b)

        try:
            popt, _ = curve_fit(
                f,
                np.vstack([data["N"], data["D"]]),
                train.loss_c4_val,
                p0=[guess[k] for k in law.param_names],
                maxfev=20000,
            )
            pred = f(np.vstack([new["N"], new["D"]]), *popt)
        except RuntimeError:
            pred = np.full(len(truth), np.nan)
        rows["curve_fit"] += [(abs(p / t - 1), math.nan) for p, t in zip(pred, truth, strict=True)]
    print(f"   {'method':26s} {'mean rel err':>12s} {'max':>7s} {'90% coverage':>13s}")
    for name, r in rows.items():
        err = np.array([e for e, _ in r])
        cov = "—" if name == "curve_fit" else cover(np.array([c for _, c in r]))
        print(
            f"   {name:26s} {100 * np.nanmean(err):11.2f}% {100 * np.nanmax(err):6.2f}% {cov:>13s}"
        )


def loss_to_loss(frame: pd.DataFrame, boot: int) -> None:
    print("\n2. Loss-to-loss between the 8 validation losses (56 pairs), a fit per corpus")
    losses = [c for c in frame.columns if c.startswith("loss_")]
    per_pair = []
    for x in losses:
        for y in losses:
            if x == y:
                continue
            errs, hits = [], []
            for _, part in frame.groupby("dataset"):
                train, test = part[part.params < CUT], part[part.params > CUT]
                lx = train[x].to_numpy()
                law = LossToLoss(column=x, floor=0.999 * min(lx.min(), test[x].min()))
                step = fit_step(
                    law,
                    {"L": lx},
                    train[y].to_numpy(),
                    space="log",
                    delta=1e-3,
                    weights=resample_weights(len(train), boot, 0),
                )
                point, lo, hi = step.interval({"L": test[x].to_numpy()}, level=LEVEL)
                truth = test[y].to_numpy()
                errs += list(np.abs(point / truth - 1))
                hits += list(covered(lo, hi, truth))  # NaN: not scored
            per_pair.append((x, y, float(np.mean(errs)), np.array(hits)))
    err = np.array([p[2] for p in per_pair])
    cov = np.concatenate([p[3] for p in per_pair])  # every pair's models, pooled
    worst = max(per_pair, key=lambda p: p[2])
    print(
        f"   mean rel error over pairs {100 * err.mean():.2f}%, median {100 * np.median(err):.2f}%, "
        f"coverage {cover(cov)}"
    )
    print(f"   worst pair {worst[0]} -> {worst[1]}: {100 * worst[2]:.2f}%")
    for x, y, e, c in per_pair:
        if x == "loss_c4_val":
            print(f"   {x} -> {y:24s} {100 * e:6.2f}%  coverage {cover(c)}")
