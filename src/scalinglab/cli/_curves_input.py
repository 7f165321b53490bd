"""Curves and schedules as the ``curves`` commands read them: files or a run store, a
schedule file, a model size, a list of schedule specs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scalinglab._defaults import CURVE_LAW_NAMES, WARMUP_RULE
from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_count
from scalinglab.cli import _options as opt
from scalinglab.cli._schedule_file import logged_schedule

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab.curves import Curve
    from scalinglab.curves._where import Selection

__all__ = [
    "CURVES",
    "FILLED",
    "FIT",
    "LAW",
    "LEVEL",
    "MAP",
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
    "read_for_fit",
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
#: ``--map`` of ``curves fit`` and ``curves backtest``: a curve file's column (a file with
#: train_loss and val_loss is refused until one is named)
MAP = typer.Option(
    "--map", metavar="NAME=COLUMN", help="Read a curve file's column as NAME: loss=train_loss."
)
WARMUP = typer.Option(  # curves fit and curves backtest; min=0 as fit --warmup refuses -5
    min=0,
    help=f"Warm-up steps of runs with an lr column [default: each run's own, {WARMUP_RULE}].",
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
    typer.Option(min=0, help=f"--curves: warm-up steps [default: each run's own, {WARMUP_RULE}]."),
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


def read_for_fit(
    curves: list[Path] | None, store: Path | None, **kw: Any
) -> tuple[list[Curve], tuple[str, ...], dict[str, str], Selection]:
    """:func:`read_said` for a command that fits the curves (``curves fit``, ``curves
    backtest``): the notes its fit keeps (rows skipped without a finite loss:
    :func:`~scalinglab.curves._logged.recorded`) returned to put in the fit's notes, as
    ``fit_curves`` of a path keeps them, and not printed as read; the rest printed."""
    from scalinglab.curves._logged import recorded

    items, said, left, source = read_said(curves, store, printed=lambda n: not recorded(n), **kw)
    return items, tuple(n for n in said if recorded(n)), left, source


def read_said(
    curves: list[Path] | None,
    store: Path | None,
    *,
    printed: Callable[[str], bool] = lambda _: True,
    **kw: Any,
) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
    """The curves of CURVES files or of ``--store`` (exactly one of them), what reading
    them said (its notes and warnings, as printed: a page shows them too), the runs left
    out with why, and where the curves came from, how many ``--where`` kept of how many
    (its ``said``: ``curves.csv (3 of its 9 curves selected)``); ``kw`` are the reading options
    (:class:`~scalinglab.curves._reading.Reading`, as ``fit_curves(path, ...)`` reads
    with them): ``columns`` (the ``--map`` pairs) choose the columns of files, ``where``
    (``--where`` pairs) the runs, as they are read. What the reading skipped or left out
    (a scalinglab result in a folder, rows without a loss, a diverged run) is said on
    stderr, each note that ``printed`` passes (the others: a fit's to say)."""
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
    print_notes(stderr_console(), [n for n in notes if printed(n)])
    return items, [*skipped, *notes], left, source


def map_with_store() -> ConfigError:
    """``--map`` with a run store's curves, which have no columns to choose from."""
    return ConfigError(
        "--map reads curve files: a store's curves are its train_loss",
        hint="drop --map to fit the store's train_loss, or give the curve file (CURVES) "
        "instead of the store to choose its columns",
    )


def level(level: float | None) -> float | None:
    """``--level``, checked (default: the fit's own)."""
    return None if level is None else check_level(level, option="--level")


def steps(option: str, text: str) -> int:
    """A step count from the command line: ``24000`` or ``24K`` (whole)."""
    from scalinglab.data._quantity_args import whole_quantity

    return whole_quantity(text, option)


def size(text: str | None, fit: Any) -> float | None:
    """``--params`` as a positive number (``70M``, ``1e9``), or ``None``; refused missing
    for ``fit`` across sizes in the command line's words (the library's names
    ``params=``)."""
    if text is None and str(fit.law).startswith("sized:"):
        from scalinglab.curves._caveats import fitted_sizes

        raise ConfigError(
            f"--params is missing: a {fit.law} fit predicts the loss of a model size",
            hint=f"give one, e.g. --params {format_count(max(fit.sizes, default=1e8))} "
            f"(sizes fitted: {fitted_sizes(fit)})",
        )
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
