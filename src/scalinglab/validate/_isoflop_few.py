"""What :func:`scalinglab.validate.isoflop` says where budgets have too few runs: a note on
each budget left out, and the errors where too few budgets are left for a law across them.
Where ``window=`` (``--window``) cut the runs that a budget had enough of, each says so and
names a wider window (:func:`scalinglab.validate._isoflop_window.window_advice`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_count, format_counted, format_flops, format_grouped, noun_for
from scalinglab.data import RunTable
from scalinglab.data._sweep_looks import fit_sweep, sweep_shape
from scalinglab.validate._isoflop_budget import OUTSIDE, BudgetFit
from scalinglab.validate._parabola import budgets_hint, no_run_at

__all__ = [
    "exact_note",
    "flagged_note",
    "resample_notes",
    "small_budget_notes",
    "sweep_advice",
    "too_few_budgets_error",
    "too_few_runs_error",
]


def flagged_note(fit: BudgetFit) -> str:
    """The note of a budget left out of the power laws: its status and, for a vertex
    outside the sizes trained there, on which side it lies and which models to add (the
    optimum may be past them: a user reading "outside" alone cannot tell where to train)."""
    said = f"budget {format_flops(fit.flops)} FLOPs flagged and not used: {fit.status}"
    if fit.status != OUTSIDE:
        return said
    vertex, low, high = fit.params_opt.value, min(fit.params), max(fit.params)
    below = vertex < low
    edge = f"{'below the smallest' if below else 'above the largest'} size trained there"
    return (
        f"{said} (its vertex, {format_count(vertex)}, is {edge}, "
        f"{format_count(low if below else high)}): the optimum may lie beyond the sizes "
        f"tried; train {'smaller' if below else 'larger'} models at this budget"
    )


def exact_note(exact: Sequence[float], used: int) -> str:
    """The note on the budgets of ``exact`` (their FLOPs), which hold exactly 3 runs: their
    parabola passes through them, so no interval; ``used``: the budgets the laws are fitted
    across (all of them such: the laws get no interval either)."""
    which = ", ".join(format_flops(c) for c in exact)
    return (
        f"{format_counted(len(exact), 'budget')} ({which} FLOPs) "
        f"{'holds' if len(exact) == 1 else 'hold'} exactly 3 runs: the parabola "
        "passes through them exactly, so resampling runs cannot measure where its vertex "
        f"lies; {'that vertex has' if len(exact) == 1 else 'those vertices have'} "
        "no interval"
        + (
            ", and neither have the laws across budgets (every budget is such): train 4 "
            "or more sizes per budget for intervals"
            if len(exact) == used
            else " and enter the laws' resamples as fixed (their intervals are too narrow)"
        )
    )


def resample_notes(samples: np.ndarray | None) -> list[str]:
    """What the bootstrap left out of the power laws: resampled budgets with no minimum
    inside the sizes they drew, and whole resamples left with fewer than 2 budgets, which
    give no line (the intervals are over the others: said, as the count was not)."""
    if samples is None:
        return []
    bad = ~np.isfinite(samples)
    notes = []
    if bad.any():
        notes.append(
            f"{format_grouped(int(bad.sum()))} of {format_grouped(samples.size)} resampled budgets had no minimum inside the "
            "sizes they drew and were left out of their resample's power-law fit"
        )
    lost = int(((~bad).sum(axis=1) < 2).sum())
    if lost:
        notes.append(
            f"{format_grouped(lost)} of {format_grouped(len(samples))} "
            f"{noun_for(len(samples), 'resample')} had fewer than 2 budgets with a minimum "
            f"left and gave no line: the intervals are over the other "
            f"{format_grouped(len(samples) - lost)}"
        )
    return notes


def sweep_advice(table: RunTable) -> str | None:
    """What the runs are where they look like a learning-rate sweep
    (:func:`~scalinglab.data._sweep_looks.sweep_shape`: many learning rates at each size and
    budget), and the command that fits them; ``None`` for any other runs. The hint of
    isoflop's errors where it has one, and a warning of its result otherwise: a budget's
    parabola over N then runs through runs of other learning rates."""
    cells = {table.origins.get(k, k): v for k, v in table.columns.items()}
    sizes = [table.origins.get(s, s) for s in ("params", "tokens") if table.has(s)]
    sweep = sweep_shape(cells, sizes)
    if sweep is None:
        return None
    return (
        f"the runs look like {sweep}, not an IsoFLOP grid (model sizes around each budget's "
        f"optimum, at one learning rate): {fit_sweep(table.source)} fits their optimal "
        "learning rate and batch size"
    )


def small_budget_notes(
    centres: np.ndarray,
    sizes: np.ndarray,
    c_all: np.ndarray,
    *,
    given: Sequence[float] | None,
    min_runs: int,
    tolerance: float,
    before: np.ndarray,
    window: float | None,
) -> list[str]:
    """Notes on the budgets of fewer than ``min_runs`` runs, left out: each budget given by
    name (and why it has too few), the groups found in the data counted together with
    their budgets named as :func:`~scalinglab._format.format_flops` writes them.

    Args:
        centres: Each budget's FLOPs.
        sizes: Each budget's runs, after the window.
        c_all: Every run's FLOPs.
        given: The budgets given (``None``: found in the data).
        min_runs: The runs a budget's parabola needs.
        tolerance: Half-width of a budget in decades of FLOPs.
        before: Each budget's runs before the window cut them.
        window: The window (``None``: none).
    """
    notes: list[str] = []
    small = [j for j in range(len(centres)) if sizes[j] < min_runs]
    by_window = f"--window {window:g} (window=)" if window is not None else ""
    if small and given is None:
        cut = sum(before[j] >= min_runs for j in small)  # had enough until the window
        notes.append(
            f"{format_counted(int(sizes[small].sum()), 'run')} in "
            f"{format_counted(len(small), 'group')} of fewer than "
            f"{min_runs} runs left out, at "
            + ", ".join(format_flops(centres[j]) for j in small)
            + f" FLOPs (too few within {tolerance:g} decades of each other"
            + (
                f"; {cut} of them had {min_runs}+ before {by_window} left out its farther runs)"
                if cut
                else ")"
            )
        )
    for j in small if given is not None else ():
        cut = int(before[j] - sizes[j])
        notes.append(
            f"budget {format_flops(centres[j])} FLOPs skipped: "
            + (
                f"{format_counted(int(sizes[j]), 'run')}, fewer than {min_runs}"
                + (f" ({by_window} left out {cut} of its {before[j]})" if cut else "")
                if sizes[j]
                else f"no run is at it ({no_run_at(centres[j], c_all, tolerance)})"
            )
        )
    return notes


def too_few_runs_error(
    source: str,
    sizes: np.ndarray,
    c_all: np.ndarray,
    *,
    given: Sequence[float] | None,
    tolerance: float,
    min_runs: int,
    window: float | None,
    advice: str,
) -> DataError:
    """The error where no budget has ``min_runs`` runs; ``advice``: what ``window`` did
    (``""``: it cut no budget below ``min_runs``), said instead of the budgets' hint."""
    fullest = int(sizes.max()) if len(sizes) else 0
    within = (  # advice only where a window was given
        f" within {window:g} decades of N of its lowest-loss run (--window, window=)"
        if advice and window is not None
        else ""
    )
    return DataError(
        f"no budget has {min_runs} or more runs{within} (the fullest has {fullest}); a "
        f"parabola per budget needs {min_runs}",
        source=source,
        hint=advice
        or budgets_hint(
            c_all, given, tolerance, min_runs, 0, "train at least 3 model sizes per budget"
        ),
    )


def too_few_budgets_error(
    source: str,
    used: int,
    fitted: int,
    c_all: np.ndarray,
    *,
    given: Sequence[float] | None,
    tolerance: float,
    min_runs: int,
    advice: str,
) -> DataError:
    """The error where fewer than 2 budgets (``used``) have a usable parabola, of the
    ``fitted`` with ``min_runs`` runs; ``advice`` as :func:`too_few_runs_error` takes it."""
    have = f"{used} budget" + ("" if used == 1 else "s")
    return DataError(
        f"{have} with a usable parabola; fitting N_opt ∝ C^a needs at least 2 "
        f"({format_counted(fitted, 'budget')} with {min_runs}+ runs, {fitted - used} flagged)",
        source=source,
        hint=advice
        or budgets_hint(
            c_all,
            given,
            tolerance,
            min_runs,
            fitted,
            "add runs on both sides of each budget's optimum",
        ),
    )
