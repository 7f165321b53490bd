"""``scalinglab curves``: fit loss-curve laws, predict schedules, compare them, backtest.

::

    scalinglab curves fit CURVES --law multipower --out curve.json
    scalinglab curves predict --fit curve.json --schedule "wsd:decay=0.2,steps=24000"
    scalinglab curves predict --fit curve.json --schedule-file lr.csv
    scalinglab curves compare --fit curve.json --steps 24000 --schedules cosine,wsd:0.1,wsd:0.2
    scalinglab curves backtest CURVES --train cosine_24000,constant_24000,wsdcon_9
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from scalinglab._errors import ConfigError
from scalinglab.cli import _options as opt
from scalinglab.cli._render import interval, number, print_notes, stdout_console

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab.curves import Curve, Schedule
    from scalinglab.data import RunTable

__all__ = ["register", "write_report"]

curves_app = typer.Typer(
    help="Loss-curve laws across learning-rate schedules: fit, predict, compare, backtest.",
    no_args_is_help=True,
)

_CURVES = typer.Argument(
    metavar="CURVES",
    help="Curve files (run, step, lr, loss: .csv .parquet .jsonl) or folders of them.",
    show_default=False,
)
_FIT = typer.Option("--fit", metavar="PATH", help="A fit written by 'curves fit --out'.")
_SCHEDULE_HELP = (
    "kind:key=value,... with kind constant|cosine|linear|wsd|multistep and keys peak, end, "
    "warmup, steps, decay, shape (exp|linear|sqrt), at, lr"
)


def register(app: typer.Typer) -> None:
    """Add the ``curves`` command group to ``app``."""
    app.add_typer(curves_app, name="curves")


_STORE = typer.Option(help="Read the curves of a run store (.duckdb) instead of CURVES.")


def _read(curves: list[Path] | None, store: Path | None, **kw: object) -> list[Curve]:
    if (not curves) == (store is None):
        raise ConfigError(
            "give CURVES or --store (one of them)",
            hint="scalinglab curves fit curves.csv, or scalinglab curves fit --store runs.duckdb",
        )
    from scalinglab.curves import read_lr_curves, read_store_curves

    if store is not None:
        return read_store_curves(store, warmup=kw.get("warmup"))  # type: ignore[arg-type]
    return read_lr_curves(curves or [], **kw)  # type: ignore[arg-type]


@curves_app.command("fit")
def fit_command(
    curves: Annotated[list[Path] | None, _CURVES] = None,
    store: Annotated[Path | None, _STORE] = None,
    law: Annotated[str, typer.Option(help="multipower, tissue, power-s1 or power-steps.")] = (
        "multipower"
    ),
    schedule: Annotated[
        str | None,
        typer.Option(help=f"Schedule of every run without an lr column: {_SCHEDULE_HELP}."),
    ] = None,
    warmup: Annotated[
        int | None, typer.Option(help="Warm-up steps [default: each run's first logged step].")
    ] = None,
    bootstrap: Annotated[int, typer.Option(help="Resamples of whole curves (0: none).")] = 0,
    level: Annotated[float, typer.Option(help="Coverage of the intervals.")] = 0.9,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the fit as JSON.")] = None,
) -> None:
    """Fit a curve law jointly to whole loss curves (shared parameters)."""
    items = _read(curves, store, schedule=schedule, warmup=warmup)
    from scalinglab.curves import fit_curves

    result = fit_curves(items, law=law, bootstrap=bootstrap, level=level, seed=seed)
    console = stdout_console()
    table = Table(title=f"{result.law} fitted to {len(items)} curves ({result.status})")
    table.add_column("coef")
    table.add_column("value", justify="right")
    table.add_column(f"{result.level:.0%} interval", justify="right")
    for name, value in result.coefs.items():
        table.add_row(name, number(value), interval(*result.intervals[name]))
    console.print(table)
    rms = float((result.residuals**2).mean() ** 0.5)
    console.print(
        f"{result.n_starts_at_best} of {result.n_starts} starts reached the best fit; "
        f"rms log residual {rms:.2e} over {len(result.residuals)} points"
    )
    print_notes(console, [n for n in result.notes if "interpolated" not in n])
    if out is not None:
        result.save(out)
        console.print(f"wrote {out}")


def _logged_schedule(path: Path) -> Schedule:
    import numpy as np

    from scalinglab.curves import Schedule
    from scalinglab.data._readers import _read_file

    raw = _read_file(path, str(path))
    keys = {n.strip().lower(): n for n in raw.names}
    if "lr" not in keys:
        raise ConfigError(f"{path}: no 'lr' column", hint="write one learning rate per step")
    lr = [float(v) for v in raw.cells[keys["lr"]]]  # type: ignore[arg-type]
    step = (
        [float(v) for v in raw.cells[keys["step"]]]  # type: ignore[arg-type]
        if "step" in keys
        else list(range(len(lr)))
    )
    warmup = int(step[0]) if step[0] > 0 else None
    return Schedule.from_logged(
        np.asarray(step, float), np.asarray(lr, float), warmup=warmup, source=str(path)
    )


@curves_app.command("predict")
def predict_command(
    fit: Annotated[Path, _FIT],
    schedule: Annotated[str | None, typer.Option(help=_SCHEDULE_HELP + ".")] = None,
    schedule_file: Annotated[
        Path | None, typer.Option(help="A schedule as a file: lr (and step) columns.")
    ] = None,
    points: Annotated[int, typer.Option(help="Rows to print.")] = 12,
    params: Annotated[
        str | None, typer.Option(help="Model size N (70M, 1e9) for a fit across sizes.")
    ] = None,
) -> None:
    """Predict the whole loss curve under a schedule never run."""
    import numpy as np

    from scalinglab.curves import CurveFit

    if (schedule is None) == (schedule_file is None):
        raise ConfigError("give exactly one of --schedule and --schedule-file")
    result = CurveFit.load(fit)
    sched = result.schedule(schedule) if schedule else _logged_schedule(schedule_file)  # type: ignore[arg-type]
    pred = result.predict(sched, params=_size(params))
    console = stdout_console()
    table = Table(title=f"{result.law}: predicted loss under {sched.spec}")
    table.add_column("step", justify="right")
    table.add_column("lr", justify="right")
    table.add_column("loss", justify="right")
    table.add_column(f"{pred.level:.0%} interval", justify="right")
    idx = sorted({round(i) for i in np.linspace(0, len(pred.step) - 1, points)})
    for i in idx:
        s = int(pred.step[i])
        table.add_row(
            str(s),
            f"{sched.lr[s]:.3g}",
            f"{pred.loss[i]:.4f}",
            interval(float(pred.lower[i]), float(pred.upper[i])),
        )
    console.print(table)
    print_notes(console, list(sched.notes))


@curves_app.command("compare")
def compare_command(
    fit: Annotated[Path, _FIT],
    steps: Annotated[int, typer.Option(help="Step budget, warm-up included.")],
    schedules: Annotated[
        str, typer.Option(help="Comma-separated kinds or specs; wsd:0.2 = decay over 20%.")
    ] = "cosine,wsd:0.1,wsd:0.2,linear",
    params: Annotated[
        str | None, typer.Option(help="Model size N (70M, 1e9) for a fit across sizes.")
    ] = None,
) -> None:
    """Predicted final loss of each schedule for a step budget, and the gain over cosine."""
    from scalinglab.curves import CurveFit, compare_schedules

    result = CurveFit.load(fit)
    specs = _split_specs(schedules)
    rows = compare_schedules(result, steps=steps, schedules=specs, params=_size(params))
    table = Table(title=f"{result.law}: final loss after {steps} steps")
    for col in ("schedule", "final loss", "interval", "gain over cosine", "interval"):
        table.add_column(col, justify="left" if col == "schedule" else "right")
    for r in rows:
        table.add_row(
            r.spec + (" (best)" if r.best else ""),
            f"{r.loss:.4f}",
            interval(r.lower, r.upper),
            f"{r.gain:+.4f}",
            interval(r.gain_lower, r.gain_upper),
        )
    stdout_console().print(table)


def _size(text: str | None) -> float | None:
    from scalinglab.data import parse_quantity

    return None if text is None else parse_quantity(text, column="--params")


def _split_specs(text: str) -> list[str]:
    """``cosine,wsd:0.1,wsd:decay=0.2,shape=sqrt`` -> specs: a part with ``=`` and no
    ``:`` continues the previous spec."""
    out: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if out and ":" not in part and "=" in part:
            out[-1] += "," + part
        else:
            out.append(part)
    return out


@curves_app.command("backtest")
def backtest_command(
    train: Annotated[str, typer.Option(help="Comma-separated runs to fit on.")],
    curves: Annotated[list[Path] | None, _CURVES] = None,
    store: Annotated[Path | None, _STORE] = None,
    law: Annotated[str, typer.Option(help="multipower, tissue, power-s1 or power-steps.")] = (
        "multipower"
    ),
    warmup: Annotated[
        int | None, typer.Option(help="Warm-up steps [default: each run's first logged step].")
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            help="Write a figure: curves with fit and predictions, residuals (.png .svg .pdf)."
        ),
    ] = None,
    bootstrap: Annotated[int, typer.Option(help="Resamples of whole curves (0: none).")] = 0,
) -> None:
    """Fit on some curves, predict the other schedules, report relative errors."""
    from scalinglab.curves import backtest_curves

    items = _read(curves, store, warmup=warmup)
    if plot is not None:
        opt.check_output(plot, option="--plot", suffixes=opt.PLOT_FORMATS)
    bt = backtest_curves(
        items,
        train=[t.strip() for t in train.split(",") if t.strip()],
        law=law,
        bootstrap=bootstrap,
    )
    table = Table(title=f"{law} fitted on {', '.join(bt.fit.runs)}")
    table.add_column("held-out run")
    table.add_column("mean rel. error", justify="right")
    table.add_column("worst rel. error", justify="right")
    for run, m, w in zip(bt.runs, bt.mean_error, bt.worst_error, strict=True):
        table.add_row(run, f"{100 * m:.3f}%", f"{100 * w:.3f}%")
    n = len(bt.runs)
    table.add_row(
        "mean", f"{100 * sum(bt.mean_error) / n:.3f}%", f"{100 * max(bt.worst_error):.3f}%"
    )
    stdout_console().print(table)
    if plot is not None:
        from scalinglab.curves._plot import plot_curves

        opt.write(plot, "--plot", lambda: plot_curves(bt.fit, items, plot, held_out=bt.runs))
        stdout_console().print(f"wrote figure: {plot}", markup=False, soft_wrap=True)


def runs_from_curves(
    paths: list[Path],
    *,
    cooldown: float,
    law: str = "multipower",
    tokens_per_step: float | None = None,
    warmup: int | None = None,
) -> tuple[RunTable, list[str]]:
    """``scalinglab fit --from-curves``: fit a curve law to the curves (across sizes when
    they have several), predict the cooled-down loss at checkpoints of each constant or WSD
    run, and return those as a run table, with notes saying what was done."""
    import math

    from scalinglab.curves import fit_curves, read_lr_curves
    from scalinglab.curves._cooldown import cooldown_runs
    from scalinglab.data import read_runs

    items = read_lr_curves(paths, warmup=warmup)
    sizes = {c.params for c in items if not math.isnan(c.params)}
    name = f"sized:{law}" if len(sizes) > 1 else law
    result = fit_curves(items, law=name)
    frame = cooldown_runs(result, items, cooldown=cooldown, tokens_per_step=tokens_per_step)
    notes = [
        f"{len(frame)} runs predicted by {result.law} fitted to {len(items)} curves: the loss "
        f"after a {cooldown:.0%} cooldown at checkpoints of {frame['source_run'].nunique()} "
        "constant or WSD runs (Hägele et al. 2024; runs sharing a schedule prefix counted once)",
    ]
    if tokens_per_step is None:
        notes.append("tokens count steps: pass --tokens-per-step for tokens")
    if len(sizes) < 2:
        notes.append("curves of one model size: N-dependent parameters cannot be identified")
    table = read_runs(frame[["run", "params", "tokens", "loss"]])
    return table, notes


def write_report(
    path: Path | None,
    store: Path | None,
    out: Path,
    train: str | None,
    law: str,
    warmup: int | None,
    bootstrap: int,
    title: str | None,
) -> None:
    """``scalinglab report CURVES --curves --train ...``: backtest, compare, write the page."""
    if not train:
        raise ConfigError(
            "--curves needs the runs to fit on: --train",
            hint="scalinglab report CURVES --curves --train cosine_24000,constant_24000",
        )
    import shlex

    from scalinglab.curves._report import curves_report

    items = _read([path] if path is not None else None, store, warmup=warmup)
    read = [str(path)] if path is not None else ["--store", str(store)]
    words = ["scalinglab", "report", *read, "--curves", "--train", train, "--out", str(out)]
    words += ["--curve-law", law, "--bootstrap", str(bootstrap)]
    words += [] if warmup is None else ["--warmup", str(warmup)]
    words += [] if title is None else ["--title", title]
    names = [t.strip() for t in train.split(",") if t.strip()]
    opt.write(
        out,
        "--out",
        lambda: curves_report(
            items, out, train=names, law=law, bootstrap=bootstrap, title=title,
            command=shlex.join(words),
        ),
    )  # fmt: skip
