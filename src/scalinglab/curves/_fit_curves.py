"""``fit_curves``: the public entry point of a curve fit, its checks and its result."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab._defaults import CURVE_BOOTSTRAP, HUBER_DELTA, MAX_ITER
from scalinglab._deprecated import renamed_max_iter, renamed_robust_loss
from scalinglab._errors import ConfigError
from scalinglab._format import format_counted
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.curves._bootstrap import interval_tail
from scalinglab.curves._caveats import assumed
from scalinglab.curves._data import Curve
from scalinglab.curves._diagnostics import fit_lines, size_notes, size_warnings
from scalinglab.curves._fit import fit_law_to_curves, percentile_interval
from scalinglab.curves._fit_options import check_curve_options
from scalinglab.curves._given_warmup import contradicted
from scalinglab.curves._laws import Array, CurveLaw
from scalinglab.curves._no_decay import no_decay_warning
from scalinglab.curves._reading import Reading, given_curves
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._resampling import check_resample, resampling
from scalinglab.curves._result import CurveFit
from scalinglab.curves._schedule_defaults import schedule_defaults
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._sized import SizedLaw
from scalinglab.curves._where import pooled_corpora
from scalinglab.data._where_rows import Where, as_where
from scalinglab.fit._bounds import at_bound_names
from scalinglab.fit._implausible import unconverged_first
from scalinglab.fit._losses import get_loss, unused_delta

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["fit_curves"]


@keywords_checked("scalinglab.fit_curves", deprecated=("loss", "max_steps"))
def fit_curves(
    curves: Sequence[Curve] | str | os.PathLike[str] | pd.DataFrame,
    *,
    law: str = "multipower",
    robust_loss: str | None = None,
    delta: float = HUBER_DELTA,
    bootstrap: int = CURVE_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    max_iter: int = MAX_ITER,
    resample: str | None = None,
    ridge: float = 0.0,
    progress: Progress | bool | None = None,
    left_out: Mapping[str, str] | None = None,
    where: Where | None = None,
    source: str | None = None,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    columns: Mapping[str, str] | None = None,
    keep_diverged: bool = False,
    loss: str | None = None,
    max_steps: int | None = None,
) -> CurveFit:
    """Fit a curve law to whole loss curves jointly, with shared parameters.

    Args:
        curves: Curves from :func:`read_lr_curves`, or what it reads: paths, or a
            DataFrame of run, step, lr and loss.
        law: ``"multipower"`` (Luo et al. 2025), ``"tissue"`` (Tissue et al. 2024),
            ``"power-s1"`` or ``"power-steps"`` (baselines); ``"sized:multipower"`` (or any
            of them) fits curves of several model sizes with L0 and A as powers of N.
        robust_loss: Robust loss on log residuals: ``"huber"`` (the default; ``None``
            stands for it), ``"soft_l1"`` or ``"squared"``.
        delta: Its scale.
        bootstrap: Resamples behind the intervals (0 for a point fit alone); the default,
            100, is the command line's (:data:`scalinglab._defaults.CURVE_BOOTSTRAP`).
        level: Coverage of the intervals.
        seed: Seed of the resampling.
        max_iter: Most solver iterations per start.
        resample: The default (``None``) is ``"wild-jackknife"`` for 2 to 4 curves and
            ``"curves"`` for more; one curve gets no interval (nothing to resample). With 3
            curves whole-curve resamples fit one schedule alone one time in nine; on
            synthetic 3-curve fits the wild-jackknife made the 90% intervals of a held-out
            loss 3.6 and 7.8 times narrower than theirs for the multi-power and Tissue laws,
            both covering 93% (as the fit's note says). Or
            ``"curves"`` (whole curves drawn with replacement) or
            ``"bayesian"`` (Dirichlet weights per curve, every curve kept; same cost; its
            90% intervals under-cover on synthetic fits of every law, down to 75-78% for
            the multi-power law's C, gamma and held-out loss)
            or ``"wild"`` (every curve kept, its losses redrawn: the fitted curve plus its
            residuals times one Webb weight per curve; :mod:`scalinglab.curves._bootstrap`;
            too narrow on synthetic fits of every law, 57-77% at 90% for Tissue and the
            power law in S1) or ``"wild-jackknife"`` (the same
            with each curve's residuals from the fit without it: near nominal for Tissue
            and the power law, over-covering the multi-power law as the default does).
        ridge: Strength of a ridge on the multi-power law's drop shape toward the
            source's start (``C = 1, beta = gamma = 0.5``; :mod:`scalinglab.curves._ridge`);
            0 (the default) for none. :func:`choose_ridge` picks it on the training curves.
        progress: Called as ``progress(stage, done, total)`` with stage ``"fit"`` (starts
            solved), ``"polish"`` (the best optima polished on every point, a law with a
            coarse form: the multi-power law's) or ``"bootstrap"`` (resamples, out of
            ``bootstrap``); ``True`` prints a line per stage on stderr.
        left_out: The runs the reader of ``curves`` left out, and why, recorded in the
            result (``read_noted`` returns them; read here from paths or a DataFrame).
        where: ``{column: value}`` or ``(column, value)`` pairs: only the runs of paths or a
            DataFrame whose text column has that value, kept as they are read
            (:func:`read_lr_curves`); recorded in :attr:`CurveFit.where` (``None`` there
            for curves given read: their selection is not known here).
        source: Where ``curves`` (read already) came from, and how many were kept of how
            many, recorded as :attr:`CurveFit.source` (what ``read_noted`` returns says it; read here
            from paths or a DataFrame).
        schedule: For paths or a DataFrame, the schedule of the runs that log no lr
            (``curves fit --schedule``), as :func:`read_lr_curves` takes it.
        warmup: For paths or a DataFrame, the warm-up steps of every run with an lr column
            (``--warmup``; default: each run's steps before its lr first peaks), as
            :func:`read_lr_curves` takes it.
        columns: For paths or a DataFrame, which column holds ``run``, ``step``, ``lr``,
            ``loss`` or ``params`` (``--map``), as :func:`read_lr_curves` takes it.
        keep_diverged: For paths or a DataFrame, keep the runs that look diverged
            (``--keep-diverged``), as :func:`read_lr_curves` takes it.
        loss: Old name of ``robust_loss`` (one release; warns).
        max_steps: Old name of ``max_iter`` (one release; warns).

    Returns:
        A :class:`CurveFit`: the coefficients with their intervals over ``bootstrap``
        resamples, the notes and warnings; ``.predict(spec)`` gives a schedule's curve and
        ``.final_loss(spec)`` its last step.

    Raises:
        ConfigError: An unknown law (``"tisue"``: the nearest is named), a bad option
            (``level=90``, an unknown ``resample``, ``ridge=-1``); a reading option
            (``where``, ``schedule``, ``warmup``, ``columns``, ``keep_diverged``) with Curve
            objects, read already; a ``where`` column that is no text column, or a value no
            run has; fewer logged points than the law has parameters; a law across sizes
            (``"sized:..."``) for curves of no known model size.
        DataError: Curves that cannot be read: a file missing, no ``step`` or ``loss``
            column, no ``lr`` column and no ``schedule``, a loss that is not a positive
            number, or no curve with a logged point.

    Examples:
        >>> import numpy as np, pandas as pd, scalinglab
        >>> steps = np.arange(1, 1001)
        >>> frame = pd.concat(  # three constant-lr runs, loss = 2.5 + 0.5·(lr·step)^-0.3
        ...     pd.DataFrame({"run": f"lr{lr:g}", "step": steps, "lr": lr,
        ...                   "loss": 2.5 + 0.5 * (lr * steps) ** -0.3})
        ...     for lr in (3e-4, 1e-3, 3e-3)
        ... )
        >>> fit = scalinglab.fit_curves(frame, law="power-s1", bootstrap=0)
        >>> {name: round(value, 2) for name, value in fit.coefs.items()}
        {'L0': 2.5, 'A': 0.5, 'alpha': 0.3}
        >>> round(fit.final_loss("constant:peak=1e-3,steps=4000,warmup=0").loss, 2)
        2.83
    """
    robust_loss = renamed_robust_loss(
        robust_loss, loss, call="scalinglab.fit_curves", default="huber",
        column="read_lr_curves(..., columns={'loss': COLUMN})",
    )  # fmt: skip
    max_iter = renamed_max_iter(max_iter, max_steps, call="scalinglab.fit_curves")
    check_curve_options(bootstrap=bootstrap, seed=seed, max_iter=max_iter, ridge=ridge,
                        level=level)  # fmt: skip
    progress = resolve_progress(progress)  # True: a text line on stderr
    check_resample(resample)
    # read as `curves fit` reads files (one Reading): the same curves, the same fit
    reading = Reading(schedule=schedule, warmup=warmup, columns=columns,
                      keep_diverged=keep_diverged, where=as_where(where))  # fmt: skip
    read = given_curves(curves, reading, call="scalinglab.fit_curves", left_out=left_out,
                        source=source)  # fmt: skip
    items, trimmed = _after_warmup(list(read.curves), get_curve_law(law))
    resample, bootstrap, chosen = resampling(resample, bootstrap, len(items))
    claw, solved = fit_law_to_curves(
        law,
        items,
        robust_loss=robust_loss,
        delta=delta,
        bootstrap=bootstrap,
        seed=seed,
        max_iter=max_iter,
        resample=resample,
        ridge=ridge,
        progress=progress,
    )
    robust = get_loss(robust_loss, delta=delta)  # its name as fit records it (`l2`: squared)
    names = claw.param_names
    intervals = dict.fromkeys(names, (float("nan"), float("nan")))
    if solved.samples is not None and len(solved.samples):
        lo, hi = percentile_interval(solved.samples, level, len(items))
        intervals = {n: (float(a), float(b)) for n, a, b in zip(names, lo, hi, strict=True)}
    drawn = 0 if solved.samples is None else len(solved.samples)
    coefs = {n: float(v) for n, v in zip(names, solved.params, strict=True)}
    at_bound = _at_bound(claw, solved.params)
    sizes = [c.params for c in items]
    warnings = list(pooled_corpora(items))  # first, as fit() warns it
    warnings += contradicted(items)  # a given warm-up its curves' logged lr contradicts
    # the interval is expanded: its ends lie beyond fewer resamples than level's
    tail = interval_tail(level, len(items))
    warned, edge = fit_lines(claw, coefs, intervals, solved.samples, level=level, tail=tail,
                             at_bound=at_bound)  # fmt: skip
    warnings += warned
    warnings += size_warnings(claw, sizes, resample=resample, level=level, drawn=drawn)
    warnings += filter(None, [no_decay_warning(claw, [c.schedule for c in items])])
    defaults, said_defaults = schedule_defaults([c.schedule for c in items])
    peaks = [float(c.schedule.peak) for c in items]
    notes = [*read.notes, *trimmed, *solved.notes, *chosen, *edge, *size_notes(claw, sizes)]
    notes += [said_defaults, *assumed(items), *unused_delta(robust)]  # assumed: once
    # a fit that did not converge says so first, as fit() does: no value is the law's optimum
    warnings = list(unconverged_first(solved.status, solved.message, warnings))
    return CurveFit(
        law=claw.name,
        coefs=coefs,
        intervals=intervals,
        samples=solved.samples,
        curve_weights=solved.curve_weights,
        level=level,
        objective=solved.objective,
        status=solved.status,
        message=solved.message,
        n_starts=solved.n_starts,
        n_starts_at_best=solved.n_starts_at_best,
        runs=tuple(c.run for c in items),
        residuals=solved.residuals,
        defaults=defaults,
        notes=tuple(notes),
        n_ref=claw.n_ref if isinstance(claw, SizedLaw) else float("nan"),
        warnings=tuple(warnings),
        ridge=ridge,
        steps=max(int(c.schedule.steps) for c in items),
        lengths=tuple(sorted({int(c.schedule.steps) for c in items})),
        sizes=tuple(sorted({n for n in sizes if math.isfinite(n)}))
        if isinstance(claw, SizedLaw)
        else (),
        peaks=(min(peaks), max(peaks)),
        at_bound=at_bound,
        resample=resample if drawn else "",
        left_out=dict(read.left_out),
        where=read.where,
        source=read.source,
        seed=seed,
        n_bootstrap=bootstrap,
        solver=solved.solver,
        robust_loss=robust.name,  # as fitted: a fit with `squared` told apart from `huber`
        delta=robust.delta,
        max_iter=max_iter,
    )


def _after_warmup(curves: list[Curve], law: CurveLaw) -> tuple[list[Curve], list[str]]:
    """For a law defined from the end of warm-up alone (``multipower-after-warmup``), the
    curves without the points logged during it, and a note of how many were left out.

    Raises:
        ConfigError: A curve with no point logged after its warm-up, named.
    """
    if not law.from_warmup:
        return curves, []
    out, dropped = [], 0
    for c in curves:
        keep = c.step >= c.schedule.warmup
        if not keep.any():
            raise ConfigError(
                f"run {c.run!r} ({c.source}) logs no point after its {c.schedule.warmup}-step "
                f"warm-up, from where {law.name} is defined",
                hint="fit it with --law multipower (law='multipower'), which counts the "
                "warm-up, or leave the run out",
            )
        dropped += int((~keep).sum())
        rows = tuple(r for r, k in zip(c.rows, keep, strict=True) if k) if c.rows else c.rows
        out.append(replace(c, step=c.step[keep], loss=c.loss[keep], rows=rows))
    ends = sorted({c.schedule.warmup for c in curves})
    when = f"before step {ends[0]}" if len(ends) == 1 else "before each curve's warm-up ends"
    return out, [
        f"{format_counted(dropped, 'point')} logged during the warm-up ({when}) left out: {law.name} is "
        "defined from its end (multipower counts the warm-up)"
    ] * bool(dropped)


def _at_bound(law: CurveLaw, params: Array) -> tuple[str, ...]:
    """Coefficients that ended at a bound, judged in the fitted space as a scaling-law fit
    judges them (:attr:`scalinglab.FitResult.at_bound`)."""
    theta = law.to_fitted(dict(zip(law.param_names, params, strict=True)))
    return at_bound_names(law.param_names, theta, *law.fitted_bounds())
