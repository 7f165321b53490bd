"""``scalinglab loss2loss fit|predict``: loss on one distribution from loss on another.

::

    scalinglab loss2loss fit runs.csv --x loss_c4_val --y loss_paloma_code --group dataset --out l2l.json
    scalinglab loss2loss fit runs.csv --x loss_c4_val --y loss_paloma_code --where dataset=rpj
    scalinglab loss2loss fit --store runs.duckdb --x loss --y loss_paloma_code --group dataset
    scalinglab loss2loss predict --fit l2l.json --loss 3.1,2.9
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._defaults import LOSS2LOSS_BOOTSTRAP
from scalinglab._format import format_g, format_grouped, format_level
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._sources import source_dict
from scalinglab.cli._store_input import check_store_losses, one_input, store_runs

if TYPE_CHECKING:  # the downstream package loads NumPy and pandas: `--help` stays light
    from scalinglab.downstream import LossToLossFit

__all__ = ["loss2loss_app"]

loss2loss_app = typer.Typer(
    help="Loss on one distribution from loss on another (Brandfonbrener et al. 2024).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Where = Annotated[
    list[str] | None,
    typer.Option(
        metavar="COLUMN=VALUE",
        help="Only the runs whose text column has this value (one training corpus: "
        "dataset=c4_original); a loss-to-loss law holds for one training distribution "
        f"(--group fits one per value). {params.WHERE_COMPARE} {params.WHERE_STORE} Repeat to "
        "require several.",
    ),
]


def loss2loss_fit_command(
    x: Annotated[
        str,
        typer.Option(
            "--x",
            metavar="COLUMN",
            help="The loss predicted from (L_x), a column (or loss=COLUMN).",
        ),
    ],
    y: Annotated[
        str,
        typer.Option(
            "--y", metavar="COLUMN", help="The loss predicted (L_y), a column (or loss=COLUMN)."
        ),
    ],
    runs: Annotated[
        Path | None,
        typer.Argument(
            metavar="RUNS",
            help="Run table with both losses. Without it: --store.",
            show_default=False,
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            help="One fit per value of this column (the training corpus, 'dataset'): "
            "the law holds for one training distribution."
        ),
    ] = None,
    where: Where = None,
    store: params.Store = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples of the runs (0: none).")
    ] = LOSS2LOSS_BOOTSTRAP,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the fit(s) (JSON) for `loss2loss predict`."),
    ] = None,
    as_json: params.Json = False,
) -> None:
    """Fit L_y = K·(L_x − E_x)^κ + E_y between two loss columns."""
    from scalinglab.data._readers import to_table
    from scalinglab.downstream import fit_loss_to_loss
    from scalinglab.downstream._l2l_columns import FIX_LOSS, check_columns, check_loss_names
    from scalinglab.downstream._l2l_losses import judge_losses

    x, y = opt.loss_column(x, option="--x"), opt.loss_column(y, option="--y")
    check_loss_names(x, y, option="--{} ")  # the same column, or one that is no loss
    one_input(runs, store, argument="RUNS", command="loss2loss fit")
    if out is not None:
        opt.check_output(
            out,
            option="--out",
            suffixes=(".json",),
            inputs=[("RUNS", runs), ("--store", store)],
            what="the loss-to-loss fit",
            example="l2l.json",
            kind_format="scalinglab.loss2loss/1",
        )
    conditions = opt.where_pairs(where)
    if store is not None:  # its runs' losses: the loss stored, and those of their extra
        table = store_runs(store, where=conditions)
        check_store_losses(table, x=x, y=y)
        check_columns(table, x=x, y=y, group=group, option="--{} ")
    else:
        # x is read as the table's loss (a bad value named where it is, the hint says --x)
        # and as the law's one variable L, so no size column is asked for: two losses do
        reads = (y, *([group] if group else []))  # a repeated --y: refused, not left out
        table = to_table(runs or Path(), x={"L": x}, y=x, loss_option="--x COLUMN", reads=reads,
                         unusable_hint=FIX_LOSS + "--x COLUMN")  # fmt: skip
        check_columns(table, x=x, y=y, group=group, option="--{} ")
        for column, value in conditions:  # each condition narrows the last
            table = table.where(column, value)
    table = judge_losses(table, x=x, y=y, option="--{} ")  # perplexity, as --x/--y say it
    err = stderr_console()  # a bar as `fit` draws it: on a terminal's stderr, not with --json
    with render.FitProgress(err, enabled=err.is_terminal and not as_json) as progress:
        l2l = fit_loss_to_loss(table, x=x, y=y, group=group, bootstrap=bootstrap, level=level,
                               seed=seed, progress=progress)  # fmt: skip
    if out is not None:
        opt.write(out, "--out", lambda: l2l.save(out))
    if as_json:  # what --out writes; the text's note: and warning: lines on stderr
        sys.stdout.write(opt.dumps(l2l.to_dict()) + "\n")
        _print_caveats(stderr_console(), l2l, read=table.skipped_notes)
        if out is not None:
            opt.wrote(stderr_console(), "fit", out)
        return
    console = stdout_console()
    _print_fit(console, l2l, read=table.skipped_notes)
    if out is not None:
        opt.wrote(console, "fit", out)


def _print_fit(console: Console, l2l: LossToLossFit, *, read: Sequence[str] = ()) -> None:
    """The formula, one row per group, and what not to trust (:func:`_print_caveats`)."""
    from scalinglab.downstream import LossToLoss

    group = l2l.group
    console.print(f"{LossToLoss().formula}   x = {l2l.x}, y = {l2l.y}")
    console.print(f"  {LossToLoss().citation}")
    console.print(Text(f"  runs: {l2l.source}"), soft_wrap=True)  # says a --where selection
    t = Table(title_justify="left")
    names = ["K", "kappa", "E_x", "E_y"]
    for name in (group or "runs", "n", *names, "rms residual", "status"):
        t.add_column(name, justify="left" if name in (group, "runs", "status") else "right")
    nan2 = (math.nan, math.nan)  # --bootstrap 0: the value alone
    for g, r in l2l.fits.items():
        bands = {k: r.intervals[k] if l2l.n_bootstrap else nan2 for k in names}
        # to the law's figures, as its warnings quote them
        cells = [render.estimate(r.coefs[k], *bands[k], LossToLoss.figures) for k in names]
        t.add_row(Text(g), str(r.n_runs), *cells, f"{100 * _rms(r.residuals):.2f}%", r.status)
    console.print(t)
    none = _no_intervals(l2l)
    if none:
        console.print(Text(none, style="dim"), soft_wrap=True)
    else:
        console.print(
            Text(f"intervals: {format_level(l2l.level)} percentile over {format_grouped(l2l.n_bootstrap)} "
                 "bootstrap resamples of the runs", style="dim"), soft_wrap=True
        )  # fmt: skip
    _print_caveats(console, l2l, read=read)


def _no_intervals(l2l: LossToLossFit, *, refit: str = "") -> str:
    """Why ``l2l`` has no intervals (no bootstrap asked, or every resample failed) in the one
    wording (what to run: ``loss2loss fit``'s default); ``""`` where a group's resamples
    drew some."""
    from scalinglab._no_intervals import no_intervals_line

    kept = max((len(r.samples) for r in l2l.fits.values() if r.samples is not None), default=0)
    return no_intervals_line(
        requested=l2l.n_bootstrap, kept=kept, refit=refit, ask=LOSS2LOSS_BOOTSTRAP
    )


def _print_caveats(console: Console, l2l: LossToLossFit, *, read: Sequence[str] = ()) -> None:
    """The runs left out while reading (``read``: the table's notes naming them, as ``fit``
    says a blank L_x's) and groups not fitted, as notes; every group's :attr:`warnings`."""
    skipped = [f"{l2l.group} {g}: not fitted ({why})" for g, why in l2l.skipped.items()]
    render.print_notes(console, [*read, *skipped])
    render.print_warnings(console, l2l.warnings)


def loss2loss_predict_command(
    fit: Annotated[Path, typer.Option("--fit", help="A fit written by `loss2loss fit --out`.")],
    loss: Annotated[
        list[str],
        typer.Option(
            "--loss",
            metavar="L_X",
            help="The loss predicted from (L_x, the fit's --x column), repeatable or "
            "comma-separated: 3.1,2.9.",
            show_default=False,
        ),
    ],
    level: params.FitLevel = None,
    as_json: params.Json = False,
    out: params.OutPredictions = None,
) -> None:
    """L_y at each L_x by every group's law, with prediction intervals."""
    from scalinglab.downstream import _l2l_io

    if out is not None:  # never over the fit it reads
        opt.check_output(
            out, option="--out", inputs=[("--fit", fit)], what="the predictions",
            example="predictions.json", kind_format="scalinglab.loss2loss_predict/1",
        )  # fmt: skip
    values = opt.quantities(loss, option="--loss")
    l2l = _l2l_io.load(fit, option="--fit")
    preds = l2l.predict(values, level=level)
    # each group's notes and warnings in its entry, as `hparams predict --json`
    data = {
        "format": "scalinglab.loss2loss_predict/1", "source": source_dict(l2l, f"--fit {fit}"),
        "x": l2l.x, "y": l2l.y, "group": l2l.group, "loss_x": list(values),
        "predictions": {g: p.to_dict() for g, p in preds.items()},
        "skipped": dict(l2l.skipped),
    }  # fmt: skip
    group = l2l.group
    label = {g: (f"{g}: " if group else "") for g in preds}  # as `loss2loss fit` says them
    notes = [label[g] + n for g, p in preds.items() for n in p.notes]
    notes += [f"{group} {g}: not fitted ({why})" for g, why in l2l.skipped.items()]
    # each prediction's warnings are its fit's: the fit's list says a file's once
    warnings = list(l2l.warnings)
    if as_json:  # JSON alone on stdout; the lines the text prints under it on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="predictions")
        render.print_notes(stderr_console(), notes)
        render.print_warnings(stderr_console(), warnings)
        return
    console = stdout_console()
    lvl = next(iter(preds.values())).level
    console.print(
        Text(f"{l2l.y} from {l2l.x}: L_y = K*(L_x - E_x)**kappa + E_y, fit {fit}"), soft_wrap=True
    )
    # which term set each row's width, where not every row's is the calibrated q·s
    floored = any(
        p.width_from is not None and "noise-floor" in p.width_from for p in preds.values()
    )
    t = Table(title_justify="left")
    names = [*([group] if group else []), l2l.x, l2l.y, f"{format_level(lvl)} interval"]
    for name in names + ["width_from"] * floored:
        t.add_column(name, justify="left" if name in (group, "width_from") else "right")
    for g, p in preds.items():
        for i, v in enumerate(p.loss_x):
            band = render.interval(p.lower[i], p.upper[i], _loss) or "—"
            cells = [format_g(v, 4), _loss(p.loss_y[i]), band]
            if floored:  # "": no interval; None: an interval of another kind
                cells.append(str(p.width_from[i]) if p.width_from is not None else "")
            t.add_row(*([Text(g)] if group else []), *[c or "—" for c in cells])
    console.print(t)
    kinds = sorted({p.interval_kind for p in preds.values()} - {"none"})
    say = (
        f"intervals: {format_level(lvl)} prediction intervals of one model's L_y "
        f"({'/'.join(kinds)}"
        + (
            "; width_from: the term that set each row's width, calibrated (the backtests' "
            "error q·s) or noise-floor (the run-to-run noise's own z·σ_full, wider there))"
            if floored
            else ")"
        )
        if kinds
        else _no_intervals(l2l, refit="scalinglab loss2loss fit") or "no intervals"
    )
    console.print(Text(say, style="dim"), soft_wrap=True)
    render.print_notes(console, notes)
    render.print_warnings(console, warnings)
    if out is not None:
        opt.emit_json(data, as_json=False, out=out, report=console, what="predictions")


def _loss(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else "—"


def _rms(residuals: Any) -> float:
    import numpy as np

    return float(np.sqrt(np.mean(np.square(residuals))))


loss2loss_app.command("fit")(loss2loss_fit_command)
loss2loss_app.command("predict")(loss2loss_predict_command)
