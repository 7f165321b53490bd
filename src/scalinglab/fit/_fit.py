"""``fit(law, runs)``: multi-start robust fit plus a multi-started bootstrap over runs."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._defaults import HUBER_DELTA, MAX_ITER
from scalinglab._deprecated import renamed_max_iter, renamed_robust_loss
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab._quantiles import percentile_intervals
from scalinglab.data._readers import PlainRuns, read_for, xy_columns
from scalinglab.data._table import RunTable
from scalinglab.data._where_rows import Where, as_where
from scalinglab.fit import _options
from scalinglab.fit._bootstrap import _bootstrap, kept
from scalinglab.fit._bounds import at_bound_names, information_criteria
from scalinglab.fit._center import centering_for
from scalinglab.fit._columns import data_conventions, loss_read, runs_flops
from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._enough import fit_columns
from scalinglab.fit._fit_starts import solve_starts
from scalinglab.fit._fit_warnings import fit_warnings
from scalinglab.fit._formula_notes import formula_notes, table_notes
from scalinglab.fit._losses import RobustLoss, get_loss, unused_delta
from scalinglab.fit._merge import AT_BEST_RTOL
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._options import auto_note, check_fit_options, is_auto, resolve_law
from scalinglab.fit._refit import measure_refits
from scalinglab.fit._resamples import RUNS, Resamples, drawn
from scalinglab.fit._result import FitResult
from scalinglab.fit._screen_runs import screening_note
from scalinglab.fit._solver import Status
from scalinglab.fit._spans import judge
from scalinglab.fit._withheld import withheld_for
from scalinglab.laws import Law
from scalinglab.laws._presets import Conventions

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AT_BEST_RTOL", "fit"]


@keywords_checked(  # fit(runs): the law comes first; compare="no" is refused
    "scalinglab.fit", deprecated=("loss", "max_steps"), missing=_options.check_runs_given,
    hints={"compare": _options.COMPARE_HINT},
)  # fmt: skip
def fit(
    law: str | Law,
    runs: RunTable | pd.DataFrame | str | os.PathLike[str] | PlainRuns,
    *,
    robust_loss: str | RobustLoss | None = None,
    delta: float = HUBER_DELTA,
    space: str = "log",
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    drop_outliers: bool = False,
    best_per_cell: bool = False,
    starts: Array | None = None,
    bootstrap: int | None = None,
    bootstrap_starts: int = 6,
    bootstrap_pool: Array | None = None,
    resamples: Resamples | None = None,
    level: float = 0.9,
    seed: int = 0,
    max_iter: int = MAX_ITER,
    conventions: Conventions | None = None,
    progress: Progress | bool | None = None,
    threads: int | None = None,
    extrapolation: bool = True,
    where: Where | None = None,
    compare: bool = True,
    loss: str | RobustLoss | None = None,
    max_steps: int | None = None,
) -> FitResult:
    """Fit a scaling law to runs, robustly, from many starts, with bootstrap intervals.

    Args:
        law: A law, a law name (``"chinchilla"``), a formula (``"E + A*N**-alpha"``), or
            ``"auto"``: chosen among the catalog laws by rolling-origin backtest on these
            runs (:func:`scalinglab.validate.choose_law`), as ``--law auto``; the notes say
            what it compared and chose, a warning where a law it could not tell apart plans
            another N* (:mod:`scalinglab.validate._unsettled`).
        runs: A :class:`RunTable`, or what :func:`read_runs` reads (a path, a DataFrame, a dict).
        robust_loss: ``"huber"`` (the default, as Hoffmann et al. 2022; ``None`` stands
            for it), ``"soft_l1"`` or ``"squared"`` (``--robust-loss``).
        delta: Scale of the robust loss (``1e-3`` on log residuals, as Hoffmann et al.).
        space: ``"log"`` fits ``log(law) - log(loss)``; ``"linear"`` fits ``law - loss``.
        x: Law symbol -> run-table column, overriding the defaults (``{"N": "params"}``).
        y: Column holding the loss (recorded as :attr:`FitResult.y`).
        drop_outliers: Drop runs that look diverged as :func:`read_runs` reads ``runs`` (a
            file or DataFrame; a RunTable was read already), as ``--drop-outliers``.
        best_per_cell: Keep the best run of each cell of a sweep, so (``--best-per-cell``).
        starts: Starting points in the fitted space ``(S, K)``; default: the law's grid. A
            grid of 512 or more is screened: every start takes 10 solver steps, the eighth
            of lowest objective then is solved to the end (merged into the best once below
            every other optimum found) and the rest are not (:mod:`scalinglab.fit._merge`:
            same optimum, fewer steps; ``n_starts_solved`` says how many were solved).
        bootstrap: Number of bootstrap resamples (0 for none); by default 200 over runs, as
            the command line (:data:`scalinglab._defaults.BOOTSTRAP`), or every one of
            ``resamples`` (with them, 0 or more than they hold is refused).
        bootstrap_starts: Starts per resample: the best fit, the next-best distinct local
            optima of the full fit, and a seeded random subset of the start grid.
        bootstrap_pool: Points ``(M, K)`` the resamples' random starts come from (default: starts).
        resamples: Resamples drawn upstream (:mod:`scalinglab.fit._resamples`): resample
            ``b`` refits the runs' losses and weights as resample ``b`` of the fit they came
            from gives them (:func:`scalinglab.curves.cooldown_resamples`), not runs drawn.
        level: Coverage of the percentile intervals.
        seed: Seed for the resampling and the start subsets; same seed, same result.
        max_iter: Most solver iterations per start.
        conventions: Which N, FLOPs, loss and tokens the data use, in words (default: the run
            table's); the FLOPs' rule is read off the runs (:attr:`FitResult.flops_convention`).
        progress: ``progress(stage, done, total)``, stage ``"fit"`` or ``"bootstrap"``; ``True``: stderr.
        threads: Threads for the compiled solver (laws ``E + A/N^alpha + B/D^beta + ...`` in
            log space, where built; default: every core this may use); results do not vary.
        extrapolation: Measure the law's extrapolation error by rolling-origin backtests on
            these runs (a few refits without bootstrap) so that prediction intervals include
            it where the data allow (see :mod:`scalinglab.fit._extrapolation`); only with a
            bootstrap, as point fits give no intervals.
        where: Only the runs whose text column has the value (``{"dataset": "c4"}``, or
            ``"dataset=c4"``), kept by :meth:`RunTable.where`; its :attr:`FitResult.where`.
        compare: For a catalog law given (a formula is not compared; ``"auto"`` is the
            comparison), backtest the other catalog laws on the same runs, on a thread while
            the law is fitted, as ``--compare`` (:mod:`scalinglab.validate._law_hint`):
            :attr:`FitResult.law_choice` records it (``fitted``: the law), and a law that
            backtests clearly better is warned of, the line naming ``--law X`` and
            ``fit('X', runs)`` alike. ``False``: no comparison (``--no-compare``).
        loss: Old name of ``robust_loss`` (one release; warns).
        max_steps: Old name of ``max_iter`` (one release; warns).

    Returns:
        The fit; one whose best start did not converge has status ``"failed"`` and says
        so first among its warnings.

    Raises:
        FormulaError: An unknown law name (the nearest is named) or a formula it cannot parse.
        DataError: Runs that cannot be read (a missing file; a bad value, named by row and
            column), no column for a variable of the law or for the loss, or fewer runs
            than the law has parameters plus one.
        ConfigError: An option of the wrong type or range (``level=90``, ``space="lin"``),
            an unknown keyword, or a ``where`` column that is no text column.
        FitError: Where no start ends at a finite objective.

    Examples:
        >>> import scalinglab
        >>> result = scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)
        >>> result.status, round(result.coefs["alpha"], 2), round(result.coefs["beta"], 2)
        ('converged', 0.38, 0.3)
    """
    _options.check_law_first(law, runs)  # fit(runs, law): say so, not "cannot parse"
    progress = resolve_progress(progress)  # True: a text line on stderr
    # None: not given, so that huber given beside loss= (its old name) is refused, not overridden
    huber: str | RobustLoss = "huber"  # typed as both: the default of either name
    chosen = renamed_robust_loss(
        robust_loss, loss, call="scalinglab.fit", default=huber, column="y=COLUMN"
    )
    max_iter = renamed_max_iter(max_iter, max_steps, call="scalinglab.fit")
    x, y = xy_columns(x, y)  # "N=model_size", "loss=val_loss": as --x and --y take them
    check_fit_options(
        space=space, level=level, threads=threads, bootstrap=bootstrap, conventions=conventions,
        bootstrap_starts=bootstrap_starts, seed=seed, max_iter=max_iter, compare=compare,
    )  # fmt: skip
    bootstrap = drawn(bootstrap, resamples)  # None: 200, or every resample given
    # a misspelt law fails before the runs are read; "auto" is chosen on them
    given = None if is_auto(law) else resolve_law(law, None, x=x, y=y, seed=seed)
    table = read_for("fit", runs, x=x, y=y, drop_outliers=drop_outliers, where=as_where(where),
                     best_per_cell=best_per_cell)  # fmt: skip
    law, choice = given or resolve_law(law, table, x=x, y=y, seed=seed)
    robust = get_loss(chosen, delta=delta)
    columns = fit_columns(law, table, x)  # too few runs: the hint names laws they can fit
    # a given catalog law is compared with the others on a thread while it is fitted
    pending = _options.comparing(law, table, x=x, y=y, seed=seed) if compare and given else None
    data = {s: table[c] for s, c in columns.items()}
    target = table[y]
    notes = [*auto_note(choice), *table_notes(table.notes, columns), *unused_delta(robust)]
    notes += formula_notes(law, columns, table)
    # the solver works in centred coordinates (see _center); every result is mapped back
    center = centering_for(law, data)
    solver_data = center.data(data)
    log_space = space == "log"
    objective = Objective(
        law.bind(solver_data),
        np.log(target) if log_space else target,
        robust,
        log_space,
        kernel=kernel_for(law, solver_data) if log_space else None,
    )
    lower, upper = law.fitted_bounds()
    started = solve_starts(
        law, objective, center, data, target, solver_data=solver_data, starts=starts,
        bootstrap_pool=bootstrap_pool, max_iter=max_iter, threads=threads, progress=progress,
    )  # fmt: skip
    grid, pool, solved, subsample = started.grid, started.pool, started.solved, started.subsample
    notes += started.notes
    ended, order = started.ended, started.order
    best = int(order[0])
    f_best = float(ended[best])
    theta = center.from_solver(solved.theta[best])
    at_best = np.abs(ended - f_best) <= AT_BEST_RTOL * max(abs(f_best), 1e-300)
    status_best = Status(int(solved.status[best]))
    status = "converged" if status_best == Status.CONVERGED else "failed"
    names = law.param_names
    natural = law.to_natural(theta)
    at_bound = at_bound_names(names, theta, lower, upper)
    residuals = objective.residuals(solved.theta[best][None, :])[0]

    samples, resampled, left_out = None, None, list[str]()
    intervals: dict[str, tuple[float, float]] = dict.fromkeys(names, (math.nan, math.nan))
    if bootstrap:
        samples, failed, resampled = _bootstrap(
            objective,
            center.to_solver(grid if bootstrap_pool is None else pool),
            solved.theta[order],
            ended[order],
            len(target),
            n=bootstrap,
            per=bootstrap_starts,
            seed=seed,
            lower=lower,
            upper=upper,
            max_iter=max_iter,
            progress=progress,
            threads=threads,
            given=None
            if resamples is None
            else resamples.for_runs(table.runs, bootstrap, log=log_space),
            subsample=subsample,
        )
        with np.errstate(over="ignore"):  # e.g. A = exp(900): beyond float64, so inf
            samples, left_out = kept(law.to_natural(center.from_solver(samples)), failed, bootstrap)
        intervals.update(percentile_intervals(samples, names, level))
    notes += screening_note(
        started.screened_on, solved.status, len(target), columns, resampled=resampled
    )
    notes += left_out  # the screening's notes, then the resamples left out
    coefs = {n: float(v) for n, v in zip(names, natural, strict=True)}
    judged = judge(law, intervals, samples, level=level, params=coefs)  # its notes, warnings
    notes += judged.notes  # at the edge of identified: not warned of
    aic, bic = information_criteria(float(np.sum(residuals**2)), len(target), len(names))
    # a fit that did not converge says so first: no value here is the law's optimum
    warned = fit_warnings(
        law, table, coefs, intervals, samples, status=status, message=status_best.message,
        data=data, target=target, columns=columns, level=level, judged=judged,
    )  # fmt: skip
    result = FitResult(
        law_spec=law.spec,
        form=law,
        coefs=coefs,
        intervals=intervals,
        samples=samples,
        level=level,
        objective=f_best,
        status=status,
        message=status_best.message,
        n_starts=len(grid),
        n_starts_solved=int(np.count_nonzero(solved.status != Status.SCREENED)),
        n_starts_at_best=int(at_best.sum()),
        n_converged=int(np.count_nonzero(solved.status == Status.CONVERGED)),
        at_bound=at_bound,
        aic=aic,
        bic=bic,
        residuals=residuals,
        runs=table.runs,
        excluded=table.excluded,
        skipped=table.skipped,  # left out while reading: not finished, no loss
        columns=columns,
        y=loss_read(table, y),  # the column read, which write_report reads the runs by
        robust_loss=robust.name,
        delta=robust.delta,
        space=space,
        n_bootstrap=bootstrap,
        resample=RUNS if resamples is None else resamples.resample,
        seed=seed,
        source=table.describe_source(),
        where=table.kept_where,  # the runs kept by RunTable.where (--where)
        simulated=table.simulated,
        conventions=(conventions := conventions or data_conventions(table, y=y)),
        flops_convention=runs_flops(table, columns, conventions.flops),
        notes=tuple(notes),
        solver=solved.solver,
        warnings=warned,
        law_choice=choice,  # "auto": the candidates' scores and the law chosen
        # from the runs, not the solver: a fit that did not converge withholds it too
        plan_withheld=withheld_for(law, data, columns) or None,
    )
    measured = measure_refits(
        law, table, data, target, theta=theta, grid=grid, sigma=result.noise_scale(),
        robust_loss=robust, space=space, x=x, y=y, max_iter=max_iter, threads=threads,
        asked=extrapolation, bootstrap=bootstrap,
    )  # fmt: skip
    result = replace(result, extrapolation=measured)
    result = _options.agreed(result, choice, table, x=x, max_iter=max_iter, threads=threads)
    return result if pending is None else pending.recorded(result)
