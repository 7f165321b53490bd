"""``scalinglab curves compare``: the predicted final loss of each schedule for one step
budget, and its gain over a baseline (cosine), from a curve fit.

::

    scalinglab curves compare --fit curve.json --steps 24000 --schedules cosine,wsd:0.1,wsd:0.2
    scalinglab curves compare --fit curve.json --steps 24K --schedules wsd:0.2 --out cmp.json
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scalinglab._format import (
    format_count,
    format_gain,
    format_grouped,
    format_level,
    format_loss,
)
from scalinglab.cli import _curves_notes as notes
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._curves_input import FILLED, FIT, LEVEL, PARAMS, size, split_specs
from scalinglab.cli._curves_input import level as level_
from scalinglab.cli._render import (
    interval,
    print_notes,
    print_warnings,
    split_warnings,
    stderr_console,
    stdout_console,
)
from scalinglab.cli._sources import source_dict

__all__ = ["FORMAT", "compare_command"]

#: The "format" of what --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.curves_compare/1"


def compare_command(
    fit: Annotated[Path, FIT],
    steps: Annotated[
        str | None,
        typer.Option(
            help="Step budget, warm-up included (24000, 24K); without it the error names "
            "the longest fitted curve's steps, as curves predict's does.",
            show_default=False,
        ),
    ] = None,
    schedules: Annotated[
        str,
        typer.Option(help=f"Comma-separated kinds or specs; wsd:0.2 = decay over 20%; {FILLED}."),
    ] = "cosine,wsd:0.1,wsd:0.2,linear",
    baseline: Annotated[
        str, typer.Option(help="The schedule the gains are measured against (a spec).")
    ] = "cosine",
    params: Annotated[str | None, PARAMS] = None,
    level: Annotated[float | None, LEVEL] = None,
    as_json: params_.Json = False,
    out: params_.OutComparison = None,
) -> None:
    """Predicted final loss of each schedule for a step budget, and the gain over a
    baseline (cosine)."""
    from scalinglab.curves import CurveFit, _result_json, compare_schedules
    from scalinglab.curves._caveats import resamples
    from scalinglab.curves._compare import compared_steps, distinct_schedules, marks
    from scalinglab.curves._schedule_defaults import steps_missing

    # before the fit: the option's error
    n_steps = None if steps is None else compared_steps(steps, option="--steps")
    if out is not None:  # before any work, never over the fit it reads
        opt.check_output(out, option="--out", inputs=[("--fit", fit)], what="the comparison",
                         example="compare.json", kind_format=FORMAT)  # fmt: skip
    result = _result_json.load(CurveFit, fit, option="--fit")
    if n_steps is None:  # as curves predict says of a spec without steps=
        raise steps_missing("--steps is missing: the step budget the schedules are compared "
                            "over", "--steps ", "--steps ", fitted_steps=result.steps,
                            lengths=result.lengths)  # fmt: skip
    # a schedule given twice: compared once, as compare_schedules does, said as the option
    specs, repeated = distinct_schedules(split_specs(schedules), who="--schedules")
    if repeated:  # on stderr before any work, as list options say it; in the JSON's warnings
        print_warnings(stderr_console(), [repeated])
    n, lvl = size(params, result), level_(level)
    rows = compare_schedules(result, steps=n_steps, schedules=specs, params=n, level=lvl,
                             baseline=baseline, include_baseline=True)  # fmt: skip
    lvl = result.level if lvl is None else lvl
    said = notes.comparison(result, specs, n_steps, rows, n, baseline=baseline, level=lvl)
    kept, warnings = split_warnings(said)  # the text prints both, the warnings as such
    warnings = [repeated, *warnings] if repeated else warnings
    base = next(r for r in rows if r.baseline)
    data = {  # --json and --out
        "format": FORMAT,
        "source": source_dict(result, f"--fit {fit}"),
        "law": result.law,
        "steps": n_steps,
        **({} if n is None else {"params": n}),
        "baseline": baseline,
        "baseline_schedule": base.schedule,
        "baseline_loss": base.loss,
        "baseline_loss_lower": base.lower,
        "baseline_loss_upper": base.upper,
        "baseline_lower": base.lower,  # the old keys, kept one release
        "baseline_upper": base.upper,
        "best": next(r.spec for r in rows if r.best),
        "level": lvl,
        # the schedules as given (the baseline's own row is the baseline_ keys)
        "schedules": [r.to_dict() for r in rows if not r.baseline or r.spec in specs],
        "notes": kept,
        "warnings": warnings,
    }
    if as_json:  # JSON alone on stdout; "wrote ...", and the lines the text prints, on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="comparison")
        print_notes(stderr_console(), said)
        return
    # the columns say the level; the title what the intervals are drawn from (the columns
    # are too narrow for it)
    drawn = resamples(result)
    title = (
        f"{result.law}: final loss after {format_grouped(n_steps)} steps"
        + ("" if n is None else f" at N = {format_count(n)}")
        + (f"; intervals from {drawn}" if drawn else "")
    )
    if not drawn:  # three columns, narrower than the title: it goes a line above, as curves
        stdout_console().print(title, markup=False, soft_wrap=True)  # fit's, the table its own
        title = "final loss by schedule"  # width
    table = Table(title=title, title_justify="center" if drawn else "left")
    header = f"{format_level(lvl)} interval"
    cols = ("schedule", "final loss", header, f"gain over {baseline}", header)
    shown = [0, 1, 2, 3, 4] if drawn else [0, 1, 3]  # no bootstrap: no interval columns
    for k in shown:
        table.add_column(cols[k], justify="left" if k == 0 else "right")
    for r in rows:  # each as given; the notes say what was filled in (--json: every spec)
        cells = (
            r.spec + marks(r),
            format_loss(r.loss),
            interval(r.lower, r.upper, format_loss),
            format_gain(r.gain),
            interval(r.gain_lower, r.gain_upper, format_gain),
        )
        table.add_row(*(cells[k] for k in shown))
    stdout_console().print(table)
    print_notes(stdout_console(), said)
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="comparison")
