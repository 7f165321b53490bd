"""Runs and curves drawn from a known Chinchilla law, L = E + A·N^-α + B·D^-β (Hoffmann et
al. 2022): training curves for the envelope (approach 1) and runs on isoFLOP slices
(approach 2), which the envelope, isoFLOP and CLI tests share."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

HOFFMANN = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
EPOCH = {"E": 1.8172, "A": 482.01, "B": 2085.43, "alpha": 0.3478, "beta": 0.3658}


def law_curves(
    law: dict[str, float], *, noise: float = 0.003, sizes: int = 25, seed: int = 0
) -> pd.DataFrame:
    """Loss along training, L(N, D(t)), for model sizes 2e7 .. 2e10, D from N/2 to 200 N."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, N in enumerate(np.geomspace(2e7, 2e10, sizes)):
        for D in np.geomspace(N / 2, 200 * N, 80):
            L = law["E"] + law["A"] * N ** -law["alpha"] + law["B"] * D ** -law["beta"]
            L *= math.exp(noise * rng.standard_normal())
            rows.append({"run": f"m{i}", "params": N, "tokens": D, "loss": L})
    return pd.DataFrame(rows)


BUDGETS = np.geomspace(1e18, 1e21, 7)


def optimum(C: float, E: float, A: float, B: float, alpha: float, beta: float) -> float:
    """N_opt of L = E + A N^-α + B D^-β under C = 6ND (Hoffmann et al. 2022, eq. 4)."""
    G = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
    return float(G * (C / 6) ** (beta / (alpha + beta)))


def isoflop_runs(
    *,
    alpha: float = 0.34,
    beta: float = 0.28,
    E: float = 1.69,
    A: float = 406.4,
    B: float = 410.7,
    noise: float = 0.003,
    width: float = 4.0,
    per: int = 9,
    seed: int = 0,
) -> pd.DataFrame:
    """Runs on isoFLOP slices of a Chinchilla law, centred on each budget's true optimum."""
    rng = np.random.default_rng(seed)
    rows = []
    for C in BUDGETS:
        for N in optimum(C, E, A, B, alpha, beta) * np.geomspace(1 / width, width, per):
            D = C / (6 * N)
            L = E + A * N**-alpha + B * D**-beta
            rows.append(
                {
                    "run": f"r{len(rows)}",
                    "params": N,
                    "tokens": D,
                    "loss": L * np.exp(noise * rng.standard_normal()),
                }
            )
    return pd.DataFrame(rows)
