"""Law choice by backtest: which catalog law extrapolates best on the training scales.

::

    choice = choose_law(runs)          # rolling-origin cuts in N·D, each law fitted below
    choice.chosen, choice.reason       # "overtraining", "median extrapolation error 0.41% ..."

Every candidate is fitted below the same cuts (the 50 ... 90% quantiles of the runs' log
compute ``N·D``, or of the one variable) and scored on every run above each cut by the
absolute relative error of its prediction (ARE); cuts where the law with most parameters has
fewer than 2 runs per parameter below are skipped for all, so every law is scored on the
same runs. The chosen law has the lowest median ARE; laws within :data:`TIE_RTOL` of it tie
and the tie goes to the fewest parameters. Each cut's fit uses a seeded subset of 64 points
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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import ConfigError, DataError, ScalingLabError
from scalinglab._quantiles import median
from scalinglab.data import RunTable
from scalinglab.data._readers import RunsLike, to_table
from scalinglab.data._table import check_enough_runs
from scalinglab.fit._columns import check_spread, law_columns
from scalinglab.fit._cuts import fit_cuts
from scalinglab.fit._extrapolation import RUNS_PER_PARAM, rolling_cuts
from scalinglab.fit._identified import unidentified_by_design
from scalinglab.fit._terms import power_sum
from scalinglab.laws import get_law
from scalinglab.validate import _repr

__all__ = ["CANDIDATES", "CLEARLY_BETTER", "LawChoice", "choose_law"]

#: Catalog laws tried, by the variables the runs have.
CANDIDATES: Mapping[tuple[str, ...], tuple[str, ...]] = {
    ("params", "tokens"): ("chinchilla", "overtraining", "kaplan"),
    ("params",): ("power-law-plus-constant", "power-law", "kaplan-n"),
}
#: Median AREs within this relative distance of the best tie (fewest parameters wins).
TIE_RTOL = 0.05
#: Another law "backtests clearly better" when its median ARE is below this fraction.
CLEARLY_BETTER = 0.75
_STARTS = 64
#: Starts for laws that are not sums of power terms (Kaplan's, whose cut fits ran on the
#: NumPy solver when this was set; now on the compiled one's Kaplan kernel where built):
#: the first of the 64 drawn (the draws, and so the other laws' starts, are unchanged). On the four bundled data sets and the 240 Chinchilla
#: points 10 reach the 64's optima (scores equal to 1e-8, tests/test_validate_choose.py);
#: 8 miss one on the simulated ladder. 10 instead of 16: Kaplan's cuts cost ~35% less (then
#: most of the hint's time on the Chinchilla points; see the module docstring for now).
_STARTS_NUMPY = 10
_MAX_STEPS = 100


@dataclass(frozen=True)
class LawChoice:
    """The candidates' rolling-origin errors and the law chosen.

    Attributes:
        chosen: The law with the lowest median ARE (ties to the fewest parameters).
        scores: Law -> median ARE over the held-out runs of every cut (NaN: a fit failed).
        n_scored: Held-out predictions behind each score (the same for every law).
        cuts: Compute (or variable) value of each cut used.
        reason: What was compared and why the choice, in one line.
    """

    chosen: str
    scores: Mapping[str, float]
    n_scored: int
    cuts: tuple[float, ...]
    reason: str

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.law_choice(self)

    def better_than(self, law: str) -> str | None:
        """The law that backtests clearly better than ``law`` (by :data:`CLEARLY_BETTER`)."""
        mine = self.scores.get(law, math.nan)
        best = self.scores.get(self.chosen, math.nan)
        if self.chosen != law and math.isfinite(best) and best < CLEARLY_BETTER * mine:
            return self.chosen
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "chosen": self.chosen,
            "scores": {k: v if math.isfinite(v) else None for k, v in self.scores.items()},
            "n_scored": self.n_scored,
            "cuts": list(self.cuts),
            "reason": self.reason,
        }


def choose_law(
    runs: RunsLike,
    *,
    laws: Sequence[str] | None = None,
    y: str = "loss",
    seed: int = 0,
    delta: float | Mapping[str, float] = HUBER_DELTA,
    x: Mapping[str, str] | None = None,
) -> LawChoice:
    """Choose among catalog laws by rolling-origin extrapolation error on these runs.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by ``read_runs``.
        laws: Candidates (names or formulas); default :data:`CANDIDATES` for the columns
            the runs have.
        y: Column holding the loss.
        seed: Seed of the start subsets.
        delta: Scale of the Huber loss the cuts are fitted with: one for every law (``fit``'s
            default, ``1e-3``), or one per candidate name, so that each law is scored as it
            will be fitted (a downstream chain fits its loss law at the data's own scale).
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it (``{"N":
            "params_no_embed"}``): every candidate reads that column for the symbol.

    Raises:
        DataError: When the runs have too few scales for one cut.
    """
    table = _read_as(to_table(runs, x=x, y=y), x)
    names = tuple(laws) if laws else _candidates(table)
    forms = [get_law(n) for n in names]
    deltas = _deltas(delta, names)
    columns = sorted({c for f in forms for c in f.variables.values()})
    axis = _axis(table, columns)
    need = RUNS_PER_PARAM * max(len(f.params) for f in forms)
    cuts = rolling_cuts(axis, need=need)
    if not cuts:
        raise DataError(
            f"too few scales to compare laws by backtest: no cut in compute leaves {need} runs "
            f"({RUNS_PER_PARAM} per parameter of the largest law) below it",
            source=table.source,
            hint="name a law with --law, or add runs at more scales",
        )
    errors: dict[str, list[float]] = {n: [] for n in names}
    failed: set[str] = set()
    unidentified: set[str] = set()
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
            except ScalingLabError:
                failed.add(name)
                continue
            data = {s: train[c] for s, c in form.variables.items()}
            if unidentified_by_design(form, data):  # a valley of equal fits below this cut:
                failed.add(name)  # its error there is where the solver stopped (build-dependent)
                unidentified.add(name)
                continue
            grid = form.start_grid(data, train[y])
            pick = rng.choice(len(grid), size=min(_STARTS, len(grid)), replace=False)
            if power_sum(form) is None:  # the NumPy solver's laws: the first of those starts
                pick = pick[:_STARTS_NUMPY]
            starts[name].append(grid[pick])
    for name, form in zip(names, forms, strict=True):
        if name in failed:
            continue
        # every cut of a law in one batched solve (a cut is a row of run weights)
        thetas = fit_cuts(
            form, table, masks, starts[name], y=y, delta=deltas[name], max_steps=_MAX_STEPS
        )
        for below, theta in zip(masks, thetas, strict=True):
            if theta is None:  # every start failed below this cut
                failed.add(name)
                break
            test = table.select(~below)
            new = {s: test[c] for s, c in form.variables.items()}
            actual = test[y]
            predicted = np.asarray(form.evaluate(theta, new), dtype=np.float64)
            errors[name] += list(np.abs(predicted - actual) / actual)
    n = len(next(iter(errors.values()))) if not failed else max(len(v) for v in errors.values())
    scores = {k: (math.nan if k in failed else median(v)) for k, v in errors.items()}
    ok = {k: v for k, v in scores.items() if math.isfinite(v)}
    if not ok:
        raise ConfigError(
            "every candidate law failed to fit below the rolling cuts",
            hint="name a law with --law",
        )
    best = min(ok.values())
    tied = [k for k, v in ok.items() if v <= best * (1 + TIE_RTOL)]
    size = {n: len(f.params) for n, f in zip(names, forms, strict=True)}
    chosen = min(tied, key=lambda k: (size[k], ok[k]))
    shown = ", ".join(
        f"{k} {v:.2%}"
        if math.isfinite(v)
        else f"{k} {'not identified below a cut' if k in unidentified else 'failed'}"
        for k, v in scores.items()
    )
    why = "the lowest" if len(tied) == 1 else f"tied within {TIE_RTOL:.0%}, fewest parameters"
    at = ""
    if not isinstance(delta, float | int):  # say which scale each law was scored at
        at = "; Huber delta " + ", ".join(f"{k} {v:.3g}" for k, v in deltas.items())
    reason = (
        f"median extrapolation error over {len(cuts)} rolling-origin cuts ({n} held-out "
        f"predictions): {shown}; {chosen}: {why}{at}"
    )
    return LawChoice(chosen, scores, n, tuple(10.0**c for c in cuts), reason)


def _deltas(delta: float | Mapping[str, float], names: Sequence[str]) -> dict[str, float]:
    """Each candidate's Huber scale: the one given, or its entry of the mapping."""
    if isinstance(delta, float | int):
        chosen = dict.fromkeys(names, float(delta))
    else:
        missing = [n for n in names if n not in delta]
        if missing:
            raise ConfigError(
                f"no Huber delta given for law(s) {', '.join(missing)}",
                hint="give delta as one number, or one per candidate law",
            )
        chosen = {n: float(delta[n]) for n in names}
    bad = {n: d for n, d in chosen.items() if not (math.isfinite(d) and d > 0)}
    if bad:
        raise ConfigError(f"Huber delta must be a positive number, got {bad}")
    return chosen


def _candidates(table: RunTable) -> tuple[str, ...]:
    for columns, laws in CANDIDATES.items():
        if all(table.has(c) for c in columns):
            return laws
    raise ConfigError(
        "law auto needs a params column (and tokens for two-variable laws)",
        hint="name a law with --law, or map columns with --map",
    )


def _axis(table: RunTable, columns: Sequence[str]) -> np.ndarray:
    """Log10 of the cut axis: params·tokens when both are used, else the one column."""
    if "params" in columns and "tokens" in columns:
        return np.asarray(np.log10(table["params"] * table["tokens"]), dtype=np.float64)
    return np.asarray(np.log10(np.prod([table[c] for c in columns], axis=0)), dtype=np.float64)


def _read_as(table: RunTable, x: Mapping[str, str] | None) -> RunTable:
    """``table`` with each symbol's default column (``N``: ``params``) holding the column
    ``x`` names for it, so that every candidate law reads what the fit will read."""
    from dataclasses import replace

    from scalinglab.laws._base import DEFAULT_COLUMNS

    moved = {
        DEFAULT_COLUMNS[s]: table[c]
        for s, c in (x or {}).items()
        if s in DEFAULT_COLUMNS and c != DEFAULT_COLUMNS[s]
    }
    return replace(table, columns={**table.columns, **moved}) if moved else table
