"""``scalinglab report SWEEP --hparams``: fit a sweep, backtest it, and write the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scalinglab.cli import _options as opt

__all__ = ["write_report"]


def write_report(
    sweep_path: Path,
    out: Path,
    *,
    columns: dict[str, str],
    y: str,
    seq_len: int | None,
    bootstrap: int,
    level: float,
    seed: int,
    holdout: str,
    title: str | None,
    where: Sequence[tuple[str, str]] = (),
) -> tuple[list[str], list[str]]:
    """``scalinglab report SWEEP --hparams``: fit, backtest, and write the page (of the runs
    ``where``, the ``--where`` pairs, keeps, as ``hparams fit --where`` keeps them).

    Returns:
        The page's notes and warnings (``warning: `` taken off), each once, for the
        command to echo as ``hparams fit`` and ``hparams backtest`` print them.
    """
    import shlex

    from scalinglab.cli._render import FitProgress, resamples, stage_line, stderr_console
    from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep
    from scalinglab.hparams._few_cells import check_cells
    from scalinglab.hparams._holdout import split_sweep
    from scalinglab.report._hparams_report import write_hparams_report

    sweep = read_sweep(sweep_path, seq_len=seq_len, y=y, columns=columns, where=where)
    held = split_sweep(sweep, holdout)  # a rule that holds out no cell: refused before the fit
    check_cells(sweep)  # too few cells for any law: refused before the line that locates them
    # the loss page's stage lines where no bar is drawn (a pipe, a CI log, a job), else bars
    err = stderr_console()
    stage_line(err, f"locating the optima of {sweep.n_cells} cells and fitting lr* and B* "
               f"({resamples(bootstrap, of=' of each cell')})...")  # fmt: skip
    with FitProgress(err, enabled=err.is_terminal) as bar:
        hp = fit_hparams(sweep, bootstrap=bootstrap, level=level, seed=seed, progress=bar)
    hp = replace(hp, settings={**hp.settings, "where": dict(where)})  # read with it
    bt, skipped = None, []
    if any(hp.cells[i].bracketed for i in held):
        stage_line(err, f"backtesting, holding out {holdout} (the laws refitted)...")
        with FitProgress(err, enabled=err.is_terminal) as bar:
            bt = replace(backtest_hparams(sweep, holdout=holdout, progress=bar), where=dict(where))
    else:  # no located optimum to score a prediction against: a page without a backtest
        why = "unbracketed, so no prediction can be scored against a located optimum"
        skipped = [f"no backtest on the page: every cell --holdout {holdout} holds out is {why}"]
    words = ["scalinglab", "report", str(sweep_path), "--hparams", "--out", str(out)]
    words += [f"--y={columns.get('loss', y)}", "--bootstrap", str(bootstrap)]
    words += ["--level", str(level), "--seed", str(seed), "--holdout", holdout]
    # the sequence length the batches were counted in, given or read off the sweep, and the
    # title: the card's command remakes this page
    if seq_len or hp.seq_len:
        words += ["--seq-len", str(seq_len or hp.seq_len)]
    words += [] if title is None else ["--title", title]
    for target, column in columns.items():  # the loss column is --y's
        words += [] if target == "loss" else ["--map", f"{target}={column}"]
    words += [w for column, value in where for w in ("--where", f"{column}={value}")]
    opt.write(
        out,
        "--out",
        lambda: write_hparams_report(
            hp, sweep, out, backtest=bt, title=title, command=shlex.join(words)
        ),
    )
    # the sweep's notes are in both
    lines = list(dict.fromkeys((*hp.notes, *(bt.notes if bt else skipped))))
    warnings = [n.removeprefix("warning: ") for n in lines if n.startswith("warning: ")]
    return [n for n in lines if not n.startswith("warning: ")], warnings
