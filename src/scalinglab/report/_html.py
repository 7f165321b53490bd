"""The HTML report: one self-contained file with the fit, its figures, the plan and the card.

::

    result = scalinglab.fit("chinchilla", runs, bootstrap=200)
    scalinglab.write_report(result, runs, "report.html", budgets=[1e21, 1e23])

Nothing is loaded from anywhere: the style sheet is inline, figures are inline SVG (glyphs as
paths, so no font is needed), no script. Every string from the user (run names, columns, paths,
formulas, notes) is HTML-escaped. Sections are built in order by :func:`report_sections`;
optional ones (isoFLOP analysis, backtest) are :class:`Section` objects slotted in before the
data table."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError, keywords_checked
from scalinglab._paths import check_parent, writable
from scalinglab._progress import Progress, resolve_progress
from scalinglab.plan._budgets import budgets_for
from scalinglab.report._card import reproducibility_card
from scalinglab.report._figure import FIGURE_FORMATS, ReportFigure, save_figure
from scalinglab.report._html_parts import Section, escape
from scalinglab.report._html_sections import (
    MAX_TABLE_ROWS,
    card_html,
    data_section,
    figures_html,
    fit_section,
    plan_section,
)
from scalinglab.report._html_style import STYLE
from scalinglab.report._python_call import python_call
from scalinglab.report._report_figures import fit_figures
from scalinglab.report._report_inputs import report_budgets, report_runs

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = [
    "MAX_TABLE_ROWS",
    "Section",
    "python_call",
    "render_report",
    "report_sections",
    "write_report",
]


@keywords_checked("scalinglab.write_report")
def write_report(
    result: FitResult,
    runs: RunTable | pd.DataFrame | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    budgets: Sequence[float | str] | float | str | None = None,
    command: str | None = None,
    title: str | None = None,
    sections: Sequence[Section] = (),
    figures: str | os.PathLike[str] | None = None,
    figure_format: str = "svg",
    validate: bool = True,
    holdout: str = "top-decile",
    y: str | None = None,
    notes: Sequence[str] = (),
    stated: Mapping[str, str] | None = None,
    progress: Progress | bool | None = None,
) -> Path:
    """Write the self-contained HTML report of a fit.

    Args:
        result: The fit.
        runs: The runs it was fitted to: the same table, or the file (or DataFrame) read
            as :func:`scalinglab.read_runs` reads it, with ``y`` as the loss, and narrowed
            by the fit's recorded ``where`` (:attr:`FitResult.where`: a fit of
            ``read_runs(...).where("dataset", "c4")`` or ``--where dataset=c4``); checked
            to hold the fitted runs with the fitted values.
        path: The HTML file to write.
        budgets: Compute budgets (FLOPs) of the planning table, numbers or strings with
            units (``"1e21"``, ``[1e21, "5.76e23"]``); default 1e21 … 1e24, or 10×, 100×,
            1000× the largest run's where it lies 2+ decades below 1e21 (the page says so).
        command: The command that made the report, for the reproducibility card; default: the
            :func:`scalinglab.fit` call that reproduces ``result``.
        title: Page title; default: the law and the data.
        sections: Extra sections, shown before the data table.
        figures: Also write every figure into this folder as ``<name>.<figure_format>``.
        figure_format: ``"svg"``, ``"png"`` or ``"pdf"``, for ``figures``.
        validate: Add a backtest by scale (hold-out rule ``holdout``) and the isoFLOP
            analysis where the data allow (see
            :func:`scalinglab.report._report_validation.validation_sections`).
        holdout: Hold-out rule of the backtest, e.g. ``"top-decile"`` or ``"largest:5"``.
        y: The column holding the loss (``"loss_c4_val"``), the one the fit read; default:
            :attr:`FitResult.y`, or ``"loss"`` for a fit file from before it was recorded.
        notes: Lines on how the law came to be fitted (what ``--law auto`` compared and
            chose, a law that backtests clearly better), shown with the fit's notes and on
            the card.
        stated: Card items the caller states by label (``"start grid"``, ``"bootstrap"``)
            for a fit made otherwise than :func:`scalinglab.fit`
            (:func:`~scalinglab.report._card.reproducibility_card`).
        progress: Called as ``progress("report", done, 3)`` as the figures are drawn, the
            checks (``validate``) run and the page is written; ``True``: a line on stderr.

    Returns:
        ``path``, as a :class:`~pathlib.Path`.

    Raises:
        ConfigError: For runs other than the fitted ones (other names, count, order or
            values), a budget that is no positive number, an unknown figure format,
            ``figures`` naming a file, or a folder that does not exist for ``path`` or to
            create ``figures`` in (``figures`` itself is created when missing, as
            ``--figures`` is).
    """
    out = writable(path)  # refused before the work, not after
    if figure_format not in FIGURE_FORMATS:
        raise ConfigError(
            f"cannot write figures as {figure_format!r}",
            hint=f"use one of {', '.join(FIGURE_FORMATS)}",
        )
    if figures is not None:
        if Path(figures).exists() and not Path(figures).is_dir():
            raise ConfigError(f"figures {str(figures)!r} is a file", hint="give a folder")
        check_parent(figures, option="figures")  # created below, as --figures is
    said = resolve_progress(progress)  # True: a text line on stderr
    page = _render(
        result,
        runs,
        budgets=budgets,
        command=command,
        title=title,
        sections=sections,
        validate=validate,
        holdout=holdout,
        y=y,
        notes=notes,
        stated=stated,
        folder=None if figures is None else Path(figures),
        fmt=figure_format,
        progress=said,
    )
    out.write_text(page, encoding="utf-8")
    if said is not None:
        said("report", 3, 3)
    return out


def render_report(
    result: FitResult,
    runs: RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    budgets: Sequence[float | str] | float | str | None = None,
    command: str | None = None,
    title: str | None = None,
    sections: Sequence[Section] = (),
    validate: bool = True,
    holdout: str = "top-decile",
    y: str | None = None,
    notes: Sequence[str] = (),
    stated: Mapping[str, str] | None = None,
) -> str:
    """The report as one HTML string; see :func:`write_report` for the arguments."""
    return _render(
        result,
        runs,
        budgets=budgets,
        command=command,
        title=title,
        sections=sections,
        validate=validate,
        holdout=holdout,
        y=y,
        notes=notes,
        stated=stated,
        folder=None,
        fmt="svg",
    )


def _render(
    result: FitResult,
    runs: RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    budgets: Sequence[float | str] | float | str | None,
    command: str | None,
    title: str | None,
    sections: Sequence[Section],
    validate: bool,
    holdout: str,
    y: str | None,
    notes: Sequence[str],
    folder: Path | None,
    fmt: str,
    stated: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> str:
    given = report_budgets(budgets)  # checked before the runs are read
    y = (result.y or "loss") if y is None else y  # the fit's loss column unless told
    table = report_runs(result, runs, y=y)  # the fitted runs, before any figure is drawn
    plan = budgets_for(given, table)  # none given: near the runs' compute, said why
    if progress is not None:
        progress("report", 0, 3)
    drawn, figure_notes = fit_figures(result, table, budgets=plan.values, y=y)
    if folder is not None:
        folder.mkdir(exist_ok=True)
        for item in drawn:
            save_figure(item, folder, fmt=fmt)
    if progress is not None:
        progress("report", 1, 3)  # the figures drawn; then the checks, the longest part
    skipped: list[str] = []
    if validate:
        from scalinglab.report._report_validation import validation_sections

        checks, skipped = validation_sections(
            result, table, holdout=holdout, y=y, figures=folder, figure_format=fmt
        )
        sections = [*sections, *checks]
    if progress is not None:
        progress("report", 2, 3)
    parts = report_sections(
        result,
        table,
        budgets=plan.values,
        budgets_note=plan.note,
        command=command or python_call(result, y=y),
        sections=sections,
        figures=drawn,
        figure_notes=figure_notes,
        skipped=skipped,
        y=y,
        notes=notes,
        stated=stated,
    )
    return _page(title or f"{result.law_spec} fitted to {result.source}", result, parts)


def report_sections(
    result: FitResult,
    runs: RunTable,
    *,
    budgets: Sequence[float],
    budgets_note: str | None = None,
    command: str,
    sections: Sequence[Section],
    figures: Sequence[ReportFigure],
    figure_notes: Sequence[str],
    skipped: Sequence[str] = (),
    y: str,
    notes: Sequence[str] = (),
    stated: Mapping[str, str] | None = None,
) -> list[Section]:
    """The page's sections, in order: the law, figures, plan, extra sections, data, card;
    ``notes`` (how the law came to be fitted) go with the fitted law and on the card,
    ``budgets_note`` (which default budgets, and why) under the plan."""
    by_key = {f.key: f for f in figures}
    out = [fit_section(result, shown_with_data=runs.notes, notes=notes)]
    scaling = [by_key[k] for k in ("loss-scaling", "residuals") if k in by_key]
    out.append(Section("figures", "Figures", figures_html(scaling, figure_notes)))
    out.append(plan_section(result, budgets, by_key.get("frontier"), chosen=budgets_note))
    out.extend(sections)
    out.append(data_section(result, runs, y=y))
    validation = [*(s.validation for s in sections if s.validation), *skipped]
    card = reproducibility_card(
        result, runs, command=command, validation=validation, y=y, notes=notes, stated=stated
    )
    out.append(Section("card", "Reproducibility card", card_html(card)))
    return out


# -- page -----------------------------------------------------------------------------------


def _page(heading: str, result: FitResult, sections: Sequence[Section]) -> str:
    from scalinglab import __version__

    toc = "".join(f"<li><a href='#{escape(s.key)}'>{escape(s.title)}</a></li>" for s in sections)
    body = "".join(
        f"<section id='{escape(s.key)}'><h2>{escape(s.title)}</h2>{s.body}</section>"
        for s in sections
    )
    banner = (
        "<p class='simulated banner'>SIMULATED DATA — the runs in this report are not real "
        "training runs. Pass your own run table to report on your runs.</p>"
        if result.simulated
        else ""
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'>"
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(heading)}</h1>{banner}"
        f"<p class='meta'>scalinglab {escape(__version__)} report</p>"
        f"<nav><ol>{toc}</ol></nav></header><main>{body}</main></body></html>\n"
    )
