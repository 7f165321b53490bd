"""The hyperparameter page's line on its data: the sweep read, its runs and cells, the
sizes and the grid of learning rates and batches it spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scalinglab._format import format_g
from scalinglab.report._html_parts import escape, human

if TYPE_CHECKING:
    from scalinglab.hparams import HparamFit, Sweep

__all__ = ["sweep_line"]


def sweep_line(hp: HparamFit, sweep: Sweep) -> str:
    """``Sweep: FILE (1746 runs), 203 of them diverged, in 15 cells of N 215M–537M and D
    4B–100B; lr 0.000244–0.0221, batch 32.8K–4.19M tokens; loss from column 'loss'.``"""
    diverged = sum(len(c.diverged) for c in hp.cells)
    parts = [f"{len(sweep.keys)} cells"]
    sizes = [
        f"{symbol} {_range(sweep.cell_values(name), name)}"
        for name, symbol in (("params", "N"), ("tokens", "D"))
        if name in sweep.by
    ]
    grid = [f"lr {_range(sweep.lr, '')}"]
    if sweep.batch is not None:
        grid.append(f"batch {_range(sweep.batch, 'tokens')} {sweep.batch_unit}")
    source = hp.source or f"{sweep.table.source} ({len(sweep.lr)} runs)"  # with its count
    said = f", {diverged} of them diverged" if diverged else ""
    return (
        f"<p class='data'>Sweep: {escape(source)}{said}, in "
        f"{parts[0]}" + (f" of {escape(' and '.join(sizes))}" if sizes else "")
        + f"; {escape(', '.join(grid))}; loss from column "
        f"{escape(repr(sweep.columns.get('loss', 'loss')))}.</p>"
    )  # fmt: skip


def _range(values: object, column: str) -> str:
    """``lo–hi`` of the finite values, in the units the command line prints ``column``."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not len(v):
        return "—"
    lo, hi = float(v.min()), float(v.max())
    shown = [human(x, column) if column else format_g(x, 3) for x in (lo, hi)]
    return shown[0] if lo == hi else f"{shown[0]}–{shown[1]}"
