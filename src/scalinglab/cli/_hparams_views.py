"""Terminal views of ``scalinglab hparams``: cells and laws, a prediction, a backtest."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from scalinglab._format import format_count, format_g, format_level, format_loss, format_number
from scalinglab._no_intervals import asked
from scalinglab.cli._level_unused import no_intervals
from scalinglab.cli._render import print_notes, print_warnings

__all__ = [
    "print_backtest",
    "print_caveats",
    "print_critical_batch",
    "print_fit",
    "print_law_choice",
    "print_prediction",
]


def _si(v: float) -> str:
    """A count (N, D, a batch) as the report page prints it: ``65.5K``, ``1B`` (not
    ``1e+03M``), no suffix from 1e15 on (``1.24e24``, not ``1.24e+24T``); else ``—``."""
    return format_count(v) if math.isfinite(v) else "—"


def _lr(v: float) -> str:
    return format_g(v, 3)  # 5e-5, not 5e-05 (the report's cells alike)


def _coef(v: float) -> str:
    return format_number(v, 4)  # 7.329e4, not 7.329e+04 (the report's laws table alike)


def _iv(iv: tuple[float, float], form: Callable[[float], str] = _lr) -> str:
    return f"[{form(iv[0])}, {form(iv[1])}]" if all(math.isfinite(t) for t in iv) else ""


def _pct(v: float) -> str:
    """A regret as the backtest tables print it, ``0.123%``; ``—`` for none (no cell)."""
    return f"{100 * v:.3f}%" if math.isfinite(v) else "—"


def _si_iv(iv: tuple[float, float]) -> str:
    return f"[{_si(iv[0])}, {_si(iv[1])}]" if all(math.isfinite(t) for t in iv) else ""


def print_fit(con: Console, hp: Any, *, level: float | None = None) -> None:
    """The located cells, the laws across them, and the notes."""
    # lazily: the CLI starts without the fit
    from scalinglab.hparams._bracket import shown_status
    from scalinglab.hparams._laws import OPTIMUM

    con.print(f"sweep: {hp.source}", markup=False, soft_wrap=True)
    band = f" ({format_level(hp.level)} intervals)" if hp.has_intervals else ""
    table = Table(title=f"cells: optimum on a local surface{band}")
    batch = _batch_column(hp.cells, hp.batch_unit)
    # piped, the console is 120 columns (stdout_console): the optimum, interval and status
    # wrap at their spaces, as other commands' tables do, rather than lose their ends to "…"
    for col in ("cell", "runs", "diverged", "lr*", *batch, "loss*", "status"):
        table.add_column(col, no_wrap=col in ("cell", "runs", "diverged", "loss*"))
    for c in hp.cells:
        if not batch:  # the sweep has no batch: no column for it
            shown = []
        elif c.two_d:
            shown = [f"{_si(c.batch)} {_si_iv(c.batch_interval)}"]
        else:  # the one batch its runs used, not a located B*
            shown = [_si(c.batch) + ("" if batch[0].startswith("batch") else " (fixed)")]
        table.add_row(
            c.label(),
            str(c.n_runs),
            str(len(c.diverged)),
            f"{_lr(c.lr)} {_iv(c.lr_interval)}",
            *shown,
            f"{c.loss:.4f}",
            shown_status(c, short=True),
        )
    con.print(table)
    laws = Table(title="laws across cells")
    interval = f"{format_level(hp.level)} bootstrap interval"  # as the report heads it
    for col in ("law", "coef", "value", interval)[: 4 if hp.has_intervals else 3]:
        laws.add_column(col)
    for fitted in (hp.lr_law, hp.batch_law, hp.loss_law):
        if fitted is None:
            continue
        for name, value in fitted.coefs.items():
            row = [f"{OPTIMUM[fitted.target]} = {fitted.formula}", name, _coef(value)]
            if hp.has_intervals:
                row.append(_iv(fitted.intervals[name], _coef))
            laws.add_row(*row)
    con.print(laws)
    if fitted_by := _fitted_by(hp.settings):  # a line, not the title: that wraps at its width
        con.print(fitted_by, markup=False, soft_wrap=True)
    if not hp.has_intervals:  # as `scalinglab fit --bootstrap 0` says it
        line = no_intervals(level, requested=asked(hp.settings))  # --level: said to do nothing
        con.print(line, markup=False, soft_wrap=True)
    print_law_choice(con, hp.law_choice)
    print_caveats(con, hp)


def _fitted_by(settings: Any) -> str:
    """How the laws were fitted, under their table: ``laws fitted with the squared loss,
    regret weighting`` (``huber loss (δ=0.1)``: the scale where the loss has one); none where
    the settings do not record it."""
    name, weighting = settings.get("robust_loss"), settings.get("weighting")
    if name is None:
        return ""
    scale = "" if name == "squared" else f" (δ={format_g(float(settings.get('delta', 0.1)))})"
    said = f"laws fitted with the {name} loss{scale}"
    return said + (f", {weighting} weighting" if weighting else "")


def _batch_column(cells: Any, unit: str) -> tuple[str, ...]:
    """The cells table's batch column, if the sweep has a batch (``batch_header``)."""
    from scalinglab.hparams._fixed_batch import batch_header

    header = batch_header(cells, unit)
    return () if header is None else (header,)


def print_law_choice(con: Console, choice: Any, *, where: str = "the fitted cells") -> None:
    """The candidates' leave-one-size-out regrets (when a choice was made), then the verdict."""
    if choice is None:
        return
    from scalinglab.hparams._choice import CHOICE_HEADER, choice_rows, choice_title

    rows = choice_rows(choice)  # the page's table too
    if rows:
        table = Table(title=choice_title(choice, where=where))
        for col in CHOICE_HEADER:
            table.add_column(col)
        for row in rows:
            table.add_row(*row)
        con.print(table)
    con.print(f"law choice: {choice.verdict}", markup=False, soft_wrap=True)


def print_prediction(con: Console, pred: Any, *, requested: int = 0) -> None:
    """The prediction as a table, with the rule that chose it; ``requested``: the resamples
    its fit asked for (where it has no interval, the line says whether none was asked or
    every one failed)."""
    level = f"{format_level(pred.level)} interval" if math.isfinite(pred.level) else "interval"
    # a fit without bootstrap has no interval to show (a preset's column says it has none)
    bare = math.isfinite(pred.level) and not any(
        math.isfinite(t) for t in (*pred.lr_interval, *pred.batch_interval, *pred.loss_interval)
    )
    # no C where the laws read N and D alone and the sweep's FLOPs gave no rule for it; no
    # N or D where the laws read what was given alone (C alone, N alone)
    c = f"C={format_g(pred.flops, 3)}" if math.isfinite(pred.flops) else ""
    nd = [f"{s}={_si(v)}" for s, v in (("N", pred.params), ("D", pred.tokens)) if math.isfinite(v)]
    at = ", ".join(nd) + (f" ({c})" if c and nd else c)
    table = Table(title=f"optimal hyperparameters at {at}")
    for col in ("quantity", "value", level)[: 2 if bare else 3]:
        table.add_column(col)

    def add(*cells: str) -> None:  # without the interval column when there is none
        table.add_row(*cells[: len(table.columns)])

    add("peak lr*", _lr(pred.lr), _iv(pred.lr_interval))
    if math.isfinite(pred.batch):
        add(f"B* ({pred.batch_unit})", _si(pred.batch), _si_iv(pred.batch_interval))
        if math.isfinite(pred.batch_sequences) and pred.batch_unit == "tokens":
            s = pred.seq_len
            lo, hi = pred.batch_interval
            iv = (lo / s, hi / s) if s else (math.nan, math.nan)
            add(
                f"B* (sequences of {s})",
                f"{pred.batch_sequences:.0f}",
                _iv(iv, lambda v: f"{v:.0f}"),
            )
        elif math.isfinite(pred.batch_tokens) and pred.batch_unit == "sequences":
            s = pred.seq_len or 0  # finite batch_tokens: a sequence length is known
            lo, hi = pred.batch_interval
            add(f"B* (tokens, {s}/sequence)", _si(pred.batch_tokens), _si_iv((lo * s, hi * s)))
    if math.isfinite(pred.loss):
        add("loss at the optimum", format_loss(pred.loss), _iv(pred.loss_interval, format_loss))
    for what, pen in pred.penalty.items():
        add(f"loss penalty, {what}", f"+{100 * pen:.2f}%", "")
    con.print(table)
    if bare:  # as `scalinglab predict` says it
        line = no_intervals(None, requested=requested, refit="scalinglab hparams fit")
        con.print(line, markup=False, soft_wrap=True)
    con.print(f"rule: {pred.rule}", markup=False, soft_wrap=True)
    if pred.conventions:
        con.print(f"conventions: {pred.conventions}", markup=False, soft_wrap=True)
    for note in getattr(pred, "notes", ()):
        con.print(note, markup=False, soft_wrap=True)
    if pred.penalty:
        con.print(
            "flatness: the median over the fitted cells' surfaces of the loss at the optimum "
            f"with {'lr or batch' if 'batch x2' in pred.penalty else 'lr'} x2 or /2 (a cubic "
            "term in log lr: a too-high lr costs more)",
            markup=False,
            soft_wrap=True,
        )
    print_warnings(con, getattr(pred, "warnings", ()))


def print_caveats(con: Console, pred: Any) -> None:
    """A prediction's (or critical batch's, fit's, backtest's) notes and warnings as
    ``note:`` and ``warning:`` lines, in the order its text says them: what ``--json`` says
    on stderr."""
    from scalinglab.hparams._critical import CriticalBatch

    if isinstance(pred, CriticalBatch):  # the loss fit's warnings first, as its table
        print_warnings(con, pred.warnings)
        print_notes(con, pred.notes)
    else:
        print_notes(con, pred.notes)
        print_warnings(con, pred.warnings)


def print_critical_batch(con: Console, cb: Any) -> None:
    """A critical batch at a loss: the batch in tokens (and sequences), and no learning rate."""
    where = f" at N={_si(cb.params)}, D={_si(cb.tokens)}" if math.isfinite(cb.params) else ""
    table = Table(title=f"critical batch at loss {cb.loss:.4f}{where}")
    table.add_column("quantity")
    table.add_column("value")
    table.add_row("loss", f"{cb.loss:.4f} ({cb.loss_source})")
    table.add_row("B_crit (tokens)", _si(cb.batch))
    if cb.seq_len:
        table.add_row(f"B_crit (sequences of {cb.seq_len})", f"{cb.batch_sequences:.0f}")
    table.add_row("peak lr", "none: this rule gives no learning rate")
    con.print(table)
    con.print(f"rule: {cb.rule}", markup=False, soft_wrap=True)
    con.print(f"conventions: {cb.conventions}", markup=False, soft_wrap=True)
    print_warnings(con, cb.warnings)  # the loss fit's: a loss not to trust
    for note in cb.notes:
        con.print(f"note: {note}", markup=False, soft_wrap=True)


def print_backtest(con: Console, bt: Any) -> None:
    """Every method on every held-out cell, then the summary per method."""
    from scalinglab.hparams._holdout import held_said  # lazy: hparams loads NumPy

    held = held_said(bt)
    table = Table(title=f"held out {held}; trained on {len(bt.train_cells)} cells")
    for col in (
        "method",
        "cell",
        "lr pred/located",
        "B pred/located",
        "regret (surface)",
        "grid regret (runs)",
    ):
        table.add_column(col)
    for s in bt.held_out:
        flag = " (beyond grid)" if s.beyond_grid else " (beyond window)" if s.beyond_window else ""
        table.add_row(
            s.method,
            s.cell,
            f"{s.lr_ratio:.2f}",
            f"{s.batch_ratio:.2f}" if math.isfinite(s.batch_ratio) else "—",
            _pct(s.regret) + flag,
            _pct(s.grid_regret),
        )
    con.print(table)
    summary = Table(title="summary")
    for col in (
        "method",
        "median regret",
        "max regret",
        "median grid regret (runs)",
        "median lr ratio",
        "median B ratio",
    ):
        summary.add_column(col)
    for m in bt.methods:
        r = bt.summary(m)
        summary.add_row(
            m,
            _pct(r["median_regret"]),
            _pct(r["max_regret"]),
            _pct(r["median_grid_regret"]),
            f"{r['median_lr_ratio']:.2f}",
            f"{r['median_batch_ratio']:.2f}" if math.isfinite(r["median_batch_ratio"]) else "—",
        )
    con.print(summary)
    print_law_choice(con, bt.law_choice, where="the training cells")
    print_caveats(con, bt)
