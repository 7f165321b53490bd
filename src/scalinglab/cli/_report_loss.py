"""``scalinglab report``'s loss-law page: the law fitted (given, or chosen by ``--law auto``),
the notes on how it came to be that law, the page written, and its ``--json`` summary.

The law is chosen and compared by :func:`scalinglab.cli._law_choice.pick`, as ``fit`` does, so
the page carries the lines ``fit`` prints: what ``auto`` compared and chose (a note), or that
another catalog law backtests clearly better on these runs (a warning, as ``fit`` saves it).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import FitError
from scalinglab.cli import _law_choice as law_choice
from scalinglab.cli import _options as opt
from scalinglab.cli import _render as render
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._wrote import files_in, wrote_figures

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult
    from scalinglab.laws import Law
    from scalinglab.report._rendered import RenderedReport

__all__ = ["write_loss_report"]


def write_loss_report(
    table: RunTable,
    out: Path,
    *,
    given: Law | None,
    symbols: dict[str, str],
    target: str,
    robust_loss: str,
    delta: float,
    space: str,
    bootstrap: int,
    level: float,
    seed: int,
    budgets: tuple[float, ...],
    command: str,
    title: str | None,
    folder: Path | None,
    figure_format: str,
    validate: bool,
    holdout: str,
    as_json: bool,
) -> None:
    """Fit the law to ``table`` and write the report to ``out``.

    Args:
        table: The runs.
        out: The HTML file to write.
        given: The law of ``--law``, or ``None`` for ``--law auto``.
        symbols: ``--x``: law symbol -> column.
        target: The column holding the loss.
        robust_loss: The robust loss (``--robust-loss``).
        delta: Its scale (``--delta``).
        space: ``"log"`` or ``"linear"`` residuals.
        bootstrap: Bootstrap resamples.
        level: Coverage of the intervals.
        seed: Seed of the bootstrap and of the law choice's backtests.
        budgets: Compute budgets of the planning table; none: the default for these runs
            (:func:`~scalinglab.plan._budgets.budgets_for`), said once the fit succeeded.
        command: The command line that reproduces the report (for its card).
        title: Title of the page, or ``None`` for the default.
        folder: Also write each figure here, or ``None``.
        figure_format: ``svg``, ``png`` or ``pdf``.
        validate: Add the backtest by scale and the isoFLOP analysis.
        holdout: The backtest's hold-out rule.
        as_json: Print the report's data as JSON on stdout (messages to stderr).

    Raises:
        FitError: When the fit did not converge (no report is written).
        ScalingLabError: For a ``holdout`` other than the default that cannot split the
            runs, as ``backtest`` refuses it (no report is written).
    """
    from scalinglab import fit
    from scalinglab.fit._enough import fit_columns
    from scalinglab.fit._losses import get_loss
    from scalinglab.fit._options import agreed, check_fit_options
    from scalinglab.report._html import write_rendered
    from scalinglab.validate._law_hint import recorded

    out_console, err_console = stdout_console(), stderr_console()
    # fit's own checks, before --law auto's backtests and the line that says it is fitting:
    # a refused option or too few runs is then the only line printed
    check_fit_options(space=space, level=level, bootstrap=bootstrap, seed=seed)
    get_loss(robust_loss, delta=delta)
    if validate:
        from scalinglab.report._report_validation import DEFAULT_HOLDOUT
        from scalinglab.validate._split import law_scale, split_runs

        if holdout != DEFAULT_HOLDOUT:  # the user's rule, refused before the fit as by `backtest`
            laws = [] if given is None else [given]  # auto's candidates are laws of N and D
            split_runs(table, holdout, scale=law_scale(laws, table, symbols))
    if given is not None:  # the runs for the law: checked before its comparison starts
        fit_columns(given, table, symbols or None)
    # a given law's comparison with the others runs on a thread while the law is fitted
    form, choice, pending = law_choice.pick(
        given, table, target or "loss", seed=seed, columns=symbols
    )
    if given is None:  # the law auto chose, checked as a given one
        fit_columns(form, table, symbols or None)
    render.stage_line(
        err_console,
        f"fitting {form.spec} to {len(table)} runs ({render.resamples(bootstrap)})...",
    )
    with render.FitProgress(err_console, enabled=err_console.is_terminal) as progress:
        result = fit(
            form,
            table,
            robust_loss=robust_loss,
            delta=delta,
            space=space,
            x=symbols or None,
            y=target,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
            progress=progress,
            compare=False,  # compared on the thread `pick` started: the page lists its line
        )
    better = None
    if pending is not None:
        better, choice = pending.result()
    if given is None:  # auto: a warning where a law it could not tell apart plans another N*
        result = agreed(result, choice, table, x=symbols or None)
    if given is not None:  # as `fit` records it: how the law was compared, its line a warning
        result = recorded(result, better, choice, fitted=form.name)
    elif choice is not None:  # as `fit --law auto` records it: how the law was chosen
        result = replace(result, law_choice=choice)
    # the page says how the law came to be fitted, as `fit` prints it: auto's choice a note,
    # a law that backtests clearly better a warning (the fit's, above)
    notes = [law_choice.auto_line(choice)] if given is None else []
    if not result.ok:
        raise FitError(
            f"the fit did not converge: {result.message}; no report written",
            hint="try another --robust-loss, or --space linear; check the data",
        )
    if result.simulated:
        render.simulated_banner(
            err_console if as_json else out_console,
            "a ladder drawn from a published law with noise; pass RUNS or --store",
        )
    # the page plans at the runs' default budgets, and says which (once fitted); a plan
    # withheld has no budgets to name, as `fit` says none
    if not budgets and not result.plan_withheld:
        from scalinglab.plan._budgets import budgets_for

        render.print_notes(err_console, [n for n in (budgets_for((), table).note,) if n])
    steps = "backtest by scale, isoFLOP analysis, figures" if validate else "figures"
    render.stage_line(err_console, f"writing the report ({steps})...")
    before = files_in(folder)  # the figures this page replaces: known before it writes them
    with render.FitProgress(err_console, enabled=err_console.is_terminal) as progress:
        page = opt.write(
            out,
            "--out",
            lambda: write_rendered(
                result,
                table,
                out,
                budgets=budgets,
                command=command,
                title=title,
                figures=folder,
                figure_format=figure_format,
                validate=validate,
                holdout=holdout,
                y=target,
                notes=notes,
                progress=progress,
            ),
        )
    said = err_console if as_json else out_console  # --json: stdout holds only the JSON
    opt.wrote(said, "report", out)
    withheld = result.plan_withheld or ""  # the page says it in the plan's place, as fit does
    # every warning the page shows, in its order (the fit's, the plan's, the backtest's, the
    # isoFLOP analysis'): the terminal too, as `fit`, `plan`, `backtest`, `isoflop` print them
    render.print_warnings(err_console, page.warnings)
    # the runs read but left out (not finished, without a size or a loss), in the notes the
    # reader wrote with their record (RunTable.skipped), as `fit` prints them; a plan withheld
    render.print_notes(err_console, [*table.skipped_notes, *([withheld] if withheld else [])])
    if folder is not None:  # the files this report wrote, not whatever else the folder holds
        wrote_figures(said, folder, page.figures, before=before)
    if as_json:
        data = {
            "format": "scalinglab.report/1",
            "report": str(out),
            "figures": [str(p) for p in page.figures],
            "command": command,
            "fit": result.to_dict(),  # as `fit --json`
        }
        if result.law_choice is not None:  # beside the fit's, as earlier releases wrote it
            data["law_choice"] = result.law_choice.to_dict()
        data |= _shown(page, result)
        sys.stdout.write(opt.dumps(data) + "\n")


def _shown(page: RenderedReport, result: FitResult) -> dict[str, Any]:
    """The plan, backtest and isoFLOP analysis the page shows, each as ``plan --json``,
    ``backtest --json`` and ``isoflop --json`` serialize them (the plan less the fit's own
    warnings, said once in ``fit``); ``None`` for a section the page has not. A plan the
    fit withholds (:attr:`~scalinglab.FitResult.plan_withheld`) is ``None``, with why as
    ``plan_withheld``, as ``fit --json`` writes it; a backtest or isoFLOP analysis the page
    could not run is ``None``, with why as ``backtest_skipped`` or ``isoflop_skipped``."""
    from scalinglab.cli._fit_views import less_fits

    plan, withheld = page.shown("plan") or (), result.plan_withheld
    backtest, isoflop = page.shown("backtest"), page.shown("isoflop")
    return {
        "plan": None if withheld else [a.to_dict() for a in less_fits(plan, result)],
        **({"plan_withheld": withheld} if withheld else {}),
        "backtest": None if backtest is None else backtest.to_dict(),
        **({"backtest_skipped": why} if (why := page.not_run("backtest")) else {}),
        "isoflop": None if isoflop is None else isoflop.to_dict(),
        **({"isoflop_skipped": why} if (why := page.not_run("isoflop")) else {}),
    }
