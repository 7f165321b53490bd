"""``scalinglab loss2loss fit``: loss on one distribution from loss on another.

::

    scalinglab loss2loss fit runs.csv --x loss_c4_val --y loss_paloma_code --group dataset
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_level
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._render import stdout_console

__all__ = ["loss2loss_app"]

loss2loss_app = typer.Typer(
    help="Loss on one distribution from loss on another (Brandfonbrener et al. 2024).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def loss2loss_fit_command(
    runs: Annotated[Path, typer.Argument(metavar="RUNS", help="Run table with both losses.")],
    x: Annotated[str, typer.Option("--x", help="The loss predicted from (L_x), a column.")],
    y: Annotated[str, typer.Option("--y", help="The loss predicted (L_y), a column.")],
    group: Annotated[
        str | None,
        typer.Option(
            help="One fit per value of this column (the training corpus, 'dataset'): "
            "the law holds for one training distribution."
        ),
    ] = None,
    bootstrap: Annotated[int, typer.Option(min=0, help="Resamples of the runs (0: none).")] = 1000,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    as_json: params.Json = False,
) -> None:
    """Fit L_y = K·(L_x − E_x)^κ + E_y between two loss columns."""
    from scalinglab import fit, read_runs
    from scalinglab.downstream import LossToLoss

    if x == y:
        raise ConfigError(f"--x and --y are both {x!r}: a loss predicts another loss")
    try:
        table = read_runs(runs, columns={"loss": x})
    except DataError as err:
        if err.column != x:
            raise
        raise ConfigError(
            f"--x {x!r}: {runs} has no such column",
            hint="pass the loss to predict from: --x COLUMN (a loss_* column)",
        ) from None
    if not table.has(y):
        raise ConfigError(
            f"--y {y!r}: {runs} has no such column",
            hint="its columns are " + ", ".join(sorted(table.columns)),
        )
    if group is not None and group not in table.labels:
        raise ConfigError(
            f"--group {group!r}: {runs} has no such text column",
            hint="its text columns are " + (", ".join(sorted(table.labels)) or "none"),
        )
    import numpy as np

    values = np.array(table.labels[group]) if group is not None else np.full(len(table), "all")
    results = {}
    skipped: dict[str, str] = {}  # a group too small to fit does not stop the others
    for value in dict.fromkeys(values.tolist()):
        part = table.select(values == value)
        law = LossToLoss(column="loss", floor=0.999 * float(min(part["loss"])))
        try:
            results[value] = (law, fit(law, part, y=y, bootstrap=bootstrap, level=level, seed=seed))
        except DataError as err:
            if group is None:
                raise
            skipped[value] = str(err).split(": ", 1)[-1]
    if not results:
        raise DataError(
            f"no --group {group} value has runs enough to fit: "
            + "; ".join(f"{g}: {why}" for g, why in skipped.items()),
            source=str(runs),
        )
    if as_json:
        payload = {
            "law": LossToLoss().formula, "x": x, "y": y, "group": group,
            "fits": {
                g: {"coefs": dict(r.coefs),
                    "intervals": {k: list(v) for k, v in r.intervals.items()},
                    "level": r.level, "n_bootstrap": r.n_bootstrap, "status": r.status,
                    "at_bound": list(r.at_bound), "warnings": list(r.warnings),
                    "n_runs": r.n_runs, "rms_residual": _rms(r.residuals)}
                for g, (_, r) in results.items()
            },
            "skipped": skipped,
        }  # fmt: skip
        text = opt.dumps(payload) + "\n"
        sys.stdout.write(text)
        return
    console = stdout_console()
    console.print(f"{LossToLoss().formula}   x = {x}, y = {y}")
    console.print(f"  {LossToLoss().citation}")
    t = Table(title_justify="left")
    names = ["K", "kappa", "E_x", "E_y"]
    for name in (group or "runs", "n", *names, "rms residual", "status"):
        t.add_column(name, justify="left" if name in (group, "runs", "status") else "right")
    for g, (_, r) in results.items():
        cells = [
            f"{render.number(r.coefs[k], 4)} {render.interval(*r.intervals[k])}"
            if bootstrap
            else render.number(r.coefs[k], 4)
            for k in names
        ]
        t.add_row(Text(g), str(r.n_runs), *cells, f"{100 * _rms(r.residuals):.2f}%", r.status)
    console.print(t)
    if bootstrap:
        console.print(
            Text(f"intervals: {format_level(level)} percentile over {bootstrap} bootstrap "
                 "resamples of the runs", style="dim"), soft_wrap=True
        )  # fmt: skip
    render.print_notes(console, [f"{group} {g}: not fitted ({why})" for g, why in skipped.items()])
    for g, (_, r) in results.items():
        where = f"{g}: " if group is not None else ""
        said = [b for b in r.at_bound if not any(w.startswith(f"{b} = ") for w in r.warnings)]
        bound = [f"{where}at bound: {', '.join(said)}"] if said else []  # once per parameter
        render.print_warnings(console, [*bound, *(where + w for w in r.warnings)])


def _rms(residuals: Any) -> float:
    import numpy as np

    return float(np.sqrt(np.mean(np.square(residuals))))


loss2loss_app.command("fit")(loss2loss_fit_command)
