"""Options several commands share, declared once as ``Annotated`` types.

A command writes ``x: opt.Symbols = None`` instead of repeating the Typer declaration, so
``fit``, ``report``, ``backtest`` and ``isoflop`` spell and explain each option the same way.

The convention every command follows (and new commands adopt through these types):

- ``--json``: a flag, never a path: print the result as JSON on stdout and nothing else there
  (messages, progress and "wrote ..." lines go to stderr).
- ``--out PATH``: save the result (JSON) to a file; ``--plot PATH`` a figure, ``--format`` its
  format when the suffix does not say.
- ``--compute FLOPS``: compute budgets, repeatable or comma-separated, units allowed (``1e24``,
  ``5.76e23``); ``--budget``/``--budgets`` are older spellings of it, and ``--flops`` (a
  run's compute on ``predict``) is read as it, shown in no help (:mod:`._aliases`).
- ``--y COLUMN``: the column holding the loss (``--y loss=COLUMN`` is the same);
  ``--map NAME=COLUMN`` any other column, ``--x SYMBOL=COLUMN`` a law's variable.
- ``--where COLUMN=VALUE``: only the runs whose text column has that value (one training
  corpus), or ``COLUMN OP NUMBER`` of a number column (``params>=2e7``), repeatable, on every command that reads runs (``downstream`` too); of a run
  store, the stored runs ``scalinglab runs --where`` lists (any config value).
- ``--level``: coverage of every interval a command prints; ``--seed``, ``--bootstrap`` likewise.
- ``--robust-loss NAME``: the robust loss of a fit (``--loss`` is a measured loss, as on
  ``hparams predict``; on the commands that fit it is the old spelling, read for one release).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._defaults import CURVE_LAW_NAMES, MAX_ITER, WARMUP_RULE
from scalinglab.cli._checked_options import Space  # checked as read, named --space
from scalinglab.cli._option_values import robust_loss, seq_len
from scalinglab.cli._where_help import WHERE_COMPARE, WHERE_PERCENT, WHERE_STORE

__all__ = [
    "WHERE_COMPARE",
    "WHERE_PERCENT",
    "WHERE_STORE",
    "BundledData",
    "Delta",
    "DropOutliers",
    "FitFile",
    "Format",
    "Json",
    "KeepDiverged",
    "Law",
    "Level",
    "Mapping",
    "MaxIter",
    "OldRobustLoss",
    "Out",
    "Plot",
    "RobustLossName",
    "Seed",
    "Space",
    "Store",
    "Symbols",
    "TableCompute",
    "Where",
    "YColumn",
    "robust_loss",
    "seq_len",
]


def _level(value: float | None) -> float | None:
    """``--level`` checked as it is read, so that every command says it as ``--level``
    (not the Python argument ``level``) before any work is done."""
    from scalinglab._errors import check_level

    return None if value is None else check_level(value, option="--level")


def _out(what: str) -> Any:
    """``--out`` of a command whose ``--json`` prints what it saves, naming ``what`` that is."""
    return typer.Option("--out", metavar="PATH", help=f"Save {what} as JSON: what --json prints.")


Law = Annotated[
    list[str] | None,
    typer.Option(
        "--law",
        metavar="LAW",
        help="Law name or formula (see `scalinglab laws`), or auto to choose by backtest "
        "[default: chinchilla].",
        show_default=False,
    ),
]
Symbols = Annotated[
    list[str] | None,
    typer.Option("--x", metavar="SYMBOL=COLUMN", help="Column a law symbol reads: N=params."),
]
YColumn = Annotated[
    str | None,
    typer.Option("--y", metavar="loss=COLUMN", help="Column holding the loss: loss=val_loss."),
]
Mapping = Annotated[
    list[str] | None,
    typer.Option(
        "--map", metavar="NAME=COLUMN", help="Read a table column as NAME: params=n_params."
    ),
]
Where = Annotated[
    list[str] | None,
    typer.Option(
        metavar="COLUMN=VALUE",
        help="Only the runs whose text column has this value (one training corpus: "
        f"dataset=c4_original); a law holds for one training distribution. {WHERE_COMPARE} "
        f"{WHERE_PERCENT} {WHERE_STORE} Repeat to require several.",
    ),
]
#: ``--robust-loss``: ``None`` when not given (huber), so that one given beside ``--loss``,
#: its old spelling, is refused rather than overridden.
RobustLossName = Annotated[
    str | None,
    typer.Option(
        "--robust-loss",
        metavar="NAME",
        help="Robust loss of the fit: huber, soft_l1 or squared [default: huber].",
        show_default=False,
    ),
]
#: ``--loss NAME``, the old spelling of ``--robust-loss`` on the commands that fit (hidden).
OldRobustLoss = Annotated[str | None, typer.Option("--loss", metavar="NAME", hidden=True)]
Delta = Annotated[float, typer.Option(help="Scale of the robust loss.")]
Level = Annotated[
    float,
    typer.Option(
        callback=_level, help="Coverage of the intervals, a fraction (0.9, not 90 or 90%)."
    ),
]
Seed = Annotated[int, typer.Option(help="Seed of the bootstrap.")]
#: ``--max-iter``: ``None`` when not given (``MAX_ITER``), so that one given beside
#: ``--max-steps``, its old spelling, is refused rather than overridden.
MaxIter = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Most solver iterations per start (and per bootstrap resample's start): raise it "
        f"when a fit stops at the limit [default: {MAX_ITER}].",
        show_default=False,
    ),
]
DropOutliers = Annotated[
    bool, typer.Option("--drop-outliers", help="Exclude runs that look diverged (listed).")
]
CurveLaw = Annotated[
    str | None,
    typer.Option(
        "--curve-law",
        help=f"With --from-curves: the curve law predicting the runs: {', '.join(CURVE_LAW_NAMES)} "
        "(across sizes when the curves have several) [default: "
        "multipower].",
        show_default=False,
    ),
]
CurveWarmup = Annotated[
    int | None,
    typer.Option(
        "--warmup",
        min=0,
        help="With --from-curves: warm-up steps of every curve with an lr column [default: "
        f"each curve's own, {WARMUP_RULE}].",
        show_default=False,
    ),
]
KeepDiverged = Annotated[
    bool,
    typer.Option(
        "--keep-diverged",
        help="Fit curves that look diverged too (a loss that turns NaN or inf, or whose median "
        "over its last 5 points is above 1.5x its lowest): they are left out by default, each "
        "named.",
    ),
]
Json = Annotated[
    bool,
    typer.Option("--json", help="Print the result as JSON only (on stdout; messages to stderr)."),
]
Out = Annotated[Path | None, typer.Option("--out", metavar="PATH", help="Save the result as JSON.")]
#: The level of a command that reads a saved fit: the fit's own unless given.
FitLevel = Annotated[
    float | None,
    typer.Option(
        callback=_level,
        help="Coverage of the intervals, a fraction (0.9, not 90 or 90%) [default: the fit's].",
    ),
]

FitFile = Annotated[  # plan's and predict's --fit
    Path | None, typer.Option("--fit", help="A fit saved with `scalinglab fit --out`.")
]
OutPredictions = Annotated[Path | None, _out("the predictions")]
OutPlan = Annotated[Path | None, _out("the plan")]
OutBacktest = Annotated[Path | None, _out("the backtest")]
OutComparison = Annotated[Path | None, _out("the comparison")]
#: fit's, report's and plan's: the budgets of a plan table, which has a default (plan's:
#: that of the fit's runs, :func:`scalinglab.plan._budgets.fit_budgets`).
TableCompute = Annotated[list[str] | None, typer.Option(
    "--compute", "--budget", "--budgets", metavar="FLOPS", show_default=False,
    help="Compute budget(s) to plan for, repeatable or comma-separated: 1e23, 5.76e23 "
    "[default: 1e21,1e22,1e23,1e24; 10x, 100x, 1000x the largest run's compute where "
    "it lies more than 2 decades below 1e21].",
)]  # fmt: skip
#: isoflop's budgets select runs to fit, not budgets to plan for: its own help.
IsoCompute = Annotated[
    list[str] | None,
    typer.Option(
        "--compute",
        "--budget",
        "--budgets",
        metavar="FLOPS",
        help="Which of the runs' compute budgets to fit (each takes the runs within "
        "--tolerance of it), repeatable or comma-separated: 6e18,1e19,3e19 [default: the "
        "budgets found in the runs' flops].",
        show_default=False,
    ),
]
BundledData = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="NAME",
        help="Bundled runs to use without RUNS: overtraining-c4 (Gadre et al. 2024, C4 "
        "validation loss), overtraining-rpj, overtraining-rw, or simulated "
        "[default: overtraining-c4].",
        show_default=False,
    ),
]
Store = Annotated[
    Path | None,
    typer.Option(
        metavar="STORE", help="Read the finished runs of a run store (.duckdb) instead of RUNS."
    ),
]
#: ``--plot PATH`` of the commands that draw one figure (fit, backtest, isoflop, envelope).
Plot = Annotated[Path | None, typer.Option(help="Write a figure (.png, .svg or .pdf).")]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="Format of --plot: png, svg or pdf [default: from its suffix].",
    ),
]
