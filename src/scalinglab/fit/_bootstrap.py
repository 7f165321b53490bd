"""The bootstrap over runs: every resample refitted from a few starts, all in one batch.

By default a resample draws runs with replacement; given resamples drawn upstream
(:class:`~scalinglab.fit._resamples.Resamples`: the runs' losses and weights as each
resample of the fit they were derived from gives them), resample ``b`` refits those
instead: the same batch, the same starts, the same percentile intervals.

Every start of every resample is solved to the end (:data:`KEEP_OF`). With
``KEEP_OF`` above 1, the starts screen per resample: on a table of more than
:data:`~scalinglab.fit._screen_runs.SCREEN_RUNS` runs every resample takes its screening
steps on its runs among the fit's screening subsample, and the starts it keeps are solved on
all its runs (:func:`~scalinglab.fit._screen_runs.screened_on`, the rule the fit's start
grid screens by).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_grouped
from scalinglab.fit._merge import SCREEN_STEPS, screened
from scalinglab.fit._objective import Array, Objective
from scalinglab.fit._screen_runs import Subsample, screened_on
from scalinglab.fit._solver import Status

Progress = Callable[[str, int, int], None]

#: Of each resample's starts (four or more), the ``1 / KEEP_OF`` of lowest objective after
#: the screening steps is solved to the end (:func:`scalinglab.fit._merge.screened`); 1:
#: every start is, no screening. A sample must be its resample's optimum as far as its
#: starts reach: keeping 3 of 6 after 10 steps ended above it in 235 of 4,800 resamples
#: (by up to 30% in objective; Chinchilla's law on the over-training corpora, where a
#: resample's best comes from a grid start that is high after 10 steps), 5 of 6 in 18, 3
#: after 40 steps in 3; all six cost the README's fit 0.08 CPU s (benchmarks/RESULTS.md).
KEEP_OF = 1


def resample_starts(
    rng: np.random.Generator, grid: Array, optima: Array, f_optima: Array, *, n: int, per: int
) -> Array:
    """Starts ``(n, per, K)`` for ``n`` resamples: the best distinct optima of the full fit
    (up to half of ``per``, the same for every resample), then rows of ``grid`` drawn with
    ``rng`` for the rest."""
    seeds = _distinct(optima[np.isfinite(f_optima)], limit=max(1, per // 2))
    starts = np.empty((n, per, grid.shape[1]))
    starts[:, : len(seeds)] = seeds[None]
    if per > len(seeds):
        starts[:, len(seeds) :] = grid[rng.integers(0, len(grid), size=(n, per - len(seeds)))]
    return starts


def _bootstrap(
    objective: Objective,
    grid: Array,
    optima: Array,
    f_optima: Array,
    n_runs: int,
    *,
    n: int,
    per: int,
    seed: int,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Progress | None,
    threads: int | None,
    given: tuple[Array, Array] | None = None,
    subsample: Subsample | None = None,
) -> tuple[Array, int, tuple[int, int, int, int] | None]:
    """Refit ``n`` resamples of the runs, each from ``per`` starts, all in one batch;
    ``given``: each resample's targets (in the fitted space) and run weights, ``(n, runs)``
    each, instead of runs drawn with replacement (whose targets are the runs' own);
    ``subsample``: the runs a large table's screening steps use (``None``: every run).

    Returns:
        The resamples' optima (those solved), how many failed, and where the screening
        steps ran on ``subsample``: its runs, ``n``, ``per`` and the starts kept of each
        (:func:`~scalinglab.fit._screen_runs.screening_note`); else ``None``.
    """
    rng = np.random.default_rng(seed)
    if given is None:  # resampling runs with replacement = integer weights on the runs
        picks = rng.integers(0, n_runs, size=(n, n_runs))
        weights = np.zeros((n, n_runs))
        np.add.at(weights, (np.repeat(np.arange(n), n_runs), picks.ravel()), 1.0)
        target = objective.target
    else:  # a target per resample: the compiled solver takes one target, NumPy's one each
        target, weights = given
    starts = resample_starts(rng, grid, optima, f_optima, n=n, per=per)
    boot = Objective(
        objective.program,
        target,
        objective.loss,
        objective.log_space,
        weights,
        kernel=objective.kernel,
    )
    groups = np.repeat(np.arange(n), per)
    keep = math.ceil(per / KEEP_OF) if per >= 4 else per  # fewer: all solved
    # counted in resamples (the user asked for n), not in the n·per starts solved
    counted = None if progress is None else (lambda d, t: progress("bootstrap", d * n // t, n))
    screen_on = None if subsample is None else subsample.of(boot)
    on: tuple[int, int, int, int] | None = None
    if subsample is not None and screen_on is not None and keep < per and max_iter > SCREEN_STEPS:
        solved = screened_on(
            boot, starts.reshape(n * per, -1), screen_on=screen_on, groups=groups, keep=keep,
            lower=lower, upper=upper, max_iter=max_iter, progress=counted, threads=threads,
        )  # fmt: skip
        on = (len(subsample.rows), n, per, keep)
    else:
        solved = screened(
            boot, starts.reshape(n * per, -1), groups=groups, keep=keep, lower=lower,
            upper=upper, max_iter=max_iter, progress=counted, threads=threads,
        )  # fmt: skip
    ended = np.isfinite(solved.objective) & (solved.status != Status.SCREENED)
    f = np.where(ended, solved.objective, np.inf).reshape(n, per)
    best = np.argmin(f, axis=1)
    good = np.isfinite(f[np.arange(n), best])
    theta = solved.theta.reshape(n, per, -1)[np.arange(n), best]
    return theta[good], int(n - good.sum()), on


def kept(samples: Array, failed: int, n: int) -> tuple[Array, list[str]]:
    """Of ``n`` resamples, those whose coefficients (natural units) intervals can use, and a
    note for each kind left out (:func:`usable`)."""
    use, notes = usable(samples, failed, n)
    return samples[use], notes


def usable(samples: Array, failed: int, n: int) -> tuple[NDArray[np.bool_], list[str]]:
    """Which rows of ``samples`` (natural units, the resamples solved of ``n``) intervals
    can use, and a note for each kind left out: ``failed`` that no start solved, and
    degenerate ones (a curve fit drops its resamples' curve weights with them)."""
    notes = [left_out(failed, n, "failed")] if failed else []
    finite = np.all(np.isfinite(samples), axis=1)
    if not finite.all():
        # a resample whose optimum runs off to a wall (an exponent of 40 with a coefficient
        # of e^900) is a degenerate fit; intervals and predictions cannot use it
        notes.append(
            left_out(
                int((~finite).sum()),
                n,
                "ended at a degenerate fit (a coefficient beyond floating point)",
            )
        )
    return finite, notes


def left_out(count: int, n: int, why: str) -> str:
    """The one wording of resamples left out: ``3 of 200 bootstrap resamples failed and were
    left out`` (``why``: ``"failed"``)."""
    return f"{format_grouped(count)} of {format_grouped(n)} bootstrap resamples {why} and were left out"


def _distinct(theta: Array, *, limit: int, tol: float = 1e-4) -> Array:
    """Up to ``limit`` rows of ``theta`` (best first) that differ from each other: in order,
    each row that differs from every row kept before it.

    One pass over all rows per kept row (most of a grid's optima are the best one, so a row
    at a time took thousands of small array operations: a few ms of every fit)."""
    kept: list[int] = []
    apart = np.ones(len(theta), dtype=bool)  # differs from every row kept so far
    while len(kept) < limit:
        after = kept[-1] + 1 if kept else 0
        rest = np.flatnonzero(apart[after:])
        if not len(rest):
            break
        kept.append(after + int(rest[0]))
        k = theta[kept[-1]]
        apart &= np.max(np.abs(theta - k) / (1 + np.abs(k)), axis=1) > tol
    return np.asarray(theta[kept])
