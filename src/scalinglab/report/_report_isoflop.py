"""The report's IsoFLOP section (Hoffmann et al. 2022, approach 2): each budget's parabola
and vertex, the power laws through the vertices, and, where an estimate has no interval,
why (as ``scalinglab isoflop`` says it).

::

    write_report(result, runs, "report.html", sections=[isoflop_section(isoflop(runs))])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scalinglab._defaults import ISOFLOP_BOOTSTRAP
from scalinglab._format import format_level
from scalinglab._no_intervals import exactly_three, isoflop_no_intervals
from scalinglab.report._figure import draw_svg, drawn_figure
from scalinglab.report._figure_titles import ISOFLOP_HEADING, isoflop_title
from scalinglab.report._html_parts import (
    Section,
    escape,
    estimate_cell,
    kept_said,
    notes_list,
    quantity_cell,
    warnings_list,
)
from scalinglab.report._isoflop_plot import DPI, isoflop_figure

__all__ = ["isoflop_section", "no_interval"]


def no_interval(iso: Any, *, ask: int = ISOFLOP_BOOTSTRAP) -> str:
    """Why the power laws through the vertices have no interval (``""`` when they have), in
    the words ``isoflop`` prints (:func:`scalinglab._no_intervals.isoflop_no_intervals`);
    ``ask``: the resamples to run with."""
    return isoflop_no_intervals(iso, ask=ask)


def isoflop_section(
    iso: Any,
    *,
    file: Path | None = None,
    omit: Sequence[str] = (),
    ask: int = ISOFLOP_BOOTSTRAP,
    few: str = "",
) -> Section:
    """A section for a :class:`scalinglab.validate.IsoFLOPResult`; its figure also to
    ``file``. Notes in ``omit`` (the run table's, shown with the data) are not repeated.
    ``ask``: the resamples a section without intervals is told to run with (a report's
    ``--bootstrap`` draws the fit's and the analysis' alike: the fit's 200, not
    ``isoflop``'s 1000); ``few``: why the analysis drew none from a fit of too few
    resamples to draw them, said in place of "no bootstrap was asked", which it was."""
    head = (
        "<tr><th>compute C (FLOPs)</th><th>runs</th><th>N_opt</th><th>D_opt</th>"
        "<th>loss at the vertex</th><th>status</th><th>used</th></tr>"
    )
    rows = [
        f"<tr>{quantity_cell(b.flops, 'flops')}<td class='num'>{len(b.runs)}</td>"
        f"{estimate_cell(b.params_opt, column='params')}"
        f"{estimate_cell(b.tokens_opt, column='tokens')}{estimate_cell(b.loss_opt, digits=5)}"
        f"<td>{escape(_status(b, iso))}</td><td>{'yes' if b.used else 'no'}</td></tr>"
        for b in iso.budgets
    ]
    a, b = iso.params_law.exponent, iso.tokens_law.exponent
    why = f"no intervals: {few}" if few else no_interval(iso, ask=ask)
    if few:  # a fit of a few resamples: the analysis' "no bootstrap" note is not so
        from scalinglab.validate._isoflop_checks import POINTS_NOTE  # where iso came from

        omit = [*omit, POINTS_NOTE]
    # the resamples that gave a line through the vertices, as the other pages count them
    lines = iso.params_law.samples
    kept = [] if lines is None else [len(lines)]  # read back without its draws: not known
    drawn = why or f"{format_level(iso.level)} intervals, {kept_said(iso.n_bootstrap, kept)}"
    summary = (
        f"<p>A parabola in log N through the runs of each compute budget (Hoffmann et al. 2022, "
        f"approach 2), then power laws through the vertices: N_opt ∝ C^{escape(_interval(a))}, "
        f"D_opt ∝ C^{escape(_interval(b))} ({escape(drawn)}).</p>"
    )
    caption = (
        "Left: each budget's runs (loss against model size), the parabola in log N through "
        "them and its vertex N_opt (dashed: flagged, not used). Right: N_opt and "
        f"D_opt against compute and the power laws through the vertices ({iso.flops_rule})"
        + (f", with {drawn}." if not why else "; no band: no interval.")
    )
    # as plot_isoflop draws and titles it: built once, for the page and the file
    svg = draw_svg(lambda: isoflop_figure(iso), file, dpi=DPI, file_title=isoflop_title(iso))
    body = (
        summary
        + drawn_figure("isoflop", ISOFLOP_HEADING, caption, svg)
        + f"<table class='isoflop'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        + warnings_list(iso.warnings)
        + notes_list([n for n in iso.notes if n not in omit])
    )
    said = f" ({why})" if why else ""
    line = f"isoFLOP (approach 2) exponent a = {_interval(a)} for N_opt ∝ C^a{said}"
    return Section(
        "isoflop", "IsoFLOP parabolas", body, validation=line, warnings=tuple(iso.warnings),
        shown=iso,
    )  # fmt: skip


def _status(budget: Any, iso: Any) -> str:
    if budget.used and iso.n_bootstrap and not math.isfinite(budget.params_opt.lower):
        why = "exactly 3 runs" if exactly_three(budget) else "no resample had a minimum"
        return f"{budget.status}; no interval: {why}"
    return str(budget.status)


def _interval(e: Any) -> str:
    if math.isnan(e.lower):
        return f"{e.value:.3f}"
    return f"{e.value:.3f} [{e.lower:.3f}, {e.upper:.3f}]"
