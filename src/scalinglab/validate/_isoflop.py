"""Chinchilla approach 2, IsoFLOP profiles (Hoffmann et al. 2022, §3.2).

::

    iso = isoflop(runs, budgets=[6e18, 1e19, 3e19], bootstrap=1000)
    iso.params_law.exponent      # a in N_opt ∝ C^a, with a bootstrap interval
    iso.budgets[0].params_opt    # the parabola's vertex at the smallest budget

Runs are grouped into compute budgets (the ones given, or found by binning log10 FLOPs with
a tolerance); at each budget a parabola in ``x = log10 N`` is fitted to the loss and its vertex
is that budget's ``N_opt``; then ``log10 N_opt = a·log10 C + k`` is fitted across budgets.

Conventions (each said again in the result):

- The parabola is fitted to the loss itself (``space="linear"``, as Hoffmann et al.) or to
  ``ln loss`` (``space="log"``). Linear is the default for a reason: on an isoFLOP slice of
  ``L = E + A/N^α + B/D^β`` the curve ``L - E`` has the same shape in ``log N`` at every budget,
  only scaled, so the parabola's vertex error (the curve is not a parabola) is one constant
  offset in ``log N`` and cancels from the exponent; taking the log first mixes ``E`` back in.
- ``D_opt = C / (6·N_opt)`` (``C = 6·N·D``), so ``b = 1 - a`` exactly. A flops column that
  counts otherwise (exact counts, PF-days) gives ``D_opt = C/(k·N_opt)`` with ``k = C/(N·D)``
  of the budget's runs, so ``D_opt`` stays in their tokens; the result's ``flops_rule`` says so.
- A budget's ``C`` is the budget given, or the geometric mean of its runs' FLOPs.
- A vertex outside the range of ``N`` sampled at its budget, or a parabola that opens
  downwards, is flagged and left out of the power-law fit, never silently used.

Intervals: the runs within each budget are resampled with replacement; resample ``k`` of
every budget feeds power-law fit ``k``, so the exponent's interval carries the uncertainty
of every vertex. A resampled vertex outside the sizes its resample drew is left out of that
resample's line (the point estimate's rule, applied per resample). Intervals are percentile
intervals at ``level``; on simulated slices the 90% interval of ``a`` held the truth in 92.5%
of 40 data sets.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scalinglab._defaults import ISOFLOP_BOOTSTRAP
from scalinglab._errors import DataError
from scalinglab._format import format_counted, format_g, format_level
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._training_data import mixed_training_data
from scalinglab.data._where_rows import Where
from scalinglab.fit._columns import compute_hint
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.validate._isoflop_budget import BudgetFit, budget_fit, resampled_vertices
from scalinglab.validate._isoflop_checks import (
    POINTS_NOTE,
    budget_values,
    check_options,
    off_slices,
    read_isoflop_runs,
)
from scalinglab.validate._isoflop_few import (
    exact_note,
    flagged_note,
    resample_notes,
    small_budget_notes,
    sweep_advice,
    too_few_budgets_error,
    too_few_runs_error,
)
from scalinglab.validate._isoflop_result import (
    FLOPS_RULE,
    IsoFLOPResult,
    allocation_tokens,
    per_flop,
)
from scalinglab.validate._isoflop_window import (
    check_window,
    misfit_warning,
    window_advice,
    window_note,
    window_runs,
)
from scalinglab.validate._parabola import TOLERANCE, group_budgets
from scalinglab.validate._powerlaw import excludes, fit_power_law

__all__ = ["FLOPS_RULE", "BudgetFit", "IsoFLOPResult", "isoflop"]

Array = NDArray[np.float64]

# -- the analysis --------------------------------------------------------------------------


@keywords_checked("scalinglab.isoflop")
def isoflop(
    runs: RunTable | str | os.PathLike[str] | pd.DataFrame,
    *,
    budgets: Sequence[float] | float | str | None = None,
    tolerance: float = TOLERANCE,
    space: str = "linear",
    bootstrap: int = ISOFLOP_BOOTSTRAP,
    level: float = 0.9,
    min_runs: int = 3,
    seed: int = 0,
    progress: Progress | bool | None = None,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    drop_outliers: bool = False,
    where: Where | None = None,
    window: float | None = None,
) -> IsoFLOPResult:
    """Chinchilla approach 2: a parabola in ``log10 N`` per compute budget, then power laws.

    Args:
        runs: Final metrics of the runs (``params``, ``loss``, and ``flops`` or ``tokens``).
        budgets: Compute budgets in FLOPs (a list, one budget, or ``"6e18,1e19"``);
            without them budgets are found in the data.
        tolerance: Half-width of a budget in decades of FLOPs (0.05: within ×1.12).
        space: Fit the parabola to the loss (``"linear"``) or to ``ln loss`` (``"log"``).
        bootstrap: Resamples of the runs within each budget (0: no intervals).
        level: Coverage of the percentile intervals.
        min_runs: Fewest runs a budget needs (at least 3, the parabola's parameters); with 3
            exactly the parabola passes through every run and resampling says little.
        seed: Seed of the resampling.
        progress: Called as ``progress("bootstrap", done, total)``. ``True`` prints a line on
            stderr (:mod:`scalinglab._progress`).
        x: Which columns hold ``N``, ``D`` and ``C``, as :func:`scalinglab.fit` takes it
            (``{"N": "params_no_embed"}`` or ``"N=params_no_embed"``); no other symbol.
        y: The column holding the loss (``"val_loss"`` or ``"loss=val_loss"``, as ``--y``).
        drop_outliers: Drop runs that look diverged when reading ``runs`` from a file or a
            DataFrame, as :func:`scalinglab.fit` and :func:`read_runs`.
        where: Only the runs whose text column has the value (``{"dataset": "c4"}`` or
            ``"dataset=c4"``), as :func:`scalinglab.fit`.
        window: Fit each budget's parabola only to its runs within this many decades of
            ``N`` of its lowest-loss run (``None``: all its runs); a parabola is a fair
            model of the loss near its minimum, not over decades (the result warns when it
            misfits).

    Returns:
        The per-budget optima and ``N_opt ∝ C^a``, ``D_opt ∝ C^b`` with intervals.

    Raises:
        DataError: Runs that cannot be read, no compute (a ``flops`` column, or ``params``
            and ``tokens``), or fewer than 2 budgets with a usable parabola (no budget of
            ``min_runs`` runs or more, say).
        ConfigError: An invalid option (``space="lin"``, ``min_runs=2``, ``budgets`` that
            are no numbers), or a ``where`` column that is no text column.

    Examples:
        >>> import scalinglab
        >>> iso = scalinglab.isoflop(scalinglab.simulated_runs(), bootstrap=0)
        >>> len(iso.budgets), round(iso.params_law.exponent.value, 2)  # N_opt ∝ C^a
        (7, 0.44)
    """
    progress = resolve_progress(progress)  # True: a text line on stderr
    check_options(level, bootstrap, tolerance, space, seed, min_runs)
    window = check_window(window)
    given = budget_values(budgets)
    table, y = read_isoflop_runs(runs, x=x, y=y, drop_outliers=drop_outliers, where=where)
    if not table.has("flops"):
        raise DataError(
            "isoFLOP needs each run's compute: a flops column, or params and tokens "
            "(then C = 6·N·D)",
            source=table.source,
            column="flops",
            hint=compute_hint(table)
            or "add a flops or tokens column, or map one: --map "
            "flops=COLUMN (read_runs(..., columns={'flops': COLUMN}) in Python)",
        )
    n_all, loss_all, c_all = table["params"], table[y], table["flops"]
    labels, centres = group_budgets(c_all, budgets=given, tolerance=tolerance)
    notes = list(table.notes)  # what reading the runs found (a diverged run kept) comes first
    warnings = list(mixed_training_data(table.labels))  # pooled corpora: as fit() warns
    outside = int((labels < 0).sum())
    if outside:
        notes.append(
            f"{format_counted(outside, 'run')} farther than {tolerance:g} decades from every budget "
            f"{'was' if outside == 1 else 'were'} left out"
        )
    cut, before = 0, labels  # runs the window leaves out: chosen, so not runs off the slices
    if window is not None:  # before min_runs: a budget is the runs its parabola sees
        labels, cut = window_runs(labels, np.log10(n_all), loss_all, window)
        if cut:  # a window that leaves none out has nothing to say
            notes.append(window_note(cut, window))

    sizes = np.bincount(labels[labels >= 0], minlength=len(centres))
    full = np.bincount(before[before >= 0], minlength=len(centres))  # before the window
    notes += small_budget_notes(centres, sizes, c_all, given=given, min_runs=min_runs,
                                tolerance=tolerance, before=full, window=window)  # fmt: skip
    sweep = sweep_advice(table)  # no grid of sizes: said by the errors, or warned of
    advice = sweep or window_advice(before, labels, np.log10(n_all), loss_all, window=window,
                                    min_runs=min_runs)  # fmt: skip
    keep = [j for j in range(len(centres)) if sizes[j] >= min_runs]
    rng = np.random.default_rng(seed)
    fits: list[BudgetFit] = []
    vertex_samples: list[Array] = []
    exact_budgets: list[float] = []
    ks: list[float] = []
    for j in keep:
        idx = np.flatnonzero(labels == j)
        log_n = np.log10(n_all[idx])
        target = loss_all[idx] if space == "linear" else np.log(loss_all[idx])
        boot = None
        if bootstrap:
            offset = len(fits) * bootstrap

            def step(done: int, offset: int = offset) -> None:
                if progress is not None:
                    progress("bootstrap", offset + done, len(keep) * bootstrap)

            boot = resampled_vertices(log_n, target, bootstrap, rng, step)
        # a parabola through exactly 3 sizes fits them exactly: every resample either redraws
        # the same 3 (the same vertex) or fewer (none), so resampling runs cannot measure
        # where its vertex lies. It gets no interval, and enters the exponent's resamples as
        # fixed. (The draws are still made: later budgets' resamples stay as they were.)
        exact = bool(boot is not None and len(log_n) == 3 and len(np.unique(log_n)) == 3)
        ks.append(per_flop(table, idx))  # C/(N·D): 6, or what the flops column counts
        fit = budget_fit(
            table,
            idx,
            float(centres[j]),
            log_n,
            target,
            None if exact else boot,
            space=space,
            level=level,
            per_flop=ks[len(fits)],
        )
        fits.append(fit)
        if exact and fit.used:
            exact_budgets.append(fit.flops)
            vertex_samples.append(np.full(bootstrap, math.log10(fit.params_opt.value)))
        else:
            vertex_samples.append(boot[0] if boot is not None else np.empty(0))
        if not fit.used:
            notes.append(flagged_note(fit))  # why, and on a vertex outside: which sizes to add
    if not fits:
        raise too_few_runs_error(table.source, sizes, c_all, given=given, tolerance=tolerance,
                                 min_runs=min_runs, window=window, advice=advice)  # fmt: skip
    used = [i for i, f in enumerate(fits) if f.used]
    if len(used) < 2:
        raise too_few_budgets_error(table.source, len(used), len(fits), c_all, given=given,
                                    tolerance=tolerance, min_runs=min_runs,
                                    advice=advice)  # fmt: skip
    misfit = misfit_warning([fits[i] for i in used], space=space, window=window)
    warnings += [w for w in (sweep, misfit) if w]
    scattered = off_slices(
        sum(len(fits[i].runs) for i in used), len(table), len(used), found=given is None, cut=cut
    )
    if scattered:
        warnings.append(scattered)
    logc = np.log10([fits[i].flops for i in used])
    logn = np.array([math.log10(fits[i].params_opt.value) for i in used])
    samples = np.column_stack([vertex_samples[i] for i in used]) if bootstrap else None
    if exact_budgets:
        notes.append(exact_note(exact_budgets, len(used)))
        if len(exact_budgets) == len(used):
            samples = None
    notes += resample_notes(samples)  # vertices, and whole resamples, left out of the lines
    params_law = fit_power_law(logc, logn, samples, quantity="params", level=level)
    a = params_law.exponent.value
    # ends that are single resamples say nothing of where the estimate lies: fit's rule,
    # of the resamples that gave a line (those left with under 2 budgets give none)
    kept = 0 if params_law.samples is None else len(params_law.samples)
    few = few_resamples_warning(kept, level)
    if few:
        warnings.append(few)
    elif params_law.samples is not None and excludes(a, params_law.samples[:, 0], level):
        notes.append(
            f"the {format_level(level)} percentile interval of the exponent a left out its estimate "
            f"{format_g(a, 4)} (the resampled lines are shifted from the fit: budgets whose vertex "
            "moves under resampling); it is widened to reach the estimate"
        )
    tokens, rule = allocation_tokens(
        params_law, logc, logn, samples, [ks[i] for i in used], level=level
    )
    notes += [] if bootstrap else [POINTS_NOTE]
    return IsoFLOPResult(
        budgets=tuple(fits),
        params_law=params_law,
        tokens_law=tokens,
        flops_rule=rule,
        level=level,
        n_bootstrap=bootstrap,
        seed=seed,
        space=space,
        source=table.describe_source(),  # as fit and backtest say the same runs
        simulated=table.simulated,
        notes=tuple(notes),
        warnings=tuple(warnings),
        window=window,
    )
