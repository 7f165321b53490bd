"""The hyperparameter page's tables: the located optima, the laws across cells, the
held-out regret, and the lines that say what their intervals and variables are.

Every interval column names its level and kind (``lr* 90% bootstrap interval``) and a line
beside the table says how many resamples drew it, as the loss-law page's status line does; the
laws' variables are defined on the page (which parameters N counts, what C is), so a reader
can use ``B* = B·C^γ`` without the fit's JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._format import column_form, format_level, format_number
from scalinglab._hparams_numbers import regret_pcts
from scalinglab._no_intervals import no_intervals_line
from scalinglab.hparams._bracket import shown_status
from scalinglab.hparams._choice import CHOICE_HEADER, HparamLawChoice, choice_rows, choice_title
from scalinglab.hparams._fixed_batch import batch_header
from scalinglab.hparams._holdout import held_said
from scalinglab.hparams._laws import OPTIMUM
from scalinglab.hparams._spread import loss_interval_missing
from scalinglab.report._html_parts import (
    escape,
    human,
    kept_said,
    notes_list,
    span,
    warnings_list,
)

if TYPE_CHECKING:
    from scalinglab.hparams import HparamBacktest, HparamFit, Sweep

__all__ = [
    "cells_table",
    "intervals_line",
    "kept",
    "laws_table",
    "regret_table",
    "resamples",
    "variables_line",
]

NUM = " class='num'"
"""A number's cell: right-aligned in tabular figures (the page's style sheet), as every
report table writes its numbers."""


def resamples(hp: HparamFit) -> int:
    """The bootstrap resamples the fit drew (its ``bootstrap`` setting; 0: none)."""
    n = hp.settings.get("bootstrap", 0)
    return n if isinstance(n, int) else 0


def kept(hp: HparamFit, *, laws: bool) -> list[int]:
    """The resamples each interval kept (a failed one is left out): each law's, or each
    used cell's (``[]``: not known, a fit read back without the cells' draws)."""
    if laws:
        fitted = (hp.lr_law, hp.batch_law, hp.loss_law)
        return [len(f.samples) for f in fitted if f is not None and f.samples is not None]
    drawn = [hp.cells[i].samples for i in hp.used]
    if any(d is None for d in drawn):
        return []
    return [int(np.isfinite(d).all(axis=1).sum()) for d in drawn if d is not None]


def intervals_line(hp: HparamFit, *, laws: bool = False) -> str:
    """What the intervals beside it are: level, kind and the resamples that drew them (a
    cell's runs resampled; ``laws``: each law refitted to every resample's optima)."""
    n = resamples(hp)
    if not hp.has_intervals:
        said = no_intervals_line(requested=n, ask=HPARAMS_BOOTSTRAP)  # hparams fit's default
        return f"<p class='notes'>{escape(said)}.</p>"
    how = (
        "each law refitted to the cells' optima of every resample"
        if laws
        else "each cell's runs resampled with replacement and its surface refitted"
    )
    seed = hp.settings.get("seed")
    said = kept_said(n, kept(hp, laws=laws), per=" per law" if laws else " per cell")
    return (
        f"<p class='notes'>Intervals: {format_level(hp.level)} bootstrap percentile intervals "
        f"over {escape(said)} ({how}; seed {escape(seed)}).</p>"
    )


def variables_line(hp: HparamFit, sweep: Sweep) -> str:
    """The laws' variables in words: which parameters N counts (the fit's
    ``params_convention``), the tokens D, and C where a law uses it."""
    formulas = " ".join(
        law.formula for law in (hp.lr_law, hp.batch_law, hp.loss_law) if law is not None
    )
    parts = []
    if re.search(r"\bN\b", formulas):
        parts.append(f"N: {hp.params_convention or 'not recorded (a fit saved before it was)'}")
    if re.search(r"\bD\b", formulas):
        parts.append("D: training tokens of the cell")
    if re.search(r"\bC\b", formulas):
        parts.append(f"C: training FLOPs of the cell: {sweep.table.flops_convention}")
    return f"<p class='data'>Variables: {escape('; '.join(parts))}.</p>" if parts else ""


def cells_table(hp: HparamFit) -> str:
    """The located optimum of every cell, with its intervals and status."""
    # the batch columns as hparams fit heads them: B*, the sweep's fixed batch, or none
    batch = batch_header(hp.cells, hp.batch_unit)
    banded = hp.has_intervals  # no interval columns of "—" alone (--bootstrap 0)
    interval = (f"{format_level(hp.level)} bootstrap interval",) if banded else ()
    head: tuple[str, ...] = ("cell", "runs", "diverged", "lr*", *interval)
    head += () if batch is None else (batch, *interval) if batch.startswith("B*") else (batch,)
    head += ("loss*", "status")
    rows = []
    # each column's numbers to one number of decimals: lr* 0.00100 beside 0.00215 (was 0.001)
    lr = column_form(c.lr for c in hp.cells)
    ends = column_form(v for c in hp.cells for v in c.lr_interval)
    for c in hp.cells:
        cells: list[object] = [c.label(), c.n_runs, len(c.diverged), lr(c.lr)]
        if banded:
            cells.append(span(*c.lr_interval, ends))  # "—" without one
        if batch is not None:
            cells.append(_count(c.batch))  # as the CLI prints B*: 191K tokens
            if banded and batch.startswith("B*"):
                cells.append(span(*c.batch_interval, _count))
        cells += [f"{c.loss:.4f}"]
        # numbers right-aligned as every other table's; the cell's name and status as text
        tds = [f"<td{'' if k == 0 else NUM}>{escape(v)}</td>" for k, v in enumerate(cells)]
        status = shown_status(c)  # and "; lr* known only to the grid"
        rows.append("<tr>" + "".join(tds) + f"<td>{escape(status)}</td></tr>")
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _count(value: float) -> str:
    """A batch size (tokens or sequences) in the units people use, as the CLI prints it."""
    return human(value, "tokens")


def _ratio(value: float) -> str:
    """A pred/located ratio; '—' for a method that predicted no batch (scored on lr only)."""
    return f"{value:.2f}" if math.isfinite(value) else "—"


def laws_table(hp: HparamFit) -> str:
    """The lr*, B* and loss* laws' coefficients with their intervals, and the law choice."""
    banded = hp.has_intervals  # no interval column of "—" alone (--bootstrap 0)
    rows = []
    for law in (hp.lr_law, hp.batch_law, hp.loss_law):
        if law is None:
            continue
        # the law written once, over its coefficients' rows
        rows.append(
            f"<tr><th scope='rowgroup' colspan='{3 if banded else 2}'>"
            f"{OPTIMUM[law.target]} = {escape(law.formula)}</th></tr>"
        )
        for name, value in law.coefs.items():
            lo, hi = law.intervals[name]
            ends = f"<td{NUM}>{span(lo, hi, lambda v: format_number(v, 4))}</td>" if banded else ""
            rows.append(
                f"<tr><td>{escape(name)}</td><td{NUM}>{format_number(value, 4)}</td>{ends}</tr>"
            )
    interval = f"<th>{format_level(hp.level)} bootstrap interval</th>" if banded else ""
    return (
        f"<table><thead><tr><th>coef</th><th>value</th>{interval}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + _choice_html(hp.law_choice, where="the fitted cells")
        + _loss_law_bare(hp)
    )


def _choice_html(choice: HparamLawChoice | None, *, where: str) -> str:
    """The law choice as ``hparams fit --law auto`` prints it: the candidates' table
    (:func:`~scalinglab.hparams._choice.choice_rows`, under its title), then the verdict;
    the reason alone where no choice was made (too few model sizes); ``""`` without one."""
    if choice is None:
        return ""
    rows = choice_rows(choice)
    if not rows:
        return f"<p>Law choice on {escape(where)}: {escape(choice.reason)}.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in CHOICE_HEADER)
    body = "".join(
        f"<tr><td>{escape(lr)}</td><td>{escape(b)}</td><td{NUM}>{k}</td>"
        f"<td{NUM}>{escape(score)}</td><td>{mark}</td></tr>"
        for lr, b, k, score, mark in rows
    )
    title = choice_title(choice, where=where)
    return (
        f"<p>{escape(title[0].upper() + title[1:])}:</p>"
        f"<table class='law-choice'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p>Law choice: {escape(choice.verdict)}.</p>"
    )


def _loss_law_bare(hp: HparamFit) -> str:
    """Why the loss* law's rows show no interval where the other laws' do (as
    ``hparams predict`` says it of the loss at the optimum); ``""`` elsewhere."""
    law = hp.loss_law
    if not hp.has_intervals or law is None:
        return ""
    if any(math.isfinite(v) for bounds in law.intervals.values() for v in bounds):
        return ""
    nan = (math.nan, math.nan)
    pinned = any(hp.cells[i].pinned for i in hp.used)
    why = loss_interval_missing(nan, requested=resamples(hp), drawn=True, pinned=pinned)
    return f"<p class='notes'>{escape(f'loss* = {law.formula} has no interval, as {why}')}.</p>"


def regret_table(bt: HparamBacktest, *, said: Sequence[str] = ()) -> str:
    """The backtest: each method's regret on the held-out cells, summed up and per cell,
    with its warnings but those the page said with the fit already (``said``: the data's,
    a sweep's pooled corpora), as a loss page's backtest does not repeat the fitted law's."""
    # each column's regrets told apart from one another, as `hparams backtest` prints them
    summaries = [bt.summary(m) for m in bt.methods]
    keys = ("median_regret", "max_regret", "median_grid_regret")
    regrets = zip(*(regret_pcts([r[k] for r in summaries]) for k in keys), strict=True)
    rows = []
    for m, r, shown in zip(bt.methods, summaries, regrets, strict=True):
        rows.append(
            f"<tr><td>{escape(m)}</td>"
            + "".join(f"<td{NUM}>{x}</td>" for x in shown)
            + f"<td{NUM}>{r['median_lr_ratio']:.2f}</td>"
            f"<td{NUM}>{_ratio(r['median_batch_ratio'])}</td></tr>"
        )
    regret = regret_pcts([s.regret for s in bt.held_out])
    grid = regret_pcts([s.grid_regret for s in bt.held_out])
    per = []
    for s, reg, on_grid in zip(bt.held_out, regret, grid, strict=True):
        per.append(
            f"<tr><td>{escape(s.method)}</td><td>{escape(s.cell)}</td>"
            f"<td{NUM}>{s.lr_ratio:.2f}</td>"
            f"<td{NUM}>{_ratio(s.batch_ratio)}</td><td{NUM}>{reg}"
            f"{' (beyond grid)' if s.beyond_grid else ' (beyond window)' if s.beyond_window else ''}</td>"
            f"<td{NUM}>{on_grid}</td></tr>"
        )
    return (
        f"<p>Held out: {escape(held_said(bt))}; laws fitted on {len(bt.fitted_cells)} cells. Regret: "
        "the held-out cell's fitted surface at the prediction over its minimum, minus one; "
        "grid regret: the same read off the cell's runs by linear interpolation (— where it "
        "cannot be read; the notes below say why, and which cells the medians use).</p>"
        "<table><thead><tr><th>method</th><th>median regret</th><th>max</th>"
        "<th>median grid regret (runs)</th><th>median lr pred/located</th><th>median B pred/located</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "<table><thead><tr><th>method</th><th>cell</th><th>lr pred/located</th>"
        "<th>B pred/located</th><th>regret</th><th>grid regret (runs)</th></tr></thead><tbody>"
        + "".join(per)
        + "</tbody></table>"
        + _choice_html(bt.law_choice, where="the training cells")
        + warnings_list([w for w in bt.warnings if w not in said])
        + notes_list(bt.notes)
    )
