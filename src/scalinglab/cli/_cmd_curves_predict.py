"""``scalinglab curves predict``: the whole loss curve a curve fit predicts under a
schedule never run (a spec, or a schedule file's logged lr)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from scalinglab._defaults import WARMUP_RULE
from scalinglab._errors import ConfigError
from scalinglab._format import column_form, format_count, format_grouped, format_loss
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._curves_input import (
    FILLED,
    FIT,
    LEVEL,
    PARAMS,
    SCHEDULE_HELP,
    logged_schedule,
    size,
)
from scalinglab.cli._curves_input import level as level_
from scalinglab.cli._render import (
    interval,
    print_notes,
    print_warnings,
    stderr_console,
    stdout_console,
)
from scalinglab.cli._sources import source_dict

if TYPE_CHECKING:  # NumPy and the curves package load where the command runs
    import numpy as np
    from numpy.typing import NDArray

    from scalinglab.curves import Schedule

__all__ = ["FORMAT", "predict_command"]

#: The "format" of what --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.curves_predict/1"


def predict_command(
    fit: Annotated[Path, FIT],
    schedule: Annotated[
        str | None, typer.Option(help=f"{SCHEDULE_HELP}; {FILLED}.", show_default=False)
    ] = None,
    schedule_file: Annotated[
        Path | None, typer.Option(help="A schedule as a file: lr (and step) columns.")
    ] = None,
    warmup: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=f"With --schedule-file: warm-up steps [default: {WARMUP_RULE}].",
            show_default=False,
        ),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            help="With --schedule-file of several runs (a run column): the run whose logged "
            "learning rates are the schedule to predict under."
        ),
    ] = None,
    points: Annotated[
        int,
        typer.Option(
            help="Rows of the table, the first and final steps among them (1: the final), "
            "at most every step predicted (all then shown); --json holds every predicted "
            "step (240 from warm-up to the end) whatever it is."
        ),
    ] = 12,
    params: Annotated[str | None, PARAMS] = None,
    level: Annotated[float | None, LEVEL] = None,
    as_json: params_.Json = False,
    out: params_.OutPredictions = None,
) -> None:
    """Predict the whole loss curve under a schedule never run."""
    import numpy as np

    from scalinglab.curves import CurveFit, _result_json
    from scalinglab.curves._caveats import interval_header

    if (schedule is None) == (schedule_file is None):
        raise ConfigError(
            "give exactly one of --schedule and --schedule-file",
            hint="a kind with its settings (--schedule wsd:decay=0.2,steps=24000) or a file of lr per step "
            "(--schedule-file lr.csv), not both and not neither",
        )
    if points < 1:
        raise ConfigError(
            f"--points {points}: the table needs at least one row",
            hint="--points 1 prints the final step alone; the default prints 12",
        )
    if run is not None and schedule_file is None:
        raise ConfigError("--run picks a run of --schedule-file, and none was given")
    if warmup is not None and schedule_file is None:
        raise ConfigError(
            "--warmup is for --schedule-file: a --schedule spec says its own warm-up",
            hint="write it into the spec: --schedule 'cosine:warmup=2160,steps=24000'",
        )
    if out is not None:  # before any work, never over the fit or schedule it reads
        opt.check_output(out, option="--out", inputs=[("--fit", fit), ("--schedule-file",
                         schedule_file)], what="the predictions", example="curve_pred.json",
                         kind_format=FORMAT)  # fmt: skip
    result = _result_json.load(CurveFit, fit, option="--fit")
    if schedule_file is not None:
        sched = logged_schedule(schedule_file, warmup=warmup, run=run)
    else:
        sched = result.schedule(schedule)  # type: ignore[arg-type]
    n = size(params, result)
    pred = result.predict(sched, params=n, level=level_(level))
    # --json and --out: every predicted step, not only the rows printed
    data = {"format": FORMAT, "source": source_dict(result, f"--fit {fit}"), "law": result.law,
            **pred.to_dict()}  # fmt: skip
    if as_json:  # JSON alone on stdout; "wrote ...", and the lines the text prints, on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="predictions")
        print_notes(stderr_console(), pred.notes)
        print_warnings(stderr_console(), pred.warnings)
        return
    console = stdout_console()
    at = "" if n is None else f" at N = {format_count(n)}"
    title = f"{result.law}: predicted loss{at} under {sched.spec}"
    drawn = result.samples is not None  # no bootstrap: no interval column
    if not drawn:  # three narrow columns: the title a line above, as curves fit's, and the
        console.print(title, markup=False, soft_wrap=True)  # table its own width and title
        title = "predicted loss"
    table = Table(title=title, title_justify="center" if drawn else "left")
    table.add_column("step", justify="right")
    table.add_column("lr", justify="right")
    table.add_column("loss", justify="right")
    if drawn:
        table.add_column(interval_header(result, pred.level), justify="right")
    # evenly spaced from the first predicted step to the final one, which is always shown
    last = len(pred.step) - 1
    idx = [last] if points == 1 else sorted({round(i) for i in np.linspace(0, last, points)})
    # the rates shown, one column: 0.000300 beside 0.000198 (was 0.0003)
    lr = column_form([float(sched.lr[int(pred.step[i])]) for i in idx])
    for i in idx:
        s = int(pred.step[i])
        table.add_row(
            format_grouped(s),  # as the notes and compare's title write steps
            lr(float(sched.lr[s])),
            format_loss(float(pred.loss[i])),
            *[interval(float(pred.lower[i]), float(pred.upper[i]), format_loss)] * drawn,
        )
    console.print(table)
    print_notes(console, [*_fewer(points, pred.step, sched), *pred.notes])
    print_warnings(console, pred.warnings)
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=console, what="predictions")


def _fewer(points: int, steps: NDArray[np.int64], sched: Schedule) -> list[str]:
    """The note for a ``--points`` above the steps predicted: all of them are shown, and
    how to predict at every step (the table is drawn from the prediction, not refitted)."""
    if points <= len(steps):
        return []
    first, last = int(steps[0]), int(steps[-1])
    return [
        f"--points {points}: {len(steps)} rows, every step predicted ({len(steps)} evenly "
        f"spaced from the warm-up's end, step {format_grouped(first)}, to the final step "
        f"{format_grouped(last)}), as --json holds them; CurveFit.predict(schedule, "
        f"steps=range({first}, {sched.steps})) predicts at every step"
    ]
