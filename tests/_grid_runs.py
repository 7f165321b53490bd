"""A user's 30-run grid: 5 model sizes (20M to 700M) × 6 token counts (400M to 35B), loss
from ``E + A/N^0.33 + B/D^0.30`` with 1.5% noise, as a CSV of their own would give it."""

from __future__ import annotations

import numpy as np
import pandas as pd


def grid_runs(*, seed: int = 0) -> pd.DataFrame:
    """The grid as a user's table: n_params, train_tokens, final_val_loss."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in np.geomspace(20e6, 700e6, 5):
        for d in np.geomspace(400e6, 35e9, 6):
            loss = 1.8 + 400 / n**0.33 + 900 / d**0.30
            rows.append(
                {
                    "n_params": int(n),
                    "train_tokens": int(d),
                    "final_val_loss": loss * (1 + 0.015 * rng.standard_normal()),
                }
            )
    return pd.DataFrame(rows)
