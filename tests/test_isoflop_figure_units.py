"""The isoFLOP and envelope figures say what their axes count: the right panel holds model
sizes and token counts together ("N_opt, D_opt" said neither), the envelope's colour bar
model sizes in params."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalinglab import envelope, isoflop
from scalinglab.data import read_curves
from scalinglab.report._isoflop_plot import envelope_figure, isoflop_figure


def _law(n: np.ndarray, d: np.ndarray) -> np.ndarray:
    return 1.7 + 400.0 * n**-0.34 + 410.0 * d**-0.28


def test_the_isoflop_allocation_panel_names_its_units() -> None:
    rows = []
    for c in (1e18, 1e19, 1e20):
        for n in np.geomspace(np.sqrt(c / 120) / 4, np.sqrt(c / 120) * 4, 6):
            rows.append({"params": n, "tokens": c / (6 * n), "flops": c})
    frame = pd.DataFrame(rows)
    frame["loss"] = _law(frame["params"].to_numpy(), frame["tokens"].to_numpy())
    fig = isoflop_figure(isoflop(frame, bootstrap=0))
    labels = [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes]
    assert ("compute C (FLOPs)", "N_opt (params), D_opt (tokens)") in labels
    assert ("", "budget C (FLOPs)") in labels  # the colour bar


def test_the_envelope_figure_names_its_units() -> None:
    d = np.geomspace(5e5, 1e10, 200)
    frame = pd.concat(
        pd.DataFrame({"run": f"m{i}", "params": n, "tokens": d, "loss": _law(n, d)})
        for i, n in enumerate(np.geomspace(1e7, 1e9, 5))
    )
    fig = envelope_figure(envelope(frame, bootstrap=0), read_curves(frame))
    labels = [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes]
    assert ("compute C (FLOPs)", "N_opt (params), D_opt (tokens)") in labels
    assert ("", "model size N (params)") in labels  # the colour bar
