"""``scalinglab report SWEEP --hparams``: fit a sweep, backtest it, and write the page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab.cli import _options as opt
from scalinglab.cli._report_options import detected_maps
from scalinglab.cli._store_input import one_input, store_runs, sweep_columns

if TYPE_CHECKING:
    from scalinglab.hparams import Sweep

__all__ = ["HparamsPage", "write_page", "write_report"]


@dataclass(frozen=True)
class HparamsPage:
    """The ``hparams fit`` options the --hparams page takes, as ``report`` was given them
    (the hints of ``hparams fit``'s messages name them, so the page takes them too).

    Attributes:
        law: ``--law``: the lr* and B* forms (``auto`` when not given).
        lr_law: ``--lr-law``: a formula for lr* instead.
        batch_law: ``--batch-law``: a formula for B* instead.
        lr: ``--lr``: the learning-rate column.
        batch: ``--batch``: the batch column.
        batch_unit: ``--batch-unit``: what the batch column counts.
        by: ``--by``: the columns whose values make a cell (``None``: params, tokens).
        include_unbracketed: ``--include-unbracketed``: unbracketed cells in the laws too.
    """

    law: str | None = None
    lr_law: str | None = None
    batch_law: str | None = None
    lr: str | None = None
    batch: str | None = None
    batch_unit: str | None = None
    by: tuple[str, ...] | None = None
    include_unbracketed: bool = False

    def options(self) -> list[tuple[str, object]]:
        """Each option as typed and its value (``None`` or ``False``: not given)."""
        return [(f"--{f.name.replace('_', '-')}", getattr(self, f.name)) for f in fields(self)]

    def given(self) -> list[str]:
        """The options given but ``--law`` (the loss-law report's too): refused by the pages
        that do not read them."""
        return [o for o, v in self.options() if v and o != "--law"]

    def read_as(self, sweep: Sweep, columns: Mapping[str, str]) -> HparamsPage:
        """These options with the lr and batch columns and the batch unit ``sweep`` was
        read with where they were detected, not given (here or as ``--map lr=...`` in
        ``columns``), and ``--law``'s default, ``auto``: the card's command reads the same
        if detection or a default ever changes."""
        return replace(
            self,
            law=self.law or "auto",
            lr=self.lr or (None if "lr" in columns else sweep.columns["lr"]),
            batch=self.batch or (None if "batch" in columns else sweep.columns.get("batch")),
            batch_unit=self.batch_unit or sweep.batch_read,
        )

    def words(self) -> list[str]:
        """The options given, as the page's card spells them to remake it."""
        out: list[str] = []
        for option, value in self.options():
            for v in value if isinstance(value, tuple) else (value,):
                out += [] if not v else [option] if v is True else [option, str(v)]
        return out


def write_page(
    runs: Path | None, out: Path, page: HparamsPage, *, store: Path | None = None, **options: Any
) -> None:
    """``report SWEEP --hparams`` (or ``report --store S --hparams``): write the page
    (:func:`write_report` with ``options``), say where, then its notes and warnings as
    ``hparams fit`` prints them.

    Raises:
        ConfigError: Neither SWEEP nor ``--store`` given, or both.
    """
    from scalinglab.cli._render import print_warnings, stderr_console, stdout_console

    one_input(runs, store, argument="SWEEP", command="report --hparams")
    notes, warned = write_report(runs, out, page=page, store=store, **options)
    opt.wrote(stdout_console(), "report", out)
    for note in notes:  # what the page says, as `hparams fit` prints it
        stderr_console().print(f"note: {note}", markup=False, soft_wrap=True)
    print_warnings(stderr_console(), warned)


def write_report(
    sweep_path: Path | None,
    out: Path,
    *,
    store: Path | None = None,
    columns: dict[str, str],
    y: str,
    seq_len: int | None,
    bootstrap: int,
    level: float,
    seed: int,
    holdout: str | None,
    title: str | None,
    where: Sequence[tuple[str, str]] = (),
    page: HparamsPage = HparamsPage(),
) -> tuple[list[str], list[str]]:
    """``scalinglab report SWEEP --hparams``: fit, backtest, and write the page (of the runs
    ``where``, the ``--where`` pairs, keeps, as ``hparams fit --where`` keeps them), the
    sweep read and the laws fitted with ``page``'s options as ``hparams fit`` takes them.

    ``holdout``: the cells the backtest holds out; ``None``, not given: ``top-scales:1``,
    and a sweep of one model size, which that cannot split, gets a page without a backtest
    and a note of why (a rule given that cannot split the sweep is refused).

    Returns:
        The page's notes and warnings, each once, for the command to echo as ``hparams
        fit`` and ``hparams backtest`` print them.
    """
    import shlex

    import numpy as np

    from scalinglab._defaults import HPARAMS_HOLDOUT
    from scalinglab.cli._render import FitProgress, resamples, stage_line, stderr_console
    from scalinglab.data._compare import condition_said
    from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep
    from scalinglab.hparams._few_cells import check_cells
    from scalinglab.hparams._holdout import split_sweep
    from scalinglab.hparams._holdout_sizes import one_size
    from scalinglab.report._hparams_report import write_hparams_report

    by = page.by or ("params", "tokens")
    source: Any = sweep_path
    if store is not None:  # its runs as `hparams fit --store` reads them, --where before
        lr, batch, y = sweep_columns(columns, store=store, lr=page.lr, batch=page.batch, y=y)
        page, columns, source = (
            replace(page, lr=lr, batch=batch),
            {},
            store_runs(store, where=where, sweep=True),
        )
    sweep = read_sweep(source, seq_len=seq_len, y=y, columns=columns,
                       where=where if store is None else (), by=by, lr=page.lr,
                       batch=page.batch, batch_unit=page.batch_unit)  # fmt: skip
    law, lr_law, batch_law = page.law or "auto", page.lr_law, page.batch_law
    rule, unsplit, held = holdout or HPARAMS_HOLDOUT, "", []
    cells = sweep.cell_columns()
    sizes = np.unique(cells.get("params", ()))
    if holdout is None and len(sizes) == 1:  # the default cannot split one model size
        why, hint = one_size(sizes, cells.get("tokens"))
        unsplit = f"no backtest on the page (by default it holds out {rule}): {why}; {hint}"
    else:  # a rule that holds out no cell: refused before the fit
        held = split_sweep(sweep, rule).cells
    check_cells(sweep, law=law, lr_law=lr_law)  # too few cells: before the line below
    # the loss page's stage lines where no bar is drawn (a pipe, a CI log, a job), else bars
    err = stderr_console()
    stage_line(err, f"locating the optima of {sweep.n_cells} cells and fitting lr* and B* "
               f"({resamples(bootstrap, of=' of each cell')})...")  # fmt: skip
    kept = page.include_unbracketed
    with FitProgress(err, enabled=err.is_terminal) as bar:
        hp = fit_hparams(
            sweep,
            law=law,
            lr_law=lr_law,
            batch_law=batch_law,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
            include_unbracketed=kept,
            progress=bar,
        )
    hp = replace(hp, settings={**hp.settings, "where": dict(where)})  # read with it
    bt, skipped = None, []
    if unsplit:
        skipped = [unsplit]
    elif any(hp.cells[i].bracketed for i in held):
        stage_line(err, f"backtesting, holding out {rule} (the laws refitted)...")
        with FitProgress(err, enabled=err.is_terminal) as bar:
            bt = backtest_hparams(
                sweep,
                holdout=rule,
                law=law,
                lr_law=lr_law,
                batch_law=batch_law,
                include_unbracketed=kept,
                progress=bar,
            )
        bt = replace(bt, where=dict(where))
    else:  # no located optimum to score a prediction against: a page without a backtest
        why = "unbracketed, so no prediction can be scored against a located optimum"
        skipped = [f"no backtest on the page: every cell --holdout {rule} holds out is {why}"]
    read = [str(sweep_path)] if store is None else ["--store", str(store)]
    words = ["scalinglab", "report", *read, "--hparams", "--out", str(out)]
    words += [f"--y={columns.get('loss', y)}", "--bootstrap", str(bootstrap)]
    words += ["--level", str(level), "--seed", str(seed)]
    words += [] if unsplit else ["--holdout", rule]  # a page without one: none to remake
    # the sequence length the batches were counted in, given or read off the sweep, and the
    # title: the card's command remakes this page
    if seq_len or hp.seq_len:
        words += ["--seq-len", str(seq_len or hp.seq_len)]
    words += [] if title is None else ["--title", title]
    # --map as given, then the columns read by detection (`params=N`), the loss --y's
    # (a store's columns are its own: none is mapped)
    detected = [] if store else detected_maps(sweep.table.origins, given={**columns, "loss": y})
    for pair in [f"{t}={c}" for t, c in columns.items() if t != "loss"] + detected:
        words += ["--map", pair]
    words += [w for column, value in where for w in ("--where", condition_said(column, value))]
    words += page.read_as(sweep, columns).words()
    opt.write(
        out,
        "--out",
        lambda: write_hparams_report(
            hp,
            sweep,
            out,
            backtest=bt,
            title=title,
            command=shlex.join(words),
            no_backtest=unsplit,
        ),
    )
    # the sweep's notes and warnings are in both
    notes = list(dict.fromkeys((*hp.notes, *(bt.notes if bt else skipped))))
    return notes, list(dict.fromkeys((*hp.warnings, *(bt.warnings if bt else ()))))
