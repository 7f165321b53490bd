"""Short reprs of the hyperparameter results (:mod:`scalinglab._repr` says why): each law's
formula and coefficients, the cells' count, the optimum with its interval; never the runs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._format import format_g
from scalinglab._hparams_numbers import regret_pcts
from scalinglab._repr import clip, coefs, num, span

if TYPE_CHECKING:
    from scalinglab.hparams import (
        CellOptimum,
        CriticalBatchPreset,
        HparamBacktest,
        HparamFit,
        HparamLaw,
        HparamLawChoice,
        HparamPrediction,
        HparamPreset,
        Sweep,
    )

__all__ = [
    "backtest",
    "cell",
    "choice",
    "critical_preset",
    "fit",
    "law",
    "prediction",
    "preset",
    "sweep",
]


def _at(value: float, interval: tuple[float, float]) -> str:
    if all(math.isnan(x) for x in interval):
        return num(value)
    return f"{num(value)} {span(*interval)}"


def sweep(s: Sweep) -> str:
    columns = ", ".join(f"{k}={v!r}" for k, v in s.columns.items())
    return (
        f"Sweep({len(s.table)} runs in {s.n_cells} cells by {', '.join(s.by)}, {columns}, "
        f"seq_len={s.seq_len}, source={clip(s.table.source)})"
    )


def cell(c: CellOptimum) -> str:
    batch = "" if math.isnan(c.batch) else f", B*={_at(c.batch, c.batch_interval)}"
    if batch and not c.two_d:  # the one batch its runs used, not a located optimum
        batch = f", batch={num(c.batch)} (fixed)"
    return (
        f"CellOptimum({c.label()}: lr*={_at(c.lr, c.lr_interval)}{batch}, "
        f"{c.n_runs} runs, {len(c.diverged)} diverged, status={clip(c.status, 40)})"
    )


def law(h: HparamLaw) -> str:
    return (
        f"HparamLaw({h.target}: {h.formula!r}, {coefs(h.coefs)}, status={h.status!r}, "
        f"cells={h.n_cells})"
    )


def _formula(h: HparamLaw | None) -> str:
    return "none" if h is None else f"{h.formula!r} ({coefs(h.coefs)})"


def fit(f: HparamFit) -> str:
    return (
        f"HparamFit(lr*: {_formula(f.lr_law)}; B*: {_formula(f.batch_law)}; "
        f"{len(f.used)} of {len(f.cells)} cells used, source={clip(f.source, 40)})"
    )


def choice(c: HparamLawChoice) -> str:
    return (
        f"HparamLawChoice(lr_law={c.lr_law!r}, batch_law={c.batch_law!r}, "
        f"{len(c.candidates)} candidates, n_scored={c.n_scored}, verdict={clip(c.verdict)})"
    )


def prediction(p: HparamPrediction) -> str:
    batch = (
        "" if math.isnan(p.batch) else f", batch={_at(p.batch, p.batch_interval)} {p.batch_unit}"
    )
    loss = "" if math.isnan(p.loss) else f", loss={_at(p.loss, p.loss_interval)}"
    level = "" if math.isnan(p.level) else f", level={p.level:g}"  # a preset has none
    return (
        f"HparamPrediction(params={format_g(p.params, 4)}, tokens={format_g(p.tokens, 4)}: "
        f"lr={_at(p.lr, p.lr_interval)}{batch}{loss}{level})"
    )


def backtest(b: HparamBacktest) -> str:
    # as the summary table writes them: each told apart from every method's
    medians = regret_pcts([b.summary(m)["median_regret"] for m in b.methods])
    regret = ", ".join(f"{m}: {r}" for m, r in zip(b.methods[:4], medians, strict=False))
    held = len({s.cell for s in b.held_out})
    return (
        f"HparamBacktest(holdout={b.holdout!r}, {held} held-out cells, "
        f"{len(b.fitted_cells)} fitted, median regret {{{regret}}})"
    )


def preset(p: HparamPreset) -> str:
    """A published rule: its formulas as the paper writes them and what they read, the
    citation cut short (the dataclass repr showed the rules as ``<function <lambda> at
    0x...>`` and every convention, 700-900 characters)."""
    return (
        f"HparamPreset(name={p.name!r}, lr={p.lr_formula!r}, batch={p.batch_formula!r}, "
        f"reads={', '.join(p.reads)}, citation={clip(p.citation)})"
    )


def critical_preset(p: CriticalBatchPreset) -> str:
    """A published critical-batch rule: its formula and the loss it reads, cut short."""
    return (
        f"CriticalBatchPreset(name={p.name!r}, batch={p.batch_formula!r}, "
        f"dataset={p.dataset!r}, citation={clip(p.citation)})"
    )
