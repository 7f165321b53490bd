"""A large table's screening steps taken on a spread-out subsample of its runs.

:func:`~scalinglab.fit._merge.screened` gives every start of a large grid
:data:`~scalinglab.fit._merge.SCREEN_STEPS` solver steps before it keeps the lowest; each
step is a pass over every run, so on a table of 5,000 runs the 4,500 starts' screening
cost about 13 times the solving of the ~560 it kept (profiled, ``scalinglab fit`` with no
bootstrap). Which starts are lowest after a few steps does not need every run: on a table
of more than :data:`SCREEN_RUNS` runs the screening steps run on :data:`SCREEN_RUNS` of
them (:func:`screening_runs`: spread over every variable of the law), and the kept starts
are then solved on every run, from where the screening left them (:func:`screened_on`).
Tables of :data:`SCREEN_RUNS` runs or fewer never take this path, so their fits are
unchanged to the bit.

One rule, three users, each keeping its own share of the starts:

- the fit's start grid (:func:`solve_large`): the ``1 / KEEP_EVERY`` of lowest objective,
  solved on every run with the usual merging (:func:`~scalinglab.fit._merge._merged`);
- the bootstrap (:mod:`scalinglab.fit._bootstrap`): per resample, the half of its starts of
  lowest objective on its draws among the subsample, solved on all its draws;
- the law comparison's cut fits (:mod:`scalinglab.fit._cuts`), which solve every start on
  smaller tables: per cut of 64 starts or more, the ``1 / KEEP_EVERY`` of lowest objective
  on the cut's runs among the subsample, solved on all the cut's runs.

A resample or a cut is a row of run weights (:attr:`Objective.weights`); its screening
objective is that row restricted to the subsample (:meth:`Subsample.of`). The kept starts
count, and each group's best comes from them; what changes is the path each kept start
takes (its first steps on the subsample), so its last digits. Measured on synthetic tables
of 2,000 and 5,000 runs (``benchmarks/fit_speed_runs.py``; its RESULTS sections): the same
optimum, parameters within 1e-6 relative, and the same law choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._format import format_grouped
from scalinglab.fit._compiled import kernel_for
from scalinglab.fit._kept import lowest_per_group
from scalinglab.fit._merge import KEEP_EVERY, MERGE_FROM, SCREEN_STEPS, _merged, solve_grid
from scalinglab.fit._objective import Array, IntArray, Objective
from scalinglab.fit._solver import SolveResult, Status, minimize
from scalinglab.laws import Law

if TYPE_CHECKING:
    from scalinglab.fit._compiled import Kernel
    from scalinglab.laws._autodiff import BoundProgram

__all__ = [
    "SCREEN_RUNS",
    "Subsample",
    "screened_on",
    "screening_note",
    "screening_runs",
    "screening_subsample",
    "solve_large",
]

#: Runs a large table's screening steps use; tables with more runs screen on this many.
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


@dataclass(frozen=True)
class Subsample:
    """The runs a large table's screening steps use, and the law bound to them.

    Attributes:
        rows: The runs (:func:`screening_runs`), indices into the table's.
        program: The law bound to those runs' variables (the solver's coordinates).
        kernel: The compiled solver's view of the law on them, or ``None``.
    """

    rows: IntArray
    program: BoundProgram
    kernel: Kernel | None

    def of(self, objective: Objective) -> Objective | None:
        """``objective`` (on every run) restricted to these runs: its targets, and its run
        weights where it has some (a row per resample or cut); ``None`` where a row of
        weights has none on them (screened on every run instead)."""
        weights = None
        if objective.weights is not None:
            weights = np.ascontiguousarray(objective.weights[:, self.rows])
            if not np.all(weights.sum(axis=1) > 0):
                return None
        return Objective(
            self.program,
            np.ascontiguousarray(objective.target[..., self.rows]),
            objective.loss,
            objective.log_space,
            weights,
            kernel=None if objective.kernel is None else self.kernel,
        )


def screening_subsample(law: Law, data: Mapping[str, Array]) -> Subsample | None:
    """The :class:`Subsample` of the runs of ``data`` (the solver's coordinates) the
    screening steps use, or ``None`` for a table of :data:`SCREEN_RUNS` runs or fewer."""
    rows = screening_runs(data, n=SCREEN_RUNS)  # read here: a benchmark sets it for a baseline
    if rows is None:
        return None
    sub = {s: np.asarray(v)[rows] for s, v in data.items()}
    return Subsample(rows, law.bind(sub), kernel_for(law, sub))


def screened_on(
    objective: Objective,
    starts: Array,
    *,
    screen_on: Objective,
    groups: IntArray,
    keep: int,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> SolveResult:
    """Every start takes :data:`SCREEN_STEPS` steps on ``screen_on``; then per group (a row
    of weights: a resample, a cut; one group for a grid) the ``keep`` of lowest objective
    there are solved on every run from where they stopped (merged as
    :func:`~scalinglab.fit._merge._merged` for a grid), and the others stop.

    Every start is ranked but those not finite where they started (so on every run too): a
    start that converged or stalled on the subsample has not on every run. A start stopped
    has status ``SCREENED``, its point after the screening steps and a NaN objective (not
    evaluated on every run); one not finite where it started is ``NONFINITE``.
    """
    S = len(starts)
    weighted = screen_on.weights is not None
    screen = minimize(
        screen_on, starts, lower=lower, upper=upper, groups=groups if weighted else None,
        max_iter=SCREEN_STEPS, threads=threads,
        progress=None if progress is None else (lambda d, _t: progress(d // 2, S)),
    )  # fmt: skip
    undefined = (screen.status == Status.NONFINITE) & (screen.n_iter == 0)
    kept = lowest_per_group(np.flatnonzero(~undefined), screen.objective, groups, keep=keep)
    n_kept = max(
        len(kept), 1
    )  # progress: the screening is the first half of S, the rest the second
    rest = None if progress is None else (lambda d, _t: progress((S + d * S // n_kept) // 2, S))
    if weighted:
        solved = minimize(
            objective, screen.theta[kept], lower=lower, upper=upper, groups=groups[kept],
            max_iter=max_iter, progress=rest, threads=threads,
        )  # fmt: skip
    else:
        solved = _merged(
            objective, screen.theta[kept], went=None, lower=lower, upper=upper,
            max_iter=max_iter, progress=rest, threads=threads,
        )  # fmt: skip
    status = np.where(undefined, Status.NONFINITE, Status.SCREENED).astype(np.int8)
    theta, f, n_iter = screen.theta.copy(), np.full(S, np.nan), screen.n_iter.copy()
    theta[kept], f[kept], status[kept] = solved.theta, solved.objective, solved.status
    n_iter[kept] += solved.n_iter
    f[undefined] = np.inf
    if progress is not None:
        progress(S, S)
    return SolveResult(theta=theta, objective=f, status=status, n_iter=n_iter, solver=solved.solver)


def solve_large(
    objective: Objective,
    starts: Array,
    *,
    screen_on: Objective | None,
    lower: Array,
    upper: Array,
    max_iter: int,
    progress: Callable[[int, int], None] | None,
    threads: int | None,
) -> tuple[SolveResult, int | None]:
    """Solve a grid as :func:`~scalinglab.fit._merge.solve_grid`, with its screening steps
    on ``screen_on`` (:meth:`Subsample.of`) where given and the grid is screened
    (:func:`screened_on`, keeping ``1 / KEEP_EVERY`` of the starts); also the number of
    runs the screening used (``None``: every run, as ``solve_grid``)."""
    S = len(starts)
    if screen_on is None or S < MERGE_FROM or max_iter <= SCREEN_STEPS:
        solved = solve_grid(
            objective, starts, lower=lower, upper=upper, max_iter=max_iter,
            progress=progress, threads=threads,
        )  # fmt: skip
        return solved, None
    solved = screened_on(
        objective, starts, screen_on=screen_on, groups=np.zeros(S, dtype=np.int64),
        keep=math.ceil(S / KEEP_EVERY), lower=lower, upper=upper, max_iter=max_iter,
        progress=progress, threads=threads,
    )  # fmt: skip
    return solved, screen_on.target.shape[-1]


def screening_note(
    screened_on: int | None,
    status: np.ndarray,
    n_runs: int,
    variables: Iterable[str],
    *,
    resampled: tuple[int, int, int, int] | None = None,
) -> list[str]:
    """The notes of a fit whose screening ran on a subsample of its runs: its grid's
    (``screened_on`` runs; ``None``: on every run) and its bootstrap's (``resampled``: the
    runs, resamples, starts per resample and those kept of each; ``None``: on every run)."""
    notes, spread = [], f"(spread over {', '.join(sorted(variables))})"
    if screened_on is not None:
        solved = int(np.count_nonzero(status != Status.SCREENED))
        notes.append(
            f"the {len(status)} starts took their screening steps on {screened_on} of the "
            f"{n_runs} runs {spread}; the {solved} of lowest objective were solved on every run"
        )
    if resampled is not None:
        on, n, per, keep = resampled
        runs = (
            f"those {on} runs too" if on == screened_on else f"{on} of the {n_runs} runs {spread}"
        )
        notes.append(
            f"the {format_grouped(n)} bootstrap resamples took their screening steps on {runs}, each on its "
            f"draws among them; of each resample's {per} starts the {keep} of lowest objective "
            "there were solved on all its draws"
        )
    return notes
