"""A large table's start grid screened on a spread-out subsample of its runs.

:func:`~scalinglab.fit._merge.screened` gives every start of a large grid
:data:`~scalinglab.fit._merge.SCREEN_STEPS` solver steps before it keeps the lowest; each
step is a pass over every run, so on a table of 5,000 runs the 4,500 starts' screening
cost about 13 times the solving of the ~560 it kept (profiled, ``scalinglab fit`` with no
bootstrap). Which starts are lowest after a few steps does not need every run: on a table
of more than :data:`SCREEN_RUNS` runs the screening steps run on :data:`SCREEN_RUNS` of
them (:func:`screening_runs`: spread over every variable of the law), and the kept starts
are then solved on every run, from where the screening left them, with the usual merging
(:func:`~scalinglab.fit._merge._merged`). Tables of :data:`SCREEN_RUNS` runs or fewer
never take this path, so their fits are unchanged to the bit.

The kept starts count, and the best optimum comes from them, as in ``screened``; what
changes is the path each kept start takes (its first steps on the subsample), so its
last digits. Measured on synthetic tables of 2,000 and 5,000 runs
(``benchmarks/fit_speed_runs.py``): the same optimum, parameters within 1e-6 relative.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._merge import KEEP_EVERY, MERGE_FROM, SCREEN_STEPS, _merged, solve_grid
from scalinglab.fit._objective import Array, IntArray, Objective
from scalinglab.fit._solver import SolveResult, Status, minimize
from scalinglab.laws import Law

__all__ = [
    "SCREEN_RUNS",
    "screening_note",
    "screening_objective",
    "screening_runs",
    "solve_large",
]

#: Runs a large grid's screening steps use; tables with more runs screen on this many.
SCREEN_RUNS = 1_000


def screening_runs(data: Mapping[str, Array], *, n: int) -> IntArray | None:
    """``n`` runs spread over every variable of ``data`` (sorted indices), or ``None`` when
    there are ``n`` or fewer.

    The runs are ordered by quantile bin of each variable but the last, then by the last
    (ties in run order), and every ``P / n``-th is taken: each bin of the first variables
    gets its share of the runs, spread over the last within it (over N, then D within each
    band of N, for Chinchilla). Deterministic: no random draw.
    """
    names = sorted(data)
    if not names or len(data[names[0]]) <= n:
        return None
    P, bins = len(data[names[0]]), math.ceil(n ** (1.0 / len(names)))
    keys = []
    for name in names[:-1]:  # quantile bin of each variable, by rank (ties in run order)
        rank = np.empty(P, dtype=np.int64)
        rank[np.argsort(data[name], kind="stable")] = np.arange(P)
        keys.append(rank * bins // P)
    keys.append(np.asarray(data[names[-1]]))
    order = np.lexsort((np.arange(P), *reversed(keys)))  # lexsort: last key is primary
    picks = ((np.arange(n) + 0.5) * P / n).astype(np.int64)
    return np.sort(order[picks])


def screening_objective(
    law: Law, data: Mapping[str, Array], objective: Objective
) -> Objective | None:
    """``objective`` (on the runs of ``data``, the solver's coordinates) restricted to the
    runs :func:`screening_runs` picks, or ``None`` for a table that small, or an objective
    with run weights (the bootstrap's: it screens per resample) or a target per row."""
    if objective.weights is not None or objective.target.ndim != 1:
        return None
    rows = screening_runs(data, n=SCREEN_RUNS)  # read here: a benchmark sets it for a baseline
    if rows is None:
        return None
    sub = {s: np.asarray(v)[rows] for s, v in data.items()}
    return Objective(
        law.bind(sub),
        objective.target[rows],
        objective.loss,
        objective.log_space,
        kernel=None if objective.kernel is None else kernel_for(law, sub),
    )


def solve_large(
    objective: Objective,
    starts: Array,
    *,
    screen_on: Objective | None,
    lower: Array,
    upper: Array,
    max_steps: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> tuple[SolveResult, int | None]:
    """Solve a grid as :func:`~scalinglab.fit._merge.solve_grid`, with its screening steps
    on ``screen_on`` (:func:`screening_objective`) where given and the grid is screened;
    also the number of runs the screening used (``None``: every run, as ``solve_grid``).

    A start the subsample screening stops has status ``SCREENED``, its point after the
    screening steps and a NaN objective (not evaluated on every run); one not finite where
    it started, on the subsample, is ``NONFINITE`` (every run's sum includes those runs).
    """
    S = len(starts)
    if screen_on is None or S < MERGE_FROM or max_steps <= SCREEN_STEPS:
        solved = solve_grid(
            objective, starts, lower=lower, upper=upper, max_steps=max_steps,
            progress=progress, threads=threads,
        )  # fmt: skip
        return solved, None
    screen = minimize(
        screen_on, starts, lower=lower, upper=upper, max_steps=SCREEN_STEPS, threads=threads,
        progress=None if progress is None else (lambda d, _t: progress(d // 2, S)),
    )  # fmt: skip
    # every start is ranked but those not finite where they started (so on every run too): a
    # start that converged or stalled on the subsample has not on every run
    undefined = (screen.status == Status.NONFINITE) & (screen.steps == 0)
    ranked = np.flatnonzero(~undefined)
    ranked = ranked[np.lexsort((ranked, screen.objective[ranked]))]  # ties in start order
    kept = np.sort(ranked[: math.ceil(S / KEEP_EVERY)])
    n_kept = len(kept)  # progress: the screening is the first half of S, the rest the second
    rest = None if progress is None else (lambda d, _t: progress((S + d * S // n_kept) // 2, S))
    solved = _merged(
        objective, screen.theta[kept], went=None, lower=lower, upper=upper,
        max_steps=max_steps, progress=rest, threads=threads,
    )  # fmt: skip
    status = np.where(undefined, Status.NONFINITE, Status.SCREENED).astype(np.int8)
    theta, f, steps = screen.theta.copy(), np.full(S, np.nan), screen.steps.copy()
    theta[kept], f[kept], status[kept] = solved.theta, solved.objective, solved.status
    steps[kept] += solved.steps
    f[undefined] = np.inf
    if progress is not None:
        progress(S, S)
    result = SolveResult(theta=theta, objective=f, status=status, steps=steps, solver=solved.solver)
    return result, len(screen_on.target)


def screening_note(
    screened_on: int | None, status: np.ndarray, n_runs: int, variables: Iterable[str]
) -> list[str]:
    """The note a fit whose screening ran on a subsample of its runs carries (none for one
    that screened on every run)."""
    if screened_on is None:
        return []
    solved = int(np.count_nonzero(status != Status.SCREENED))
    return [
        f"the {len(status)} starts took their screening steps on {screened_on} of the "
        f"{n_runs} runs (spread over {', '.join(sorted(variables))}); the {solved} of lowest "
        "objective were solved on every run"
    ]
