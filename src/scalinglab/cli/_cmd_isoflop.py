"""``scalinglab isoflop`` and ``scalinglab envelope``: Chinchilla approaches 2 and 1.

::

    scalinglab isoflop runs.csv --compute 6e18,1e19,3e19 --tolerance 0.1 --out iso.json
    scalinglab isoflop runs.csv --at 1e23,1e24      # N_opt and D_opt there, with intervals
    scalinglab isoflop --store scalinglab.duckdb
    scalinglab envelope curves.parquet --runs runs.csv --plot env.png
    scalinglab envelope --store scalinglab.duckdb --map loss=eval_loss
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scalinglab._defaults import ISOFLOP_BOOTSTRAP
from scalinglab._errors import ConfigError
from scalinglab._no_intervals import isoflop_no_intervals
from scalinglab._progress import Progress
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _checked_options as checked
from scalinglab.cli import _isoflop_at as at_
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._isoflop_views import print_envelope, print_isoflop
from scalinglab.cli._level_unused import GivenLevel, given_level, no_effect
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._runs_input import load_runs

__all__ = ["register"]

_STAGE = "bootstrap: resamples"
#: What each analysis's --out holds, as the messages name it (``wrote isoflop result: iso.json``).
_WHAT = {"iso": "isoflop result", "envelope": "envelope result"}


def register(app: typer.Typer) -> None:
    """Add ``isoflop`` and ``envelope`` to ``app``."""
    app.command("isoflop")(isoflop_command)
    app.command("envelope")(envelope_command)


_MAP = typer.Option("--map", metavar="NAME=COLUMN", help="Read a column as NAME: params=n_params.")


def isoflop_command(
    runs: Annotated[
        Path | None,
        typer.Argument(
            metavar="RUNS", help="Run table (.csv .tsv .parquet .jsonl .json).", show_default=False
        ),
    ] = None,
    budgets: params.IsoCompute = None,
    budgets_flops: aliases.FlopsAsCompute = None,
    at: at_.At = None,
    tolerance: checked.IsoTolerance = 0.05,
    space: checked.IsoSpace = "linear",
    min_runs: Annotated[int, typer.Option(min=3, help="Fewest runs a budget needs.")] = 3,
    window: checked.IsoWindow = None,
    mapping: Annotated[list[str] | None, _MAP] = None,
    y: params.YColumn = None,
    where: params.Where = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples of the runs within each budget (0: none).")
    ] = ISOFLOP_BOOTSTRAP,
    level: GivenLevel = None,
    seed: params.Seed = 0,
    drop_outliers: params.DropOutliers = False,
    store: params.Store = None,
    as_json: params.Json = False,
    out_path: params.Out = None,
    plot: params.Plot = None,
    plot_format: params.Format = None,
) -> None:
    """Chinchilla approach 2: a parabola in log N per compute budget, then N_opt ∝ C^a."""
    from scalinglab.validate import isoflop

    if runs is None and store is None:
        raise ConfigError(
            "give a run table RUNS or --store STORE",
            hint="e.g. scalinglab isoflop runs.csv --compute 6e18,1e19,3e19",
        )
    columns = opt.parse_pairs(mapping, option="--map", example="params=n_params")
    columns = opt.with_y(columns, opt.parse_y(y)[1], y=y)
    typed = aliases.budgets_option(budgets, budgets_flops)  # the messages name it as typed
    given = _budgets(aliases.budgets(budgets, budgets_flops), option=typed)
    at_flops = at_.at_budgets(at)
    inputs = [("RUNS", runs), ("--store", store)]
    plot = opt.plot_path(
        plot, plot_format, inputs=inputs, outputs=[("--out", out_path)], example="iso.png"
    )
    to_stdout = _check_outputs(as_json, out_path, inputs, "iso")
    table = load_runs(
        runs,
        command="isoflop",
        columns=columns,
        drop_outliers=drop_outliers,
        store=store,
        where=where,
    )
    _analyse(
        lambda progress: isoflop(
            table,
            budgets=given,
            tolerance=tolerance,
            space=space,
            min_runs=min_runs,
            window=window,
            bootstrap=bootstrap,
            level=given_level(level),
            seed=seed,
            progress=progress,
        ),
        drawn="runs",
        what=_WHAT["iso"],
        view=lambda out, result: print_isoflop(out, result, table.describe_source()),
        at=at_flops,
        draw=_plot_isoflop,
        to_stdout=to_stdout,
        out=out_path,
        plot=plot,
        level=level,  # said to have no effect, in the shared words, only where given
    )


def envelope_command(
    curves: Annotated[
        Path | None,
        typer.Argument(
            metavar="CURVES",
            help="Loss curves, one row per logged point: run, tokens (or step), loss, and "
            "params (or --runs); or a folder of them, a file per run (25M/cosine.csv).",
            show_default=False,
        ),
    ] = None,
    runs: Annotated[
        Path | None,
        typer.Option(
            metavar="RUNS",
            help="Run table giving each run's params: run and params columns (no loss needed).",
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(metavar="STORE", help="Read curves and params from a run store."),
    ] = None,
    mapping: Annotated[list[str] | None, _MAP] = None,
    y: params.YColumn = None,
    where: params.Where = None,
    tokens_per_step: Annotated[
        str | None,
        typer.Option(
            metavar="TOKENS",
            help="Tokens per step, when curves give steps (or stored curves lack tokens).",
        ),
    ] = None,
    grid: Annotated[int, typer.Option(min=5, help="Log-spaced FLOP values on the grid.")] = 60,
    at: at_.At = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples of whole runs (0: no intervals).")
    ] = ISOFLOP_BOOTSTRAP,
    level: GivenLevel = None,
    seed: params.Seed = 0,
    as_json: params.Json = False,
    out_path: params.Out = None,
    plot: params.Plot = None,
    plot_format: params.Format = None,
) -> None:
    """Chinchilla approach 1: the lowest loss at each compute across curves -> N_opt ∝ C^a."""
    from scalinglab.cli._envelope_files import check_inputs, curves_from_files
    from scalinglab.data._curve_columns import MAP_LOSS
    from scalinglab.data._schema import LOSS_OPTION
    from scalinglab.validate import envelope

    check_inputs(curves, runs, store)  # a path not there first, then which are given
    columns = opt.parse_pairs(mapping, option="--map", example="loss=eval_loss")
    given_y = opt.parse_y(y)[1]
    columns = opt.with_y(columns, given_y, y=y)  # --y COLUMN: the loss, as on every command
    # a missing loss column's hint names the option that gave it: --map, else --y as on fit
    loss_option = MAP_LOSS if "loss" in columns and "loss" not in given_y else LOSS_OPTION
    conditions = opt.where_pairs(where)  # a malformed --where is refused before any work
    at_flops = at_.at_budgets(at)
    per_step = (
        None if tokens_per_step is None else opt.quantity("--tokens-per-step", tokens_per_step)
    )
    inputs = [("CURVES", curves), ("--runs", runs), ("--store", store)]
    plot = opt.plot_path(
        plot, plot_format, inputs=inputs, outputs=[("--out", out_path)], example="envelope.png"
    )
    to_stdout = _check_outputs(as_json, out_path, inputs, "envelope")
    if curves is not None:  # a file, or a folder of them: a bar as its files are read
        data = curves_from_files(curves, columns=columns or None, runs=runs, per_step=per_step,
                                 loss_option=loss_option, shown=not to_stdout)  # fmt: skip
    else:
        from scalinglab.cli._envelope_store import curves_from_store

        data = curves_from_store(
            Path(str(store)), columns, per_step, loss_option=loss_option, where=conditions
        )
    for column, value in conditions if curves is not None else ():  # each narrows the last
        data = data.where(column, value)
    _analyse(
        lambda progress: envelope(data, grid=grid, bootstrap=bootstrap, seed=seed,
                                  level=given_level(level), progress=progress),
        drawn="curves", what=_WHAT["envelope"], view=print_envelope, at=at_flops,
        draw=lambda result, path: _plot_envelope(result, data, path),
        to_stdout=to_stdout, out=out_path, plot=plot, level=level,
    )  # fmt: skip


# -- plumbing ------------------------------------------------------------------------------


def _budgets(values: Sequence[str] | None, *, option: str) -> list[float] | None:
    if not values:
        return None
    given = opt.distinct(opt.quantities(values, option=option), option=option)
    if not given:
        raise ConfigError(f"{option} is empty", hint=f"e.g. {option} 6e18,1e19,3e19")
    return list(given)


def _check_outputs(as_json: bool, out: Path | None, inputs: opt.Inputs, name: str) -> bool:
    """Refuse a bad ``--out`` (one of the ``inputs``, say; ``name``.json is suggested) before
    any work; whether JSON goes to stdout."""
    if out is not None:
        fmt = "scalinglab.isoflop/2" if name == "iso" else f"scalinglab.{name}/2"  # save's too
        opt.check_output(out, option="--out", inputs=inputs, example=f"{name}.json",
                         kind_format=fmt, what=f"the {_WHAT[name]}")  # fmt: skip
    return as_json


def _analyse(
    analysis: Callable[[Progress], Any],
    *,
    drawn: str,
    what: str,
    view: Callable[[Console, Any], None],
    at: Sequence[float],
    draw: Callable[[Any, Path], object],
    to_stdout: bool,
    out: Path | None,
    plot: Path | None,
    level: float | None = None,
) -> None:
    """Run ``analysis`` with a progress bar on a terminal's stderr, then show its result.

    Args:
        analysis: Runs the isoFLOP or envelope analysis, reporting to the progress it is given.
        drawn: What simulated data are drawn (the banner says so).
        what: What ``--out`` holds, as its ``wrote`` line names it (``isoflop result``).
        view: Prints the result's tables, unless JSON goes to stdout.
        at: Budgets to read N_opt and D_opt at (``--at``): a table, and ``"at"`` in the JSON.
        draw: Writes the result's figure to a path (``--plot``).
        to_stdout: Whether JSON goes to stdout: then no bar, and messages on stderr.
        out: Where ``--out`` writes the JSON.
        plot: Where ``--plot`` writes the figure.
        level: The ``--level`` given: said to have no effect where no resamples were drawn
            (a terminal says there are no intervals then, given or not).
    """
    stdout, err = stdout_console(), stderr_console()
    with render.FitProgress(err, enabled=err.is_terminal and not to_stdout) as bar:
        result = analysis(lambda _, done, total: bar(_STAGE, done, total))
    report = err if to_stdout else stdout
    if result.simulated:
        render.simulated_banner(report, f"{drawn} drawn from a law, not trained")
    found = at_.optima(result, at)
    if not to_stdout:
        view(stdout, result)
        at_.print_optima(stdout, result, found, level=level)
    if to_stdout:  # the JSON's notes say there are no intervals: here, only a --level unused
        said = no_effect(level, drawn=result.n_bootstrap, ask=ISOFLOP_BOOTSTRAP)
        render.print_notes(report, said)
    elif not found and (why := isoflop_no_intervals(result, level=level)):
        render.print_notes(report, [why])  # else the --at table's own line says it: once
    from scalinglab.validate._saved import saved_data  # the file IsoFLOPResult.load reads

    data = saved_data(result, **({"at": [o.to_dict() for o in found]} if found else {}))
    opt.emit_json(data, as_json=to_stdout, out=out, report=report, what=what)
    if plot is not None:
        opt.write(plot, "--plot", lambda: draw(result, plot))
        opt.wrote(report, "figure", plot)


def _plot_isoflop(result: Any, path: Path) -> object:
    from scalinglab.report import plot_isoflop

    return plot_isoflop(result, path)


def _plot_envelope(result: Any, curves: Any, path: Path) -> object:
    from scalinglab.report import plot_envelope

    return plot_envelope(result, curves, path)
