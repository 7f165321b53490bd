"""Curves and schedules as the ``curves`` commands read them: files or a run store, a
schedule file, a model size, a list of schedule specs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scalinglab._defaults import CURVE_LAW_NAMES, WARMUP_RULE
from scalinglab._errors import ConfigError, check_level
from scalinglab.cli import _options as opt

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab.curves import Curve, Schedule
    from scalinglab.curves._where import Selection

__all__ = [
    "CURVES",
    "FILLED",
    "FIT",
    "LAW",
    "LEVEL",
    "PARAMS",
    "SCHEDULE",
    "SCHEDULE_HELP",
    "STORE",
    "Cooldown",
    "FromCurves",
    "FromCurvesSchedule",
    "PageCurveLaw",
    "PageSchedule",
    "PageWarmup",
    "TokensPerStep",
    "emit",
    "level",
    "logged_schedule",
    "map_with_store",
    "read_curves",
    "read_said",
    "size",
    "split_specs",
    "steps",
]

CURVES = typer.Argument(
    metavar="CURVES",
    help="Curve files (run, step, lr, loss: .csv .parquet .jsonl) or folders of them.",
    show_default=False,
)
LAW = typer.Option(
    help=f"{', '.join(CURVE_LAW_NAMES)}; sized:LAW for curves of several model sizes "
    "(sized:multipower: L0 and A as powers of N)."
)
STORE = typer.Option(help="Read the curves of a run store (.duckdb) instead of CURVES.")
FIT = typer.Option("--fit", metavar="PATH", help="A fit written by 'curves fit --out'.")
PARAMS = typer.Option(help="Model size N (70M, 1e9) for a fit across sizes.")
LEVEL = typer.Option(
    help="Coverage of the intervals, a fraction (0.9, not 90 or 90%) [default: the fit's].",
    show_default=False,
    metavar="FLOAT",
    callback=lambda value: level(value),  # --level checked as it is read (level: below)
)
SCHEDULE_HELP = (
    "kind:key=value,... with kind constant|cosine|linear|wsd|multistep and keys peak, end, "
    "warmup, steps, decay, shape (exp|linear|sqrt), at, lr"
)
#: What every --schedule help says first: it is one schedule for all such runs (there is no
#: per-run form), so runs trained on different schedules must log their lr.
ONE_FOR_ALL = "one for them all (runs trained on different schedules need their lr logged)"
#: ``--schedule`` of ``curves fit`` and ``curves backtest`` (``schedule=`` in Python): the
#: one schedule of the runs that log no lr, which a curve law cannot fit without
SCHEDULE = typer.Option(
    help=f"Schedule of every run that logs no lr, {ONE_FOR_ALL}: {SCHEDULE_HELP}."
)
WARMUP = typer.Option(  # curves fit and curves backtest
    help=f"Warm-up steps of runs with an lr column [default: each run's own, {WARMUP_RULE}]."
)
#: The same ``--schedule`` on ``fit --from-curves`` and ``report --curves``, said as theirs
FromCurvesSchedule = Annotated[
    str | None,
    typer.Option(
        "--schedule",
        help=f"With --from-curves: schedule of every curve that logs no lr, {ONE_FOR_ALL}: "
        f"{SCHEDULE_HELP}.",
    ),
]
#: ``fit --from-curves`` and its options, defined beside the curve reader they feed
FromCurves = Annotated[
    list[Path] | None,
    typer.Option(
        metavar="CURVES",
        help="Fit runs predicted from loss curves (run, step, lr, loss; or a run store "
        ".duckdb; repeat it for each file or folder): the cooled-down "
        "loss at checkpoints of constant or WSD runs, by a curve law.",
    ),
]
Cooldown = Annotated[
    float | None,
    typer.Option(
        help="With --from-curves: fraction of each run spent cooling down [default: 0.2].",
        show_default=False,
    ),
]
TokensPerStep = Annotated[
    str | None,
    typer.Option(
        help="With --from-curves: tokens per step (batch × sequence length; 0.5M, "
        "524288); without it D counts steps and no compute plan is made.",
        show_default=False,
    ),
]
PageSchedule = Annotated[
    str | None,
    typer.Option("--schedule", help=f"--curves: schedule of every run that logs no lr, "
                 f"{ONE_FOR_ALL}: {SCHEDULE_HELP}."),
]  # fmt: skip
PageCurveLaw = Annotated[
    str,
    typer.Option(help=f"--curves: {', '.join(CURVE_LAW_NAMES)}; sized:LAW across sizes."),
]
PageWarmup = Annotated[
    int | None,
    typer.Option(help=f"--curves: warm-up steps [default: each run's own, {WARMUP_RULE}]."),
]
FILLED = (
    "peak, end and warmup left out are the fit's: the fitted curves' median peak and warm-up, "
    "end at the lowest end/peak they decayed to (times the spec's peak)"
)


def read_curves(
    curves: list[Path] | None, store: Path | None, **kw: Any
) -> tuple[list[Curve], dict[str, str], Selection]:
    """:func:`read_said`'s curves, runs left out and source, the notes it printed left out."""
    items, _, left, source = read_said(curves, store, **kw)
    return items, left, source


def read_said(
    curves: list[Path] | None, store: Path | None, **kw: Any
) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
    """The curves of CURVES files or of ``--store`` (exactly one of them), what reading
    them said (its notes and warnings, as printed: a page shows them too), the runs left
    out with why, and where the curves came from, how many ``--where`` kept of how many
    (its ``said``: ``curves.csv (3 of its 9 curves selected)``); ``kw`` are the reading options
    (:class:`~scalinglab.curves._reading.Reading`, as ``fit_curves(path, ...)`` reads
    with them): ``columns`` (the ``--map`` pairs) choose the columns of files, ``where``
    (``--where`` pairs) the runs, as they are read. What the reading skipped or left out
    (a scalinglab result in a folder, rows without a loss, a diverged run) is said on
    stderr."""
    if (not curves) == (store is None):
        raise ConfigError(
            "give CURVES or --store (one of them)",
            hint="scalinglab curves fit curves.csv, or scalinglab curves fit --store runs.duckdb",
        )
    if kw.get("columns") and store is not None:
        raise map_with_store()
    from scalinglab.cli._render import print_notes, stderr_console
    from scalinglab.curves._folder import skipped_notes
    from scalinglab.curves._reading import Reading

    reading = Reading(**kw)  # fit_curves(path, ...) reads with the same
    skipped = [] if store is not None else skipped_notes(curves or [])  # fit.json beside them
    print_notes(stderr_console(), skipped)  # before a reading that may fail
    if store is not None:
        items, notes, left, source = reading.read_store(store)
    else:
        items, notes, left, source = reading.read(curves or [])
    print_notes(stderr_console(), notes)
    return items, [*skipped, *notes], left, source


def map_with_store() -> ConfigError:
    """``--map`` with a run store's curves, which have no columns to choose from."""
    return ConfigError(
        "--map reads curve files: a store's curves are its train_loss",
        hint="drop --map to fit the store's train_loss, or give the curve file (CURVES) "
        "instead of the store to choose its columns",
    )


def logged_schedule(path: Path, *, warmup: int | None = None, run: str | None = None) -> Schedule:
    """``--schedule-file``: an ``lr`` column (and ``step``), reconstructed per step and
    named by the file (``wsd_20000_24000.csv``); ``warmup`` as ``curves fit --warmup``
    (default: the steps before the rate first peaks, by the one rule of
    :meth:`Schedule.from_logged <scalinglab.curves.Schedule.from_logged>` that ``curves
    fit`` reads its curves by); ``run`` (``--run``) picks one run of a file of several (a
    ``run`` column)."""
    from dataclasses import replace

    import numpy as np

    from scalinglab.curves._logged import resumed
    from scalinglab.curves._table import logged_rates, numbers
    from scalinglab.data._curve_columns import CURVE_ALIASES, LR_ALIASES, pick_column
    from scalinglab.data._readers import _read_file

    raw = _read_file(path, str(path))
    # no --map here: two columns that could each be the lr are refused, to keep one
    lr_col, step_col, run_col = (
        pick_column(raw.names, what, aliases, {}, source=raw.source, flag=None)
        for what, aliases in (
            ("lr", LR_ALIASES),
            ("step", CURVE_ALIASES["step"]),
            ("run", CURVE_ALIASES["run"]),
        )
    )
    if lr_col is None:
        raise ConfigError(f"{path}: no 'lr' column", hint="write one learning rate per step")
    lr = numbers(raw, lr_col, missing=True)  # a blank rate: filled as curves fit fills it
    step = numbers(raw, step_col) if step_col else np.arange(len(lr), dtype=float)
    rows = np.array(raw.rows)
    keep = _one_run(path, raw.cells[run_col] if run_col else None, run_col, run)
    if keep is not None:
        lr, step, rows = lr[keep], step[keep], rows[keep]
    name = path.name if run is None else f"{path.name} (run {run})"
    source = f"{path}" + name[len(path.name) :]
    again = resumed(step, rows.tolist(), who=source)  # the later rows of a resumed run hold
    if again is not None:
        lr, step, rows = lr[again[0]], step[again[0]], rows[again[0]]
    sched = logged_rates(step, lr, warmup=warmup, source=source,
                         columns=(step_col or "step", lr_col), rows=rows.tolist())  # fmt: skip
    said = sched.notes if again is None else (again[1], *sched.notes)
    return replace(sched, spec=name, notes=said)  # named in titles, notes and JSON: the file


def _one_run(path: Path, cells: Any, column: str | None, run: str | None) -> Any:
    """The rows of the run ``run`` (``--run``) in a schedule file's ``column``, as a mask;
    ``None`` for a file of one run.

    Raises:
        ConfigError: for a file of several runs without ``--run``, a run it does not hold,
            or ``--run`` with a file that has no run column.
    """
    import numpy as np

    from scalinglab._format import join_first

    if column is None:
        if run is not None:
            raise ConfigError(
                f"--run {run}: {path} has no run column: it holds one schedule",
                hint="drop --run",
            )
        return None
    names = np.array([str(c) for c in cells])
    runs = list(dict.fromkeys(names.tolist()))
    if run is None:
        if len(runs) < 2:
            return None
        raise ConfigError(
            f"{path} holds the schedules of {len(runs)} runs (column {column!r}: "
            f"{join_first([repr(r) for r in runs], 4)}); a schedule file is one run's",
            hint=f"pick one with --run {runs[0]}",
        )
    if run not in runs:
        raise ConfigError(
            f"--run {run}: {path} holds no run {run!r}",
            hint=f"its runs are: {join_first(runs, 6)}",
        )
    return names == run


def level(level: float | None) -> float | None:
    """``--level``, checked (default: the fit's own)."""
    return None if level is None else check_level(level, option="--level")


def steps(option: str, text: str) -> int:
    """A step count from the command line: ``24000`` or ``24K`` (whole)."""
    from scalinglab.data._units import whole_quantity

    return whole_quantity(text, option)


def size(text: str | None) -> float | None:
    """``--params`` as a positive number (``70M``, ``1e9``), or ``None``."""
    return None if text is None else opt.quantity("--params", text)


def split_specs(text: str) -> list[str]:
    """``cosine,wsd:0.1,wsd:decay=0.2,shape=sqrt`` -> specs: a part with ``=`` and no
    ``:`` continues the previous spec.

    Raises:
        ConfigError: For an empty item (``cosine,wsd,``), as every comma list refuses one.
    """
    out: list[str] = []
    opt.no_empty_items([text], option="--schedules")  # cosine,wsd, : a spec left out?
    for part in (p.strip() for p in text.split(",")):
        if out and ":" not in part and "=" in part:
            out[-1] += "," + part
        else:
            out.append(part)
    return out


def emit(data: dict[str, Any]) -> None:
    """``--json``: the result alone on stdout."""
    sys.stdout.write(opt.dumps(data) + "\n")
