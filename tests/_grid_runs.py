"""A user's 30-run grid: 5 model sizes (20M to 700M) × 6 token counts (400M to 35B), loss
from ``E + A/N^0.33 + B/D^0.30`` with 1.5% noise, as a CSV of their own would give it; and a
12-run noise-free grid as a CSV file (:func:`law_grid_csv`)."""

from __future__ import annotations

from pathlib import Path

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


def law_grid_csv(folder: Path) -> Path:
    """``folder/runs.csv``: 12 runs on a 4 x 3 grid of sizes, their loss the Chinchilla
    law's (no noise); for commands whose output, not whose fit, a test is about."""
    rows = []
    for i in range(12):
        N, D = 1e7 * 2 ** (i % 4), 1e9 * 2 ** (i // 4)
        rows.append(f"r{i},{N:g},{D:g},{1.9 + 500 * N**-0.35 + 1500 * D**-0.3:.5f}")
    path = folder / "runs.csv"
    path.write_text("run,params,tokens,loss\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
