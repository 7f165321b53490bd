"""fit_speed's inputs: the 240 Chinchilla points the Epoch replication keeps, and its start grid."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

CSV = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "chinchilla"
    / "svg_extracted_data.csv"
)


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """N, D, loss of the 240 runs the replication keeps (drop the 5 highest losses)."""
    import pandas as pd

    df = pd.read_csv(CSV)
    df = df[df["loss"] < np.sort(df["loss"].to_numpy())[-5]]
    N = df["Model Size"].to_numpy(float)
    D = df["Training FLOP"].to_numpy(float) / (6 * N)
    return N, D, df["loss"].to_numpy(float)


def epoch_grid() -> np.ndarray:
    """(e, a, b, alpha, beta) starts in scalinglab's parameter order (E, A, B, alpha, beta)."""
    coef = [0, 5, 10, 15, 20, 25]
    expo = [0, 0.5, 1, 1.5, 2]
    return np.array(
        list(itertools.product([-1, -0.5, 0, 0.5, 1], coef, coef, expo, expo)), dtype=float
    )
