"""The tables ``scalinglab hparams fit`` prints, built once: the located cells
(:func:`cells_table`), the laws across them (:func:`laws_table`) and the law choice
(:func:`choice_table`). The command draws them with Rich (:mod:`scalinglab.cli._hparams_views`),
a notebook as HTML (:mod:`scalinglab.hparams._html_view`): the same cells."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab._format import column_form, format_g, format_level
from scalinglab._hparams_numbers import coef, iv, si, si_iv
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.hparams._bracket import shown_status
from scalinglab.hparams._choice import CHOICE_HEADER, HparamLawChoice, choice_rows, choice_title
from scalinglab.hparams._fixed_batch import batch_header
from scalinglab.hparams._laws import OPTIMUM

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["NARROW", "cells_table", "choice_table", "fitted_by", "laws_table"]

#: Columns that never wrap (lr* or B* and its interval read as one number; the batch column
#: too, whatever its header); the status wraps at its spaces.
_NO_WRAP = ("cell", "runs", "diverged", "lr*", "loss*")

#: The cells table's columns a narrow terminal leaves out, first first: the counts of runs
#: (the sweep's line counts them), the loss at the optimum, the status (its warnings are
#: said below the tables too); never the cell, lr* or the batch.
NARROW = ("diverged", "runs", "loss*", "status")


def cells_table(hp: HparamFit) -> TableRows:
    """Each cell: its runs, diverged runs, lr* with its interval, the batch (B* with its
    interval where located, else the one its runs used), loss* and status."""
    band = f" ({format_level(hp.level)} intervals)" if hp.has_intervals else ""
    header = batch_header(hp.cells, hp.batch_unit)
    batch = () if header is None else (header,)
    heads = ("cell", "runs", "diverged", "lr*", *batch, "loss*", "status")
    rows = []
    # lr* to one number of decimals down its column, as the report's page writes it:
    # 0.00360 beside 0.00235 (was 0.0036), and the interval's ends alike
    lr_form = column_form(c.lr for c in hp.cells)
    ends = column_form(v for c in hp.cells for v in c.lr_interval)
    for c in hp.cells:
        if not batch:  # the sweep has no batch: no column for it
            shown = []
        elif c.two_d:
            shown = [f"{si(c.batch)} {si_iv(c.batch_interval)}"]
        else:  # the one batch its runs used, not a located B*
            shown = [si(c.batch) + ("" if batch[0].startswith("batch") else " (fixed)")]
        texts = (c.label(), str(c.n_runs), str(len(c.diverged)),
                 f"{lr_form(c.lr)} {iv(c.lr_interval, ends)}", *shown, f"{c.loss:.4f}",
                 shown_status(c, short=True))  # fmt: skip
        rows.append(tuple(cell(t) for t in texts))
    columns = tuple(Column(h, no_wrap=h in _NO_WRAP or h in batch) for h in heads)
    return TableRows(f"cells: optimum on a local surface{band}", columns, tuple(rows))


def laws_table(hp: HparamFit) -> TableRows:
    """Each law's coefficients (``lr* = ...``, ``B* = ...``, ``loss* = ...``), with their
    bootstrap intervals where there are resamples."""
    interval = f"{format_level(hp.level)} bootstrap interval"  # as the report heads it
    heads = ("law", "coef", "value", interval)[: 4 if hp.has_intervals else 3]
    rows = []
    for fitted in (hp.lr_law, hp.batch_law, hp.loss_law):
        if fitted is None:
            continue
        for name, value in fitted.coefs.items():
            texts = [f"{OPTIMUM[fitted.target]} = {fitted.formula}", name, coef(value)]
            if hp.has_intervals:
                texts.append(iv(fitted.intervals[name], coef))
            rows.append(tuple(cell(t) for t in texts))
    return TableRows("laws across cells", tuple(Column(h) for h in heads), tuple(rows))


def fitted_by(settings: Mapping[str, Any]) -> str:
    """How the laws were fitted, under their table: ``laws fitted with the squared loss,
    regret weighting`` (``huber loss (δ=0.1)``: the scale where the loss has one); none where
    the settings do not record it."""
    name, weighting = settings.get("robust_loss"), settings.get("weighting")
    if name is None:
        return ""
    delta = settings.get("delta", 0.1)
    scale = "" if name == "squared" else f" (δ={format_g(float(delta))})"
    said = f"laws fitted with the {name} loss{scale}"
    return said + (f", {weighting} weighting" if weighting else "")


def choice_table(choice: HparamLawChoice, *, where: str = "the fitted cells") -> TableRows | None:
    """The candidates' leave-one-size-out regrets (the report's page's rows too); ``None``
    where no choice was made."""
    rows = choice_rows(choice)
    if not rows:
        return None
    columns = tuple(Column(h) for h in CHOICE_HEADER)
    return TableRows(choice_title(choice, where=where), columns,
                     tuple(tuple(cell(t) for t in row) for row in rows))  # fmt: skip
