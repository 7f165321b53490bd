"""Terminal views of ``scalinglab hparams``: cells and laws, a prediction, a backtest."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._format import format_g, format_level, format_loss
from scalinglab._hparams_numbers import iv, lr, regret_pcts, si, si_iv
from scalinglab._no_intervals import asked
from scalinglab.cli._level_unused import no_intervals
from scalinglab.cli._narrow import left_out, narrowed
from scalinglab.cli._render import print_notes, print_warnings
from scalinglab.cli._rows_table import rich_table

__all__ = [
    "print_backtest",
    "print_caveats",
    "print_critical_batch",
    "print_fit",
    "print_law_choice",
    "print_prediction",
]


def print_fit(con: Console, hp: Any, *, level: float | None = None) -> None:
    """The located cells, the laws across them, and the notes."""
    from scalinglab.hparams._rows import NARROW, cells_table, fitted_by, laws_table  # NumPy

    con.print(f"sweep: {hp.source}", markup=False, soft_wrap=True)
    # piped, the console is 120 columns (stdout_console): the status wraps at its spaces;
    # narrower, the least needed columns are left out, as ladder plan's, never a cell cut
    cells = cells_table(hp)
    heads = [c.header for c in cells.columns]
    build = partial(_drawn, cells)
    table, dropped = narrowed(con, build, heads, [h for h in NARROW if h in heads])
    con.print(table)
    if dropped:
        con.print(Text(left_out(dropped, con.width, more=_MORE), style="dim"))
    con.print(rich_table(laws_table(hp), title_justify="center"))
    if said := fitted_by(hp.settings):  # a line, not the title: that wraps at its width
        con.print(said, markup=False, soft_wrap=True)
    if not hp.has_intervals:  # as `scalinglab fit --bootstrap 0` says it
        # --level: said to do nothing; what to run: hparams fit's own default
        line = no_intervals(level, requested=asked(hp.settings), ask=HPARAMS_BOOTSTRAP)
        con.print(line, markup=False, soft_wrap=True)
    print_law_choice(con, hp.law_choice)
    print_caveats(con, hp)


#: Where a cell's every value is, beside a wider terminal.
_MORE = "--json and --out hold every value"


def _drawn(rows: Any, heads: Sequence[str]) -> Table:
    """The cells table of only the columns ``heads``, its title centred."""
    return rich_table(rows.only(heads), title_justify="center")


def print_law_choice(con: Console, choice: Any, *, where: str = "the fitted cells") -> None:
    """The candidates' leave-one-size-out regrets (when a choice was made), then the verdict."""
    if choice is None:
        return
    from scalinglab.hparams._rows import choice_table

    if table := choice_table(choice, where=where):  # the page's rows too (choice_rows)
        con.print(rich_table(table, title_justify="center"))
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
    nd = [f"{s}={si(v)}" for s, v in (("N", pred.params), ("D", pred.tokens)) if math.isfinite(v)]
    at = ", ".join(nd) + (f" ({c})" if c and nd else c)
    table = Table(title=f"optimal hyperparameters at {at}")
    for col in ("quantity", "value", level)[: 2 if bare else 3]:
        table.add_column(col)

    def add(*cells: str) -> None:  # without the interval column when there is none
        table.add_row(*cells[: len(table.columns)])

    add("peak lr*", lr(pred.lr), iv(pred.lr_interval))
    if math.isfinite(pred.batch):
        add(f"B* ({pred.batch_unit})", si(pred.batch), si_iv(pred.batch_interval))
        if math.isfinite(pred.batch_sequences) and pred.batch_unit == "tokens":
            s = pred.seq_len
            lo, hi = pred.batch_interval
            per_sequence = (lo / s, hi / s) if s else (math.nan, math.nan)
            add(
                f"B* (sequences of {s})",
                f"{pred.batch_sequences:.0f}",
                iv(per_sequence, lambda v: f"{v:.0f}"),
            )
        elif math.isfinite(pred.batch_tokens) and pred.batch_unit == "sequences":
            s = pred.seq_len or 0  # finite batch_tokens: a sequence length is known
            lo, hi = pred.batch_interval
            add(f"B* (tokens, {s}/sequence)", si(pred.batch_tokens), si_iv((lo * s, hi * s)))
    if math.isfinite(pred.loss):
        add("loss at the optimum", format_loss(pred.loss), iv(pred.loss_interval, format_loss))
    for what, pen in pred.penalty.items():
        add(f"loss penalty, {what}", f"+{100 * pen:.2f}%", "")
    con.print(table)
    if bare:  # as `scalinglab predict` says it
        refit = "scalinglab hparams fit"
        line = no_intervals(None, requested=requested, refit=refit, ask=HPARAMS_BOOTSTRAP)
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
    where = f" at N={si(cb.params)}, D={si(cb.tokens)}" if math.isfinite(cb.params) else ""
    table = Table(title=f"critical batch at loss {cb.loss:.4f}{where}")
    table.add_column("quantity")
    table.add_column("value")
    table.add_row("loss", f"{cb.loss:.4f} ({cb.loss_source})")
    table.add_row("B_crit (tokens)", si(cb.batch))
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
    table = Table(title=f"held out {held}; fitted on {len(bt.fitted_cells)} cells")
    for col in (
        "method",
        "cell",
        "lr pred/located",
        "B pred/located",
        "regret (surface)",
        "grid regret (runs)",
    ):
        table.add_column(col)
    # each column's regrets told apart from one another, as the page's
    regret = regret_pcts([s.regret for s in bt.held_out])
    grid = regret_pcts([s.grid_regret for s in bt.held_out])
    for s, reg, on_grid in zip(bt.held_out, regret, grid, strict=True):
        flag = " (beyond grid)" if s.beyond_grid else " (beyond window)" if s.beyond_window else ""
        table.add_row(
            s.method,
            s.cell,
            f"{s.lr_ratio:.2f}",
            f"{s.batch_ratio:.2f}" if math.isfinite(s.batch_ratio) else "—",
            reg + flag,
            on_grid,
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
    rows = [bt.summary(m) for m in bt.methods]
    keys = ("median_regret", "max_regret", "median_grid_regret")
    regrets = zip(*(regret_pcts([r[k] for r in rows]) for k in keys), strict=True)
    for m, r, shown in zip(bt.methods, rows, regrets, strict=True):
        summary.add_row(
            m,
            *shown,
            f"{r['median_lr_ratio']:.2f}",
            f"{r['median_batch_ratio']:.2f}" if math.isfinite(r["median_batch_ratio"]) else "—",
        )
    con.print(summary)
    print_law_choice(con, bt.law_choice, where="the training cells")
    print_caveats(con, bt)
