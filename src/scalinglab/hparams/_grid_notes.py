"""What a hyperparameter backtest's grid regrets (read off the runs) leave out, and why.

A grid regret is ``nan`` where a prediction cannot be read off the runs: outside the cell's
grid, or next to a grid point that was never run. The methods' medians are compared on the
held-out cells where every method's was read, so that no method's median rests on cells
another's does not; the notes say which were left out and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.hparams._backtest import HparamBacktestCell

__all__ = ["common_cells", "grid_notes"]


def _cells(scores: Sequence[HparamBacktestCell]) -> list[str]:
    return list(dict.fromkeys(s.cell for s in scores))


def common_cells(scores: Sequence[HparamBacktestCell]) -> list[str]:
    """The held-out cells where every method's grid regret is finite, in order."""
    return [
        cell
        for cell in _cells(scores)
        if all(math.isfinite(s.grid_regret) for s in scores if s.cell == cell)
    ]


def _grouped(rows: Sequence[HparamBacktestCell], text: str) -> str:
    """``cell (methods): text`` for each cell and reason."""
    groups: dict[tuple[str, str], list[str]] = {}
    for s in rows:
        groups.setdefault((s.cell, text or s.grid_note), []).append(s.method)
    return "; ".join(f"{cell} ({', '.join(m)}): {why}" for (cell, why), m in groups.items())


def grid_notes(scores: Sequence[HparamBacktestCell]) -> list[str]:
    """Why a grid regret is ``—``, the mark the tables show (each cell and method), which
    cells the median grid regrets compare the methods on, and predictions whose surface
    regret extrapolates."""
    notes = []
    unread = [s for s in scores if not math.isfinite(s.grid_regret)]
    if unread:
        notes.append(f"grid regret '—' where a prediction cannot be read off the runs: "
                     f"{_grouped(unread, '')}")  # fmt: skip
    held, common = _cells(scores), common_cells(scores)
    if len(common) < len(held):
        notes.append(
            f"the median grid regrets compare the methods on the {len(common)} of "
            f"{len(held)} held-out cells where every method's was read"
            + (f" ({', '.join(common)})" if common else ": none, so there is no median")
        )
    far = [s for s in scores if s.beyond_window and not s.beyond_grid]
    if far:
        notes.append(
            "'(beyond window)': the surface regret extrapolates the cell's surface past the "
            f"runs it was fitted on (more than 4x from its centre in lr or batch): "
            f"{_grouped(far, 'read it with its grid regret')}"
        )
    return notes
