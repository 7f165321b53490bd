"""The HTML report's section on loss curves: the fitted and held-out curves with their
predictions, residuals against step, the held-out errors and a schedule comparison.

::

    section = curves_section(backtest_curves(curves, train=[...]), curves,
                             comparison=compare_schedules(fit, steps=24000, schedules=[...]))
    scalinglab.write_report(result, runs, "report.html", sections=[section])
    write_curves_report(backtest, curves, "report.html", comparison=...)  # the section alone

The command line: ``scalinglab report CURVES --curves --train a,b,c --out report.html``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from scalinglab._format import format_are, format_gain, format_grouped, format_level, format_loss
from scalinglab._paths import write_text
from scalinglab.curves._backtest import CurveBacktest, backtest_curves
from scalinglab.curves._caveats import COVERS, assumed, interval_header, resamples
from scalinglab.curves._compare import ScheduleChoice, compare_schedules, marks
from scalinglab.curves._data import Curve
from scalinglab.curves._plot import DPI, curves_figure
from scalinglab.curves._report_parts import coefs_html, data_html, status_html, warmup_used
from scalinglab.curves._result import CurveFit
from scalinglab.report._card import CardItem
from scalinglab.report._figure import draw_svg, drawn_figure
from scalinglab.report._html_parts import Section, escape, notes_list, page, percent
from scalinglab.report._html_sections import software_card

__all__ = ["COMPARED", "HEADING", "TITLE", "curves_report", "curves_section", "write_curves_report"]

#: The curves page's title.
TITLE = "Loss curves across schedules"
#: Its section's heading, here and in a loss report: what the section holds, not the
#: page's title again (as the hyperparameter page's "Located optima" under its own).
HEADING = "Curve law and held-out schedules"

#: Schedules the report compares with cosine (its row shown too) at the training curves'
#: step budget.
COMPARED = ("wsd:0.1", "wsd:0.2", "linear")


def curves_section(
    backtest: CurveBacktest,
    curves: Sequence[Curve],
    *,
    comparison: Sequence[ScheduleChoice] = (),
    steps: int | None = None,
    file: Path | None = None,
    read: Sequence[str] = (),
) -> Section:
    """A report section for a curve backtest (and, optionally, a schedule comparison over a
    budget of ``steps`` steps, said in its heading when given); the interval headers say
    the fit's level and how many resamples of which kind drew them. ``read``: what reading
    the curves said (:meth:`Reading.read <scalinglab.curves._reading.Reading.read>`'s
    notes, as ``curves fit`` prints them): its ``warning:`` lines among the fit's warnings,
    the rest first among the notes."""
    fit = backtest.fit
    warned = [n.removeprefix("warning: ") for n in read if n.startswith("warning: ")]
    noted = [n for n in read if not n.startswith("warning: ")]
    svg = draw_svg(
        lambda: curves_figure(fit, curves, held_out=backtest.held_out_runs), file, dpi=DPI
    )
    drawn = interval_header(fit, fit.level)  # "90% interval (20 wild resamples)"
    header = escape(drawn)
    rows = "".join(
        f"<tr><td>{escape(run)}</td><td class='num'>{percent(m, 3)}</td>"
        f"<td class='num'>{percent(w, 3)}</td></tr>"
        for run, m, w in zip(
            backtest.held_out_runs, backtest.mean_are, backtest.max_are, strict=True
        )
    )
    n = len(backtest.held_out_runs)
    mean = sum(backtest.mean_are) / n
    worst = max(backtest.max_are)
    body = (
        data_html(curves, fit, backtest.held_out_runs)
        + coefs_html(fit)
        + status_html(fit, also=[*warned, *backtest.own_warnings()])
        + f"<p>{escape(fit.law)} fitted jointly on {escape(', '.join(fit.runs))} predicts the "
        f"{n} other schedules with mean absolute relative error (ARE) "
        f"<strong>{format_are(mean)}</strong> (max ARE {format_are(worst)}).</p>"
        + drawn_figure("curves", "Curves and predictions", _caption(fit, drawn), svg)
        + "<table class='backtest'><thead><tr><th>held-out run</th><th>mean ARE</th>"
        + f"<th>max ARE</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    if comparison:
        body += _comparison(comparison, header, steps)
    # each schedule as evaluated: the fit's defaults (its notes say whence) filled in
    evaluated = "; ".join(f"{c.spec} is {c.schedule}" for c in comparison if c.schedule)
    said = [f"schedules as compared: {evaluated}"] if evaluated else []
    # the fit's notes, then what reading the held-out curves assumed (as `curves backtest`)
    held = [c for c in curves if c.run in backtest.held_out_runs]
    notes = [*said, *noted, *fit.notes, *assumed(held, what="held-out curves")]
    body += notes_list(list(dict.fromkeys(notes)))  # a reading's note the fit's too: once
    line = f"curve law {fit.law}: mean ARE {format_are(mean)} over {n} held-out schedules"
    return Section("curves", HEADING, body, validation=line)


def _comparison(comparison: Sequence[ScheduleChoice], header: str, steps: int | None) -> str:
    """The schedules compared at the budget, with interval columns where the fit has them and,
    under them, what those intervals cover (as ``curves compare`` says it once)."""
    drawn = any(math.isfinite(c.lower) for c in comparison)

    def band(lo: float, hi: float, form: Callable[[float], str] = format_loss) -> str:
        return f"<td class='num'>[{escape(form(lo))}, {escape(form(hi))}]</td>" if drawn else ""

    lines = "".join(
        f"<tr><td>{escape(c.spec)}{marks(c)}</td>"
        f"<td class='num'>{escape(format_loss(c.loss))}</td>{band(c.lower, c.upper)}"
        f"<td class='num'>{format_gain(c.gain)}</td>"
        f"{band(c.gain_lower, c.gain_upper, format_gain)}</tr>"
        for c in comparison
    )
    budget = f" (final loss after {format_grouped(steps)} steps)" if steps is not None else ""
    interval = f"<th>{header}</th>" if drawn else ""
    # resampled curves only: a reader would take the band for where a real run lands
    covered = f"<p class='notes'>note: {escape(COVERS)}</p>" if drawn else ""
    return (
        f"<h3>Schedules compared{budget}</h3><table><thead><tr><th>schedule</th>"
        f"<th>final loss</th>{interval}<th>gain over cosine</th>{interval}</tr></thead>"
        f"<tbody>{lines}</tbody></table>{covered}"
    )


def _caption(fit: CurveFit, drawn: str) -> str:
    """What the curves figure shows, and which band (``drawn``) it draws around the held-out
    runs' predictions."""
    band = (
        f", with the {drawn} as a band"
        if fit.samples is not None and len(fit.samples)
        else " (no band: the fit has no bootstrap)"
    )
    return (
        f"Left: the logged loss against step (dots), {fit.law} fitted jointly on "
        f"{len(fit.runs)} curves (solid) and its predictions of the held-out schedules "
        f"(dashed){band}. Right: each logged point's relative residual against step."
    )


def write_curves_report(
    backtest: CurveBacktest,
    curves: Sequence[Curve],
    path: str | os.PathLike[str],
    *,
    comparison: Sequence[ScheduleChoice] = (),
    steps: int | None = None,
    title: str | None = None,
    command: str = "",
    warmup: int | None = None,
    read: Sequence[str] = (),
) -> Path:
    """Write :func:`curves_section` as one self-contained HTML page and return its path;
    its card states the warm-up the curves were read with (``warmup``: the one given,
    ``None``: each curve's own, :func:`warmup_used`); ``read``: what reading the curves
    said, as :func:`curves_section` shows it."""
    section = curves_section(backtest, curves, comparison=comparison, steps=steps, read=read)
    # the versions that made the page, and the command that remakes it where there is one
    fit = backtest.fit
    drawn = resamples(fit) if fit.samples is not None and len(fit.samples) else ""
    said = f"{drawn}; {format_level(fit.level)} intervals" if drawn else "none: no intervals"
    fitting = (CardItem("warm-up", warmup_used(curves, fit, warmup)),)
    card = software_card(command, bootstrap=said, fitting=fitting)  # as the loss card says
    sections = [section, Section("curves-card", "Reproduce", card)]
    text = page(title or TITLE, "curves report", sections)
    return write_text(path, text)  # its folder made now, after the work


def curves_report(
    curves: Sequence[Curve],
    path: str | os.PathLike[str],
    *,
    train: Sequence[str],
    law: str = "multipower",
    bootstrap: int = 0,
    level: float = 0.9,
    seed: int = 0,
    schedules: Sequence[str] = COMPARED,
    title: str | None = None,
    command: str = "",
    left_out: Mapping[str, str] | None = None,
    source: str | None = None,
    where: Mapping[str, str] | None = None,
    warmup: int | None = None,
    read: Sequence[str] = (),
) -> CurveBacktest:
    """Backtest ``law`` fitted on the ``train`` curves (as ``curves backtest``), compare
    ``schedules`` with cosine at the longest training curve's step budget, write the page.

    ``bootstrap`` resamples the training curves (``seed``), for intervals of coverage
    ``level``; without it the comparison has no intervals. ``left_out``, ``source`` and
    ``where``: the runs the reader left out and why, where the curves came from (how many
    of how many ``where`` kept) and the text values they were kept by (``None``: not
    known, and recorded so), the fit's record (:func:`backtest_curves`), which the page says; ``warmup``: the warm-up they were read
    with (``None``: each curve's own), which its card states; ``read``: what reading them
    said (its warnings and notes, which the page shows as ``curves fit`` prints them). Returns the backtest the page
    shows (its fit's status and warnings are the command line's to print too).
    """
    backtest = backtest_curves(
        curves, train=train, law=law, bootstrap=bootstrap, level=level, seed=seed,
        left_out=left_out, source=source,
    )  # fmt: skip
    if where is not None:  # read with it (backtest_curves refuses where= for curves read)
        backtest = replace(backtest, fit=replace(backtest.fit, where=dict(where)))
    fitted = [c for c in curves if c.run in backtest.fit.runs]
    steps = max(c.schedule.steps for c in fitted)
    sized = backtest.fit.law.startswith("sized:")
    size = max(c.params for c in fitted) if sized else None
    comparison = compare_schedules(
        backtest.fit, steps=steps, schedules=schedules, params=size, include_baseline=True
    )
    write_curves_report(backtest, curves, path, comparison=comparison, steps=steps,
                        title=title, command=command, warmup=warmup, read=read)  # fmt: skip
    return backtest
