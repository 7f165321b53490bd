"""The best run of each cell of a learning-rate (and batch-size) sweep: the runs a loss law
describes, and the warning of a fit to a table that looks like a sweep.

A loss law (Chinchilla's, a power law) gives the loss at good hyperparameters. A sweep holds,
at each model size and token count, runs over many learning rates and batch sizes, most of
them worse than the best; a law fitted to every run is pulled up by the poor ones. The
field fits the best run of each cell (the Step Law sets of Li et al. 2025, as
``benchmarks/_real_sets.py`` reads them).

A cell is the runs of equal ``params`` and ``tokens`` (the cells of ``hparams fit``), and
of equal training data (a text column of :func:`corpus_columns`: runs of other corpora
follow other laws, and are never one cell). ``where=`` (``--where``) keeps runs before the
cells are made, so a column it kept holds one value in every cell and makes no cell of its
own. Each cell keeps its run of lowest finite loss (the first in table order where two tie,
as pandas' ``idxmin``); a run alone in its cell is kept; a NaN or infinite loss (a diverged
run) never wins, and a cell with no finite loss is left out, said in the note.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_counted, join_first
from scalinglab.data._sweep_looks import fit_sweep, sweep_shape
from scalinglab.data._table import RunTable
from scalinglab.data._training_data import corpus_columns

__all__ = ["OPTION", "best_per_cell", "sweep_warning"]

#: How the option is named, on the command line and in Python.
OPTION = "--best-per-cell (best_per_cell=True to read_runs() or fit())"
_SIZES = ("params", "tokens")


def _named(table: RunTable) -> str:
    """The cells' columns as the source names them: ``'N' and 'D'``."""
    return " and ".join(repr(table.origins.get(s, s)) for s in _SIZES)


def _cells(table: RunTable) -> list[list[int]]:
    """The rows of each cell, cells in the order of their first run."""
    missing = [s for s in _SIZES if not table.has(s)]
    if missing:
        raise DataError(
            f"no {missing[0]!r} column: best_per_cell keeps the best run of each cell of "
            "equal params and tokens",
            source=table.source,
            hint="name it with --map (read_runs(..., columns=) in Python), e.g. --map tokens=D; or fit "
            "every run, without --best-per-cell",
        )
    corpora = corpus_columns(table.labels)  # a file's 'Corpus' too
    keys = zip(*(table.columns[s].tolist() for s in _SIZES),
               *(table.labels[c] for c in corpora), strict=True)  # fmt: skip
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(tuple(key), []).append(i)
    return list(groups.values())


def best_per_cell(table: RunTable) -> RunTable:
    """The run of lowest finite loss of each cell of ``table`` (see the module), in table
    order, with a note saying how many runs were kept of how many, in how many cells (and
    which cells were left out for want of a finite loss).

    Raises:
        DataError: Where ``table`` has no ``params`` or no ``tokens`` column, or no run
            with a finite loss.
    """
    cells = _cells(table)
    loss = table["loss"]
    keep = np.zeros(len(table), dtype=np.bool_)
    empty: list[str] = []
    for rows in cells:
        finite = [i for i in rows if np.isfinite(loss[i])]
        if finite:
            keep[finite[int(np.argmin(loss[finite]))]] = True
        else:
            empty.append(repr(table.runs[rows[0]]))
    kept = int(keep.sum())
    if not kept:
        raise DataError(
            "no run has a finite loss: best_per_cell keeps the lowest finite loss of each cell",
            source=table.source,
            column=table.origins.get("loss", "loss"),
            hint="check the loss column (--y loss=COLUMN), or fit without --best-per-cell",
        )
    if kept == len(table):
        note = (
            f"best run per cell: each of the {kept} runs is alone in its cell of equal "
            f"{_named(table)}; all kept"
        )
    else:
        note = (
            f"best run per cell: kept {kept} of {len(table)} runs, the lowest finite loss "
            f"of each of {len(cells) - len(empty)} cells of equal {_named(table)}"
        )
    if empty:
        note += (
            f"; {format_counted(len(empty), 'cell')} with no finite loss (every run diverged) left out, "
            f"of the runs {join_first(empty, 3)}"
        )
    selected = replace(table.select(keep), selected_from=table.selected_from)
    return replace(selected, notes=(*table.notes, note))


def sweep_warning(table: RunTable, *more: RunTable) -> tuple[str, ...]:
    """The one warning of a loss law fitted to runs (``table`` and ``more``, the held-out
    side of a backtest) that look like a learning-rate sweep
    (:func:`~scalinglab.data._sweep_looks.sweep_shape`): what they look like, and the
    option that fits the best run of each cell; empty for any other runs."""
    tables = (table, *more)
    sizes = [s for s in _SIZES if all(t.has(s) for t in tables)]
    names = [n for n in table.columns if all(t.has(n) for t in tables)]
    cells = {table.origins.get(n, n): np.concatenate([t.columns[n] for t in tables]) for n in names}
    shape = sweep_shape(cells, [table.origins.get(s, s) for s in sizes])
    if shape is None:
        return ()
    return (
        f"the runs look like {shape}: a loss law describes the loss at good "
        "hyperparameters, and a fit to every run mixes in the losses of poor ones — pass "
        f"{OPTION} to fit the best run of each cell; {fit_sweep(table.source)} fits their "
        "optimal learning rate and batch size",
    )
