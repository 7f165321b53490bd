"""The real held-out sets the interval and accuracy benchmarks score (shared development data).

Each set is one or more ``(label, runs, holdout)`` parts; a benchmark fits each part's
training side and scores its held-out runs, pooled over the parts of a set:

- Chinchilla points (Hoffmann et al. 2022, the Epoch replication's 240): top compute decile;
- over-training (Gadre et al. 2024, ``overtraining/models.dev.csv``), C4 validation loss, each
  of the three training corpora on its own: fit <= 153.7M parameters, predict the 411.6M models;
- Step Law sweeps (Li et al. 2025, ``steplaw/dense_lr_bs_loss.dev.csv``), the best run of each
  (N, D) cell: fit <= 429M parameters, predict the 537M cells.

Data are read from ``../shared/data`` (never copied here); a set whose file is missing is
left out with the reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab import read_runs
from scalinglab.data import RunTable

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CHINCHILLA = SHARED / "chinchilla" / "svg_extracted_data.csv"
OVERTRAINING = SHARED / "overtraining" / "models.dev.csv"
STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"

Part = tuple[str, RunTable, str]


def chinchilla() -> list[Part]:
    runs = read_runs(CHINCHILLA)
    runs = runs.select(runs["loss"] < np.sort(runs["loss"])[-5])  # the replication's 240
    return [("chinchilla", runs, "top-decile")]


def overtraining() -> list[Part]:
    table = pd.read_csv(OVERTRAINING)
    parts = []
    for corpus, g in table.groupby("dataset"):
        frame = pd.DataFrame(
            {
                "run": g["name"],
                "params": g["params"],
                "tokens": g["tokens"],
                "loss": g["loss_c4_val"],
            }
        )
        parts.append((f"over-training {corpus}", read_runs(frame), "params>=4e8"))
    return parts


def steplaw() -> list[Part]:
    runs = read_runs(STEPLAW, best_per_cell=True)  # the library's one selection (--best-per-cell)
    return [("steplaw best per cell", runs, "params>=5e8")]


SETS = {
    "Chinchilla points, top compute decile": (CHINCHILLA, chinchilla),
    "over-training (Gadre et al.), 3 corpora, fit <= 154M, predict 411.6M": (
        OVERTRAINING,
        overtraining,
    ),
    "Step Law, best run per (N, D) cell, fit <= 429M, predict 537M": (STEPLAW, steplaw),
}


def real_sets() -> tuple[list[tuple[str, list[Part]]], list[str]]:
    """The sets whose files exist, and a line for each that is missing."""
    found, missing = [], []
    for title, (path, load) in SETS.items():
        if path.is_file():
            found.append((title, load()))
        else:
            missing.append(f"{title}: skipped, {path} not found")
    return found, missing
