"""The cells of a sweep the hyperparameter laws are fitted to: the bracketed ones (every
one with ``include_unbracketed``), and what the fit says of the cells located."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import DataError
from scalinglab._format import format_g
from scalinglab.hparams._bracket import bounded_notes
from scalinglab.hparams._cell_optimum import CellOptimum
from scalinglab.hparams._pinned import pinned_warning
from scalinglab.hparams._raw_loss import raw_loss_lines
from scalinglab.hparams._spread import shifted_notes
from scalinglab.hparams._sweep import Sweep

__all__ = ["usable_cells"]

#: Said of an unbracketed cell kept with resamples: the laws' intervals may fail on it.
_NO_DRAWS = (
    ": its optimum has no interval, and its resamples' optima may fail every resample of "
    "the laws (no intervals); drop --include-unbracketed for intervals from the other cells"
)


def usable_cells(
    sweep: Sweep,
    cells: Sequence[CellOptimum],
    notes: list[str],
    warnings: list[str],
    *,
    diverged: float,
    sharpness: float,
    bootstrap: int,
    level: float,
    include_unbracketed: bool,
) -> tuple[list[int], list[str], list[str]]:
    """The indices of ``cells`` the laws are fitted to, and ``notes`` and ``warnings`` with
    what :func:`~scalinglab.hparams.fit_hparams` says of the cells added (the options are
    its own).

    Raises:
        DataError: Where every cell is unbracketed and ``include_unbracketed`` is not set.
    """
    counts = [f"{c.label()}: {len(c.diverged)}" for c in cells if c.diverged]
    if counts:
        notes.append(
            f"{sum(len(c.diverged) for c in cells)} diverged runs (loss > "
            f"{format_g(diverged)}x the "
            f"cell's best, or not finite) kept out of the surfaces, named in each cell's "
            f"'diverged': {', '.join(counts)}"
        )
    # flagged cells on a raw loss beside a smoothed one: the note on it becomes a warning
    flagged = [c.label() for c in cells if not c.bracketed]
    notes, raw = raw_loss_lines(notes, flagged, len(cells))
    warnings += raw
    notes += shifted_notes([c for c in cells if c.bracketed], level)  # others: no interval
    warnings += pinned_warning(sweep, cells, sharpness=sharpness, bootstrap=bootstrap)
    notes += bounded_notes(cells)
    usable = [i for i, c in enumerate(cells) if c.bracketed or include_unbracketed]
    for c in cells:
        if not c.bracketed:
            notes.append(
                f"{c.label()}: {c.status}; "
                + ("kept (include_unbracketed)" if include_unbracketed else "left out of the laws")
                + (_NO_DRAWS if include_unbracketed and bootstrap else "")
            )
    if not usable:
        raise DataError(
            f"every one of the {len(cells)} cells is unbracketed (its best run is at the edge "
            "of its grid, or its surface has no minimum), so no law can be fitted: the true "
            "optimum may lie beyond the grid",
            source=sweep.table.source,
            hint="extend the sweep past the best lr and batch, or pass --include-unbracketed",
        )
    return usable, notes, warnings
