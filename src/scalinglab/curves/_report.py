"""The HTML report's section on loss curves: the fitted and held-out curves with their
predictions, residuals against step, the held-out errors and a schedule comparison.

::

    section = curves_section(backtest_curves(curves, train=[...]), curves,
                             comparison=compare_schedules(fit, steps=24000, schedules=[...]))
    scalinglab.write_report(result, runs, "report.html", sections=[section])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scalinglab.curves._compare import CurveBacktest, ScheduleChoice
from scalinglab.curves._data import Curve
from scalinglab.curves._plot import plot_curves
from scalinglab.report._html_parts import Section, escape, g, notes_list
from scalinglab.report._report_validation import _draw, _figure

__all__ = ["curves_section"]


def curves_section(
    backtest: CurveBacktest,
    curves: Sequence[Curve],
    *,
    comparison: Sequence[ScheduleChoice] = (),
    file: Path | None = None,
) -> Section:
    """A report section for a curve backtest (and, optionally, a schedule comparison)."""
    fit = backtest.fit
    svg = _draw(lambda p: plot_curves(fit, curves, p, held_out=backtest.runs), file)
    rows = "".join(
        f"<tr><td>{escape(run)}</td><td class='num'>{m:.3%}</td><td class='num'>{w:.3%}</td></tr>"
        for run, m, w in zip(backtest.runs, backtest.mean_error, backtest.worst_error, strict=True)
    )
    n = len(backtest.runs)
    mean = sum(backtest.mean_error) / n
    worst = max(backtest.worst_error)
    body = (
        f"<p>{escape(fit.law)} fitted jointly on {escape(', '.join(fit.runs))} predicts the "
        f"{n} other schedules with mean relative error <strong>{mean:.3%}</strong> "
        f"(worst point {worst:.3%}).</p>"
        + _figure("curves", svg)
        + "<table class='backtest'><thead><tr><th>held-out run</th><th>mean rel. error</th>"
        + f"<th>worst rel. error</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    if comparison:
        lines = "".join(
            f"<tr><td>{escape(c.spec)}{' (best)' if c.best else ''}</td>"
            f"<td class='num'>{escape(g(c.loss))}</td>"
            f"<td class='num'>[{escape(g(c.lower))}, {escape(g(c.upper))}]</td>"
            f"<td class='num'>{c.gain:+.4f}</td>"
            f"<td class='num'>[{escape(g(c.gain_lower))}, {escape(g(c.gain_upper))}]</td></tr>"
            for c in comparison
        )
        body += (
            "<h3>Schedules compared</h3><table><thead><tr><th>schedule</th><th>final loss</th>"
            "<th>interval</th><th>gain over cosine</th><th>interval</th></tr></thead>"
            f"<tbody>{lines}</tbody></table>"
        )
    body += notes_list(list(fit.notes))
    line = f"curve law {fit.law}: mean relative error {mean:.3%} over {n} held-out schedules"
    return Section("curves", "Loss curves across schedules", body, validation=line)
