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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab._no_intervals import ASK
from scalinglab._paths import check_parent, writable, write_text
from scalinglab._progress import Progress, resolve_progress
from scalinglab.report._figure import FIGURE_FORMATS
from scalinglab.report._html_parts import Section
from scalinglab.report._html_sections import MAX_TABLE_ROWS
from scalinglab.report._python_call import python_call
from scalinglab.report._rendered import RenderedReport
from scalinglab.report._report_page import render_page, report_sections

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = [
    "MAX_TABLE_ROWS",
    "RenderedReport",
    "Section",
    "python_call",
    "render_report",
    "report_sections",
    "write_rendered",
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
            chose), shown with the fit's notes and on the card; a law that backtests clearly
            better is among the fit's warnings, as :func:`scalinglab.fit` records it.
        stated: Card items the caller states by label (``"start grid"``, ``"bootstrap"``)
            for a fit made otherwise than :func:`scalinglab.fit`
            (:func:`~scalinglab.report._card.reproducibility_card`).
        progress: Called as ``progress("report", done, 3)`` as the figures are drawn, the
            checks (``validate``) run and the page is written; within them as
            ``progress("figures", done, total)`` figure by figure, and with the checks'
            stages named after them (``"backtest: fit"``, ``"backtest: bootstrap"``,
            ``"isoflop: bootstrap"``); ``True``: a line on stderr.

    Returns:
        ``path``, as a :class:`~pathlib.Path`.

    Raises:
        ConfigError: For runs other than the fitted ones (other names, count, order or
            values), a budget that is no positive number, an unknown figure format,
            ``figures`` naming a file, or a folder that does not exist for ``path`` or to
            create ``figures`` in (``figures`` itself is created when missing, as
            ``--figures`` is).
    """
    return write_rendered(
        result,
        runs,
        path,
        budgets=budgets,
        command=command,
        title=title,
        sections=sections,
        figures=figures,
        figure_format=figure_format,
        validate=validate,
        holdout=holdout,
        y=y,
        notes=notes,
        stated=stated,
        progress=progress,
    ).path or Path(path)


def write_rendered(
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
    ask: int = ASK,
) -> RenderedReport:
    """:func:`write_report`, returning the page written with what it shows (its warnings,
    the figure files it wrote, its plan and checks), for ``scalinglab report``; ``ask``:
    the resamples a law without intervals is told to run with (``report --downstream``'s
    default, where its chain's loss law is the page's)."""
    out = writable(path)  # refused before the work, not after
    if figure_format not in FIGURE_FORMATS:
        raise ConfigError(
            f"cannot write figures as {figure_format!r}",
            hint=f"use one of {', '.join(FIGURE_FORMATS)}",
        )
    if figures is not None:
        if Path(figures).exists() and not Path(figures).is_dir():
            raise ConfigError(f"figures {str(figures)!r} is a file", hint="give a folder")
        check_parent(figures, option="figures")  # made as its first figure is written
    said = resolve_progress(progress)  # True: a text line on stderr
    rendered = render_page(
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
        path=out,
        ask=ask,
    )
    write_text(out, rendered.html)  # its folder made now, after the work
    if said is not None:
        said("report", 3, 3)
    return replace(rendered, path=out)


@keywords_checked("scalinglab.report.render_report")
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
    """The page :func:`write_report` writes, as one HTML string; no figure file is written.

    Args:
        result: The fit.
        runs: The runs it was fitted to, as :func:`write_report` takes them.
        budgets: Compute budgets (FLOPs) of the planning table (default as
            :func:`write_report`'s).
        command: The command that made the report (default: the :func:`scalinglab.fit`
            call that reproduces ``result``).
        title: Page title; default: the law and the data.
        sections: Extra sections, shown before the data table.
        validate: Add a backtest by scale and the isoFLOP analysis where the data allow.
        holdout: Hold-out rule of the backtest, e.g. ``"top-decile"`` or ``"largest:5"``.
        y: The column holding the loss; default: :attr:`FitResult.y`.
        notes: Lines on how the law came to be fitted, as :func:`write_report` shows them.
        stated: Card items the caller states by label, as :func:`write_report`'s.

    Returns:
        The HTML page.
    """
    return render_page(
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
    ).html
