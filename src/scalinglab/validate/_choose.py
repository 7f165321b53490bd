"""Law choice by backtest: which catalog law extrapolates best on the training scales.

::

    choice = choose_law(runs)          # rolling-origin cuts in N·D, each law fitted below
    choice.chosen, choice.reason       # "chinchilla", "median over 3 rolling-origin cuts ..."

Every candidate is fitted below the same cuts (of the 50 ... 90% quantiles of the runs' log
size ``N·D``, params times tokens, not FLOPs; or of the one variable) and scored on every run above each cut by the
absolute relative error of its prediction (ARE). The cuts are those every candidate's
calibrated interval counts (:func:`scalinglab.fit._extrapolation.admitted_cuts`): 2 runs
per parameter below (runs at distinct points of the law's variables: replicates measure
noise, not scaling), and where the full fit has 5 per parameter only the cuts fitted on as
many, since a cut fitted on fewer misses by parameter error the full fit does not have
(``fit/_calibrated.py``). On the bundled default runs the cuts fitted on 15 and 18 runs
alone made the over-training law look "clearly better" than Chinchilla's, which the cuts on
21-27 runs, and ``backtest`` on the top decile, do not. Every law is scored on the same runs.

Each cut is one vote, as in the calibration: a law's score is the median over cuts of its
median ARE at each cut (pooled, the lowest cut, with the most runs above it, had 16 of the
50 predictions on the bundled runs). The chosen law has the lowest score; laws within
:data:`TIE_RTOL` of it tie and the tie goes to the fewest parameters, the rule ``backtest``
names its winner by (:mod:`._tie` says why). Each cut's fit uses a seeded subset of 64 points
of the law's start grid (the first 10 of them for laws the compiled solver does not take),
100 solver steps and no bootstrap (on the bundled runs these reach the full fit's optimum);
a law's cuts are solved in one batch (:mod:`scalinglab.fit._cuts`).

Cost (CPU seconds, best of 3 in a fresh process, shared 2-core AMD EPYC, AVX2 build, load
2.4-2.9; benchmarks/RESULTS.md, "law-choice hint"): 0.18-0.23 on the bundled default runs
(Chinchilla's, the over-training law's and Kaplan's cuts about 0.08, 0.07 and 0.015), 0.34-0.39
on the 240 Chinchilla points (0.15, 0.14, 0.027). Every law's cuts run on the compiled solver
where it is built, Kaplan's on its Kaplan kernel (before: Kaplan's on the NumPy solver with
the generic autodiff, 0.28-0.36 and 1.0-1.2 of totals 0.47-0.75 and 1.45-1.90). What is left
is the compiled solver's steps (on the bundled runs most of the 64 starts run all 100).
On a table of more than 1,000 runs each cut's 64 starts take their screening steps on 1,000
of the runs and the 8 lowest are solved on all the cut's runs (:mod:`scalinglab.fit._cuts`;
the reason says so): 1.3 -> 0.2 CPU s on 5,000 synthetic runs, the same choice and scores
(benchmarks/RESULTS.md, "the law comparison and the bootstrap").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import DataError, ScalingLabError
from scalinglab._format import format_counted, format_g
from scalinglab._keywords import keywords_checked
from scalinglab._quantiles import median
from scalinglab._scales import cut_size
from scalinglab.data import RunTable
from scalinglab.data._readers import RunsLike, to_table
from scalinglab.data._schema import Y_OPTION
from scalinglab.data._table import check_enough_runs
from scalinglab.data._training_data import mixed_training_data
from scalinglab.fit._columns import check_spread, law_columns
from scalinglab.fit._cuts import fit_cuts
from scalinglab.fit._extrapolation import (
    ANALOG_RUNS_PER_PARAM,
    RUNS_PER_PARAM,
    admitted_cuts,
    rolling_cuts,
)
from scalinglab.fit._identified import unidentified_by_design
from scalinglab.fit._merge import KEEP_EVERY
from scalinglab.fit._points import distinct_points
from scalinglab.fit._terms import power_sum
from scalinglab.laws import Law, get_law
from scalinglab.validate._choose_inputs import (
    CANDIDATES,
    Candidates,
    axis_of,
    axis_said,
    candidates,
    deltas,
    read_as,
    said,
)
from scalinglab.validate._law_choice import CLEARLY_BETTER, LawChoice, fallback_choice
from scalinglab.validate._one_valued import one_valued
from scalinglab.validate._tie import TIE_RTOL, tie_break, tie_said

__all__ = ["CANDIDATES", "CLEARLY_BETTER", "TIE_RTOL", "LawChoice", "choose_law"]

_STARTS = 64
#: Starts for laws that are not sums of power terms (Kaplan's, whose cut fits ran on the
#: NumPy solver when this was set; now on the compiled one's Kaplan kernel where built):
#: the first of the 64 drawn (the draws, and so the other laws' starts, are unchanged). On the four bundled data sets and the 240 Chinchilla
#: points 10 reach the 64's optima (scores equal to 1e-8, tests/test_validate_choose.py);
#: 8 miss one on the simulated ladder. 10 instead of 16: Kaplan's cuts cost ~35% less (then
#: most of the hint's time on the Chinchilla points; see the module docstring for now).
_STARTS_NUMPY = 10
_MAX_ITER = 100


@keywords_checked("scalinglab.validate.choose_law")
def choose_law(
    runs: RunsLike,
    *,
    laws: Sequence[str] | None = None,
    y: str = "loss",
    seed: int = 0,
    delta: float | Mapping[str, float] = HUBER_DELTA,
    x: Mapping[str, str] | None = None,
    fallback: bool = False,
) -> LawChoice:
    """Choose among catalog laws by rolling-origin extrapolation error on these runs.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by ``read_runs``.
        laws: Candidates (names or formulas); default :data:`CANDIDATES` for the columns
            the runs have (the one-variable laws of tokens, or of params, where the other
            is the same in every run).
        y: Column holding the loss.
        seed: Seed of the start subsets.
        delta: Scale of the Huber loss the cuts are fitted with: one for every law (``fit``'s
            default, ``1e-3``), or one per candidate name, so that each law is scored as it
            will be fitted (a downstream chain fits its loss law at the data's own scale).
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it (``{"N":
            "params_no_embed"}``): every candidate reads that column for the symbol.
        fallback: Where the runs have too few scales for one cut, return the first
            candidate that can be fitted, compared with none (:func:`fallback_choice`: what
            ``"auto"`` fits there), instead of raising.

    Returns:
        Each candidate's score, and the law chosen.

    Raises:
        DataError: When the runs have too few scales for one cut (unless ``fallback``), or
            no candidate can be fitted below the cuts (the message gives each candidate's
            reason).
    """
    table = read_as(to_table(runs, x=x, y=y, loss_option=Y_OPTION), x)
    given = Candidates(tuple(laws)) if laws else candidates(table)
    warned = mixed_training_data(table.labels)  # pooled corpora: as fit and backtest warn
    names = given.laws
    forms = [get_law(n) for n in names]
    scales = deltas(delta, names)
    size = {n: len(f.params) for n, f in zip(names, forms, strict=True)}
    columns = sorted({c for f in forms for c in f.variables.values()})
    axis = axis_of(table, columns)
    failed = _spread(forms, names, table)  # law -> why it is not scored
    if len(failed) == len(names):  # the reason, before any cut's: one value, said once
        one = one_valued(table, forms, names, note=given.note)
        raise one or _none_fitted(table, failed, given, where="on these runs")
    points = {
        n: distinct_points({c: table[c] for c in f.variables.values()})
        for n, f in zip(names, forms, strict=True)
    }
    cuts, left = _cuts(axis, {k: v for k, v in size.items() if k not in failed}, points)
    if not cuts:
        need = RUNS_PER_PARAM * max(v for k, v in size.items() if k not in failed)
        why = (
            f"too few scales to compare laws by backtest: no cut in {axis_said(columns)} leaves "
            f"{need} runs at distinct points ({RUNS_PER_PARAM} per parameter of the largest law) "
            "below it" + (f" ({given.note})" if given.note else "")
        )
        if fallback:
            return fallback_choice(tuple(k for k in names if k not in failed), why, warnings=warned)
        raise DataError(
            why,
            source=table.source,
            hint="name a law with --law, or add runs at more scales",
        )
    errors: dict[str, list[float]] = {n: [] for n in names}  # each cut's median ARE
    rng = np.random.default_rng(seed)
    masks = [axis < cut - 1e-9 for cut in cuts]
    starts: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for below in masks:  # the start subsets, drawn cut by cut and law by law
        train = table.select(below)
        for name, form in zip(names, forms, strict=True):
            if name in failed:  # no more draws for it, as when each cut was fitted in turn
                continue
            try:  # as fit() refuses these runs: too few, or one value of a variable
                check_enough_runs(train, len(form.params), law_name=form.name)
                check_spread(form, train, law_columns(form, train, None))
            except ScalingLabError as err:
                failed[name] = f"below the cut with {len(train)} runs, {said(err)}"
                continue
            data = {s: train[c] for s, c in form.variables.items()}
            if unidentified_by_design(form, data):  # a valley of equal fits below this cut:
                failed[name] = _UNIDENTIFIED  # its error there is where the solver stopped
                continue
            grid = form.start_grid(data, train[y])
            pick = rng.choice(len(grid), size=min(_STARTS, len(grid)), replace=False)
            if power_sum(form) is None:  # the NumPy solver's laws: the first of those starts
                pick = pick[:_STARTS_NUMPY]
            starts[name].append(grid[pick])
    n = int(sum((~below).sum() for below in masks))
    screened: int | None = None  # the runs a large table's cut fits screened on
    for name, form in zip(names, forms, strict=True):
        if name in failed:
            continue
        # every cut of a law in one batched solve (a cut is a row of run weights)
        thetas, on = fit_cuts(
            form, table, masks, starts[name], y=y, delta=scales[name], max_iter=_MAX_ITER
        )
        screened = on or screened
        for below, theta in zip(masks, thetas, strict=True):
            if theta is None:
                failed[name] = f"every start failed below the cut with {below.sum()} runs"
                break
            test = table.select(~below)
            new = {s: test[c] for s, c in form.variables.items()}
            predicted = np.asarray(form.evaluate(theta, new), dtype=np.float64)
            errors[name].append(median(list(np.abs(predicted - test[y]) / test[y])))
    scores = {k: (math.nan if k in failed else median(v)) for k, v in errors.items()}
    chosen, tied = tie_break(scores, size)
    if chosen is None:
        raise _none_fitted(table, failed, given, where="below the rolling cuts")
    shown = ", ".join(
        f"{k} {v:.2%}" if math.isfinite(v) else f"{k} {_said_short(failed[k])}"
        for k, v in scores.items()
    )
    why = (
        "the lowest"
        if len(tied) == 1
        else f"tied within {TIE_RTOL:.0%}, {tie_said(chosen, tied, scores, size, counted=False)}"
    )
    at = ""
    if not isinstance(delta, float | int):  # say which scale each law was scored at
        at = "; Huber delta " + ", ".join(f"{k} {format_g(v, 3)}" for k, v in scales.items())
    out = (
        f"; {format_counted(left, 'cut')} not counted, fitted on under {ANALOG_RUNS_PER_PARAM} runs per "
        "parameter of a law whose calibrated interval does not count them"
        if left
        else ""
    )
    cut_s = f"{len(cuts)} rolling-origin cut" + "s" * (len(cuts) > 1)
    reason = (
        f"median extrapolation error over {cut_s}, each cut one vote (the median of each "
        f"cut's median; {n} held-out predictions{out}): {shown}; {chosen}: {why}{at}"
        + (f"; {given.note}" if given.note else "")
        + (_screened_said(screened, len(table)) if screened else "")
    )
    unknown = tuple(k for k, v in failed.items() if v == _UNIDENTIFIED)
    return LawChoice(chosen, scores, n, tuple(map(cut_size, cuts)), reason, tied=tied,
                     unidentified=unknown, warnings=warned)  # fmt: skip


def _cuts(
    axis: np.ndarray, size: Mapping[str, int], points: Mapping[str, np.ndarray]
) -> tuple[list[float], int]:
    """The cuts every candidate's calibrated interval counts (:func:`admitted_cuts`, a cut
    scoring the runs above it; each law's runs counted as distinct points of its variables,
    ``points``), and how many with 2 runs per parameter of the largest law are left out."""

    def held(cut: float) -> int:
        return int((axis >= cut - 1e-9).sum())

    big = max(size, key=lambda k: size[k])
    every = rolling_cuts(axis, need=RUNS_PER_PARAM * size[big], points=points[big])
    kept = set(every)
    for name, k in size.items():
        kept &= set(admitted_cuts(axis, n_params=k, scored=held, points=points[name])[0])
    return sorted(kept), len(every) - len(kept)


def _spread(forms: Sequence[Law], names: Sequence[str], table: RunTable) -> dict[str, str]:
    """Law -> why it cannot be fitted to any of these runs: a variable of one value."""
    failed = {}
    for name, form in zip(names, forms, strict=True):
        try:
            check_spread(form, table, law_columns(form, table, None))
        except ScalingLabError as err:
            failed[name] = said(err)
    return failed


def _none_fitted(
    table: RunTable, failed: Mapping[str, str], given: Candidates, *, where: str
) -> DataError:
    """The error when no candidate can be fitted: each one's reason."""
    return DataError(
        f"no candidate law can be fitted {where}: "
        + "; ".join(f"{k}: {v}" for k, v in failed.items())
        + (f" ({given.note})" if given.note else ""),
        source=table.source,
        hint="name a law with --law",
    )


_UNIDENTIFIED = "not identified below a cut"


def _screened_said(on: int, n_runs: int) -> str:
    """How a large table's cut fits screened their starts (:mod:`scalinglab.fit._cuts`)."""
    return (
        f"; the cut fits took their screening steps on {on} of the {n_runs} runs, and the "
        f"1/{KEEP_EVERY} of each cut's starts of lowest objective there were solved on all its runs"
    )


def _said_short(why: str) -> str:
    return why if why == _UNIDENTIFIED else "failed"
