"""The loss-law report's page: its sections in order (:func:`report_sections`), drawn and
checked by :func:`render_page`, which :func:`scalinglab.write_report` writes."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._no_intervals import ASK
from scalinglab._paths import make_folder
from scalinglab.plan._budgets import budgets_for
from scalinglab.report._card import reproducibility_card
from scalinglab.report._figure import ReportFigure, rendered, save_figure
from scalinglab.report._figure_titles import file_title, fit_subject
from scalinglab.report._html_parts import Section, page
from scalinglab.report._html_sections import (
    card_html,
    data_section,
    figures_html,
    fit_section,
    plan_section,
)
from scalinglab.report._python_call import python_call, report_call
from scalinglab.report._rendered import RenderedReport
from scalinglab.report._report_checks import check_report_inputs
from scalinglab.report._report_figures import fit_figures
from scalinglab.report._report_inputs import report_budgets, report_runs

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab._progress import Progress
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["render_page", "report_sections"]

_BANNER = (
    "<p class='simulated banner'>SIMULATED DATA — the runs in this report are not real "
    "training runs. Pass your own run table to report on your runs.</p>"
)


def render_page(
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
    path: Path | None = None,
    ask: int = ASK,
) -> RenderedReport:
    """The page of :func:`scalinglab.write_report` (see it for the arguments), its figures
    also written into ``folder`` as ``fmt`` files; with its sections and those files.
    ``ask``: the resamples a law without intervals is told to run with (a downstream
    page's: its chain's default).
    Without ``command`` the card gives the calls that remake it: the fit, and
    ``write_report`` to ``path`` (``None``: ``render_report``) with these options."""
    check_report_inputs(result, sections=sections, stated=stated)  # write_report("fit.json")
    given = report_budgets(budgets)  # checked before the runs are read
    y = (result.y or "loss") if y is None else y  # the fit's loss column unless told
    table = report_runs(result, runs, y=y)  # the fitted runs, before any figure is drawn
    plan = budgets_for(given, table)  # none given: near the runs' compute, said why
    if progress is not None:
        progress("report", 0, 3)
    drawn, figure_notes = fit_figures(result, table, budgets=plan.values, y=y)
    # each figure drawn as SVG here, the page's slowest part after the checks, counted
    for i, item in enumerate(drawn):
        drawn[i] = rendered(item)
        if progress is not None:
            progress("figures", i + 1, len(drawn))
    written: list[Path] = []
    if folder is not None:
        make_folder(folder, option="figures")  # made now, as its first file is written
        subject = fit_subject(result)  # each file titled as the page heads the figure
        written = [
            save_figure(item, folder, fmt=fmt, title=file_title(item.title, subject))
            for item in drawn
        ]
    if progress is not None:
        progress("report", 1, 3)  # the figures drawn; then the checks, the longest part
    skipped: list[str] = []
    if validate:
        from scalinglab.report._report_validation import validation_sections

        checks, skipped = validation_sections(
            result, table, holdout=holdout, y=y, figures=folder, figure_format=fmt,
            progress=progress, ask=ask,
        )  # fmt: skip
        sections = [*sections, *checks]
        if folder is not None:  # each check's figure, written as <key>.<fmt> beside them
            written += [folder / f"{s.key}.{fmt}" for s in checks]
    if progress is not None:
        progress("report", 2, 3)
    remake = report_call(
        path, budgets=plan.values, title=title, figures=folder, figure_format=fmt,
        validate=validate, holdout=holdout,
    )  # fmt: skip
    parts = report_sections(
        result,
        table,
        budgets=plan.values,
        budgets_note=plan.note,
        command=command or python_call(result, y=y, report=remake),
        sections=sections,
        figures=drawn,
        figure_notes=figure_notes,
        skipped=skipped,
        y=y,
        notes=notes,
        stated=stated,
        ask=ask,
    )
    heading = title or f"{result.law_spec} fitted to {result.source}"
    html = page(heading, "report", parts, banner=_BANNER if result.simulated else "")
    return RenderedReport(html, tuple(parts), tuple(written), skipped=tuple(skipped))


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
    ask: int = ASK,
) -> list[Section]:
    """The page's sections, in order: the law, figures, plan, extra sections, data, card;
    ``notes`` (how the law came to be fitted) go with the fitted law and on the card,
    ``budgets_note`` (which default budgets, and why) under the plan."""
    by_key = {f.key: f for f in figures}
    out = [fit_section(result, shown_with_data=runs.notes, notes=notes, ask=ask)]
    scaling = [by_key[k] for k in ("loss-scaling", "residuals") if k in by_key]
    out.append(Section("figures", "Figures", figures_html(scaling, figure_notes)))
    withheld = result.plan_withheld or ""  # recorded by fit from its runs, as `fit` withholds
    frontier = by_key.get("frontier")  # not drawn where withheld (fit_figures)
    out.append(
        plan_section(result, budgets, frontier, chosen=budgets_note, withheld=withheld, ask=ask)
    )
    out.extend(sections)
    out.append(data_section(result, runs, y=y))
    validation = [*(s.validation for s in sections if s.validation), *skipped]
    card = reproducibility_card(
        result, runs, command=command, validation=validation, y=y, notes=notes, stated=stated
    )
    out.append(Section("card", "Reproducibility card", card_html(card)))
    return out
