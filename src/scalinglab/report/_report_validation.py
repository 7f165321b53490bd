"""The report's validation sections: a backtest by scale and the isoFLOP analysis.

::

    sections = validation_sections(result, runs)       # both, where the data allow
    write_report(result, runs, "report.html", sections=sections)

Each is also available on its own (:func:`backtest_section`, :func:`isoflop_section`) for a
backtest or isoFLOP result made elsewhere. The figures come from
:func:`scalinglab.report._backtest_plot.plot_backtest` and
:func:`scalinglab.report._isoflop_plot.plot_isoflop`, written as SVG and inlined.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_level
from scalinglab.report._figure import inline_svg
from scalinglab.report._html_parts import (
    Section,
    escape,
    estimate_cell,
    g,
    notes_list,
    number_cell,
    quantity_cell,
)

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["DEFAULT_HOLDOUT", "backtest_section", "isoflop_section", "validation_sections"]

#: Hold-out rule of the report's backtest: the largest tenth of the runs by compute.
DEFAULT_HOLDOUT = "top-decile"
_MAX_BOOTSTRAP = 200  # enough for a report's intervals; the fit above has its own


def validation_sections(
    result: FitResult,
    runs: RunTable,
    *,
    holdout: str = DEFAULT_HOLDOUT,
    backtest: bool = True,
    isoflop: bool = True,
    y: str = "loss",
    figures: Path | None = None,
    figure_format: str = "svg",
) -> tuple[list[Section], list[str]]:
    """Backtest the fit's law by scale and run the isoFLOP analysis, where the data allow.

    Both use the fit's settings (law, columns, objective, seed) and at most 200 bootstrap
    resamples. What cannot run (too few runs or budgets, or the validation package missing)
    is skipped and said in the returned notes. With ``figures`` (a folder) each figure is also
    written there as ``backtest.<figure_format>`` and ``isoflop.<figure_format>``.

    Returns:
        The sections, and one note per analysis that was skipped, with why.
    """
    sections: list[Section] = []
    notes: list[str] = []
    boot = min(result.n_bootstrap, _MAX_BOOTSTRAP)
    if backtest:
        run = _importable("backtest")
        if run is None:
            notes.append("backtest not run: scalinglab.validate is not available")
        else:
            x = dict(result.columns)
            try:
                bt = run(
                    runs, law=result.law_spec, holdout=holdout, bootstrap=boot,
                    seed=result.seed, x=x, y=y, loss=result.loss, delta=result.delta,
                    space=result.space,
                )  # fmt: skip
            except ScalingLabError as err:
                notes.append(f"backtest not run: {err.message}")
            else:
                sections.append(
                    backtest_section(
                        bt,
                        level=result.level,
                        file=_file(figures, "backtest", figure_format),
                        omit=runs.notes,
                    )
                )
    if isoflop and y == "loss" and runs.has("params"):
        run = _importable("isoflop")
        if run is not None:
            try:
                iso = run(runs, bootstrap=boot, level=result.level, seed=result.seed)
            except ScalingLabError as err:
                notes.append(f"isoFLOP analysis not run: {err.message}")
            else:
                sections.append(isoflop_section(iso, file=_file(figures, "isoflop", figure_format)))
    return sections, notes


def backtest_section(
    bt: Any, *, level: float = 0.9, file: Path | None = None, omit: Sequence[str] = ()
) -> Section:
    """A section for a :class:`scalinglab.validate.Backtest`; its figure also to ``file``.

    Notes in ``omit`` (the run table's, shown with the data) are not repeated.
    """
    s = bt.summary
    levels = sorted(s.coverage)
    shown = level if level in levels else (levels[-1] if levels else level)
    coverage = ", ".join(
        f"{format_level(lv)}: {_pct(c)}"
        for lv, c in sorted(s.coverage.items())
        if not math.isnan(c)
    )
    head = (
        f"<tr><th>held-out run</th><th>{escape(bt.split.column)}</th><th>distance ×</th><th>actual</th>"
        f"<th>predicted</th><th>{shown:.0%} interval</th><th>ARE</th><th>inside</th></tr>"
    )
    rows = []
    for r in bt.runs:
        lo, hi = r.intervals.get(shown, (math.nan, math.nan))
        inside = "—" if math.isnan(lo) else ("yes" if lo <= r.actual <= hi else "no")
        rows.append(
            f"<tr><td>{escape(r.run)}</td>{quantity_cell(r.scale, bt.split.column)}"
            f"{number_cell(r.times_fitted, digits=3)}"
            f"{number_cell(r.actual)}{number_cell(r.predicted)}"
            f"<td class='num'>[{escape(g(lo))}, {escape(g(hi))}]</td>"
            f"{number_cell(r.are, digits=3)}<td>{inside}</td></tr>"
        )
    summary = (
        f"<p>Fitted {escape(bt.law)} on {len(bt.split.train)} runs and predicted the "
        f"{s.n} held out ({escape(bt.split.description)}): median absolute relative error "
        f"<strong>{_pct(s.median_are)}</strong>, mean {_pct(s.mean_are)}, max {_pct(s.max_are)}"
        + (f"; interval coverage {escape(coverage)}" if coverage else "")
        + ".</p>"
        + (
            f"<p class='caution'>Coverage from {s.n} held-out run{'s' if s.n != 1 else ''} is "
            f"a rough reading: each run moves it by {100 / s.n:.0f} points.</p>"
            if coverage and s.n < 10
            else ""
        )
    )
    figure = _figure("backtest", _draw(lambda p: _plot_backtest(bt, p, shown), file))
    body = (
        summary
        + figure
        + f"<table class='backtest'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        + notes_list([n for n in bt.notes if n not in omit])
    )
    line = (
        f"backtest by scale ({bt.split.description}): median ARE {_pct(s.median_are)} "
        f"over {s.n} held-out runs"
    )
    return Section("backtest", "Backtest by scale", body, validation=line)


def isoflop_section(iso: Any, *, file: Path | None = None) -> Section:
    """A section for a :class:`scalinglab.validate.IsoFLOPResult` (Chinchilla approach 2); its
    figure also to ``file``."""
    head = (
        "<tr><th>compute C (FLOPs)</th><th>runs</th><th>N_opt</th><th>D_opt</th>"
        "<th>loss at the vertex</th><th>status</th><th>used</th></tr>"
    )
    rows = [
        f"<tr>{number_cell(b.flops)}<td class='num'>{len(b.runs)}</td>"
        f"{estimate_cell(b.params_opt)}{estimate_cell(b.tokens_opt)}{estimate_cell(b.loss_opt, digits=4)}"
        f"<td>{escape(b.status)}</td><td>{'yes' if b.used else 'no'}</td></tr>"
        for b in iso.budgets
    ]
    a, b = iso.params_law.exponent, iso.tokens_law.exponent
    summary = (
        f"<p>A parabola in log N through the runs of each compute budget (Hoffmann et al. 2022, "
        f"approach 2), then power laws through the vertices: N_opt ∝ C^{escape(_interval(a))}, "
        f"D_opt ∝ C^{escape(_interval(b))} ({format_level(iso.level)} intervals, "
        f"{iso.n_bootstrap} resamples).</p>"
    )
    figure = _figure("isoflop", _draw(lambda p: _plot_isoflop(iso, p), file))
    body = (
        summary
        + figure
        + f"<table class='isoflop'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        + notes_list(iso.notes)
    )
    line = f"isoFLOP (approach 2) exponent a = {_interval(a)} for N_opt ∝ C^a"
    return Section("isoflop", "IsoFLOP parabolas", body, validation=line)


# -- helpers --------------------------------------------------------------------------------


def _importable(name: str) -> Callable[..., Any] | None:
    """``scalinglab.validate.<name>``, or ``None`` where that part is not installed yet."""
    try:
        from scalinglab import validate
    except ImportError:
        return None
    found = getattr(validate, name, None)
    return found if callable(found) else None


def _plot_backtest(bt: Any, path: Path, level: float) -> None:
    from scalinglab.report._backtest_plot import plot_backtest

    plot_backtest(bt, path, level=level)


def _plot_isoflop(iso: Any, path: Path) -> None:
    from scalinglab.report._isoflop_plot import plot_isoflop

    plot_isoflop(iso, path)


def _draw(plot: Callable[[Path], None], file: Path | None) -> str:
    """Run a plot function that writes a file: as SVG (returned as text), and to ``file``."""
    from matplotlib import rc_context

    with tempfile.TemporaryDirectory() as folder, rc_context({"svg.hashsalt": "scalinglab"}):
        path = Path(folder) / "figure.svg"
        plot(path)
        if file is not None:
            plot(file)
        return path.read_text(encoding="utf-8")


def _file(folder: Path | None, key: str, fmt: str) -> Path | None:
    return None if folder is None else Path(folder) / f"{key}.{fmt}"


def _figure(key: str, svg: str) -> str:
    return f"<figure id='fig-{key}'>{inline_svg(svg, key)}</figure>"


def _interval(e: Any) -> str:
    if math.isnan(e.lower):
        return f"{e.value:.3f}"
    return f"{e.value:.3f} [{e.lower:.3f}, {e.upper:.3f}]"


def _pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2%}"
