"""Synthetic learning-rate x batch sweeps drawn from a known surface, for the hparams tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The laws the sweeps are drawn from: lr* = A N^alpha D^beta, B* = B D^gamma (tokens).
TRUE = {"A": 1.79, "alpha": -0.713, "beta": 0.307, "B": 0.58, "gamma": 0.571}
SIZES = (1e8, 2e8, 4e8, 8e8)
TOKENS_PER_PARAM = (10.0, 30.0, 100.0)
SEQ_LEN = 2048
#: With ``delta``, B* = B (N / N_REF)^delta D^gamma: an N term, equal to Step Law's at N_REF.
N_REF = 3e8


def optimum(n: float, d: float, *, delta: float = 0.0) -> tuple[float, float]:
    """The true (lr*, B* in tokens) at (N, D); ``delta``: B*'s exponent of N (Step Law: 0)."""
    lr = TRUE["A"] * n ** TRUE["alpha"] * d ** TRUE["beta"]
    return lr, TRUE["B"] * (n / N_REF) ** delta * d ** TRUE["gamma"]


def sweep(
    seed: int,
    *,
    noise: float = 5e-4,
    curvature: tuple[float, float, float] = (0.02, 0.012, 0.004),
    edge: bool = False,
    delta: float = 0.0,
) -> pd.DataFrame:
    """Runs on a sqrt(2)-spaced lr x batch grid per cell; a quadratic bowl in log space.

    Runs at lr beyond 4x the optimum diverge (loss 7, or NaN for one in three). With
    ``edge`` every cell's grid stops below its optimal lr (so none is bracketed). ``delta``
    gives B* an N term (see :func:`optimum`).
    """
    rng = np.random.default_rng(seed)
    huu, hvv, huv = curvature
    rows = []
    for n in SIZES:
        for tpp in TOKENS_PER_PARAM:
            d = n * tpp
            lr0, b0 = optimum(n, d, delta=delta)
            best = 1.8 + 400 * n**-0.3 + 400 * d**-0.3
            shift = rng.uniform(-0.3, 0.3, size=2)
            top = -3 if edge else 6
            lrs = lr0 * np.sqrt(2.0) ** (np.arange(-6, top) + shift[0])
            bss = b0 / SEQ_LEN * np.sqrt(2.0) ** (np.arange(-4, 4) + shift[1])
            for lr in lrs:
                for bs in bss:
                    u, v = np.log(lr / lr0), np.log(bs * SEQ_LEN / b0)
                    loss = best * (1 + 0.5 * huu * u * u + 0.5 * hvv * v * v + huv * u * v)
                    loss *= 1 + noise * rng.standard_normal()
                    if u > np.log(4.0):
                        loss = np.nan if rng.random() < 1 / 3 else 7.0
                    rows.append({"params": n, "tokens": d, "lr": lr, "bs": bs, "loss": loss})
    return pd.DataFrame(rows)


def two_corpora() -> pd.DataFrame:
    """A sweep of corpus ``b`` (10% lower loss, optima at twice the lr) then one of ``a``,
    pooled in one table with a ``dataset`` column: fits of it warn."""
    a, b = sweep(1), sweep(2)
    b["loss"], b["lr"] = 0.9 * b["loss"], 2.0 * b["lr"]
    a["dataset"], b["dataset"] = "a", "b"
    return pd.concat([b, a], ignore_index=True)
