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
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._backtest_order import by_distance, distance_heading, run_distance
from scalinglab._errors import ScalingLabError
from scalinglab._format import format_column, format_level
from scalinglab._no_intervals import ASK
from scalinglab._progress import Progress, prefixed
from scalinglab.report._backtest_plot import DPI, backtest_figure
from scalinglab.report._band_said import unbounded_why
from scalinglab.report._figure import draw_svg, drawn_figure
from scalinglab.report._figure_titles import BACKTEST_HEADING, backtest_title
from scalinglab.report._html_parts import (
    Section,
    escape,
    human,
    notes_list,
    number_cell,
    percent,
    quantity_cell,
    warnings_list,
)
from scalinglab.report._rendered import NOT_RUN
from scalinglab.report._report_isoflop import isoflop_section

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
    progress: Progress | None = None,
    ask: int = ASK,
) -> tuple[list[Section], list[str]]:
    """Backtest the fit's law by scale and run the isoFLOP analysis, where the data allow.

    Both use the fit's settings (law, columns, objective, seed) and at most 200 bootstrap
    resamples; a fit of 1 to 19 gets a point-only backtest (errors, no coverage) with the
    reason (:func:`~scalinglab.validate._guards.report_resamples`). What cannot run (too few runs or budgets, or the validation package missing)
    is skipped and said in the returned notes; a backtest by a ``holdout`` other than the
    default that cannot run raises, as :func:`scalinglab.validate.backtest` does. With ``figures`` (a folder) each figure is also
    written there as ``backtest.<figure_format>`` and ``isoflop.<figure_format>``. ``progress``
    hears the backtest's fit as ``backtest: fit``, ``backtest: bootstrap`` and the isoFLOP
    analysis as ``isoflop: bootstrap``. ``ask``: the resamples an analysis without
    intervals is told to run with, the page's (``--bootstrap`` draws the fit's and these).

    Returns:
        The sections, and one note per analysis that was skipped, with why.

    Raises:
        ScalingLabError: For a ``holdout`` rule other than the default that the backtest
            refuses (cannot be parsed, names a column the runs lack, holds out no run or
            every run).
    """
    sections: list[Section] = []
    notes: list[str] = []
    from scalinglab.validate._auto_rule import with_chosen_note
    from scalinglab.validate._compare_labels import FITTED
    from scalinglab.validate._guards import (
        FEWEST_RESAMPLES,
        UNSCORED_NOTE,
        interval_ends,
        report_resamples,
    )

    # 1 to 19: a point-only backtest with the reason, as downstream report --holdout's
    boot, few = report_resamples(min(result.n_bootstrap, _MAX_BOOTSTRAP), level=result.level)
    # the fit's own warnings and notes are the "Fitted law" section's: a backtest fit that
    # says the same is not said twice (one it adds, on the runs it was fitted to, still
    # is), nor is one the backtest says of the same runs in the same words (a sweep)
    said = [n.removeprefix("warning: ") for n in runs.notes]  # a backtest's warnings, unmarked
    own = (*result.warnings, *result.notes)
    omit = [*runs.notes, *said, *own, *(f"{FITTED}{w}" for w in own)]
    if backtest:
        run = _importable("backtest")
        if run is None:
            notes.append(f"{NOT_RUN['backtest']}scalinglab.validate is not available")
        else:
            x = dict(result.columns)
            try:
                bt = run(
                    runs, law=result.law_spec, holdout=holdout, bootstrap=boot,
                    seed=result.seed, x=x, y=y, robust_loss=result.robust_loss,
                    delta=result.delta,
                    space=result.space, progress=prefixed(progress, "backtest"),
                )  # fmt: skip
            except ScalingLabError as err:
                if holdout != DEFAULT_HOLDOUT:  # the user's rule: refused, as by `backtest`
                    raise
                notes.append(f"{NOT_RUN['backtest']}{err.message}")
            else:
                if few:  # not "no bootstrap (bootstrap=0)": the fit had a few resamples
                    bt = replace(bt, notes=tuple(
                        f"coverage not scored: {few}" if n == UNSCORED_NOTE else n
                        for n in bt.notes))  # fmt: skip
                bt = with_chosen_note(bt, result.law_choice)  # as backtest --law auto says
                sections.append(
                    backtest_section(
                        bt,
                        level=result.level,
                        file=_file(figures, "backtest", figure_format),
                        omit=omit,
                    )
                )
    if isoflop and y == "loss" and runs.has("params"):
        run = _importable("isoflop")
        if run is not None:
            try:
                iso = run(
                    runs, bootstrap=boot, level=result.level, seed=result.seed,
                    progress=prefixed(progress, "isoflop"),
                )  # fmt: skip
            except ScalingLabError as err:
                notes.append(f"{NOT_RUN['isoflop']}{err.message}")
            else:
                file = _file(figures, "isoflop", figure_format)
                # a fit of 1 to 19 resamples: none drawn here either, and said why, not
                # as "no bootstrap was asked" (it was)
                drew = "" if not few else (
                    f"the fit's {result.n_bootstrap} resamples are under {FEWEST_RESAMPLES}, "
                    f"too few to place {interval_ends(result.level)}, so the analysis draws "
                    f"none; --bootstrap {FEWEST_RESAMPLES} or more draws them"
                )  # fmt: skip
                sections.append(isoflop_section(iso, file=file, omit=runs.notes, ask=ask, few=drew))
    return sections, notes


def backtest_section(
    bt: Any, *, level: float = 0.9, file: Path | None = None, omit: Sequence[str] = ()
) -> Section:
    """A section for a :class:`scalinglab.validate.Backtest`; its figure also to ``file``.

    Its warnings, then its notes; those in ``omit`` (the run table's notes, shown with the
    data, and the fit's warnings and notes, as they are or as ``backtest fit: ...``, said
    in "Fitted law") are not repeated.
    """
    s = bt.summary
    kind = _kind(bt)
    kind = f"{kind} " if kind else ""
    levels = sorted(s.coverage)
    shown = level if level in levels else (levels[-1] if levels else level)
    from scalinglab.validate._few_runs import coverage_said, few_runs_note
    from scalinglab.validate._rolling_design import unidentified_said

    said = []  # each level's coverage: a count over few runs ("2 of 3")
    for lv, c in sorted(s.coverage.items()):
        k = s.scored.get(lv, s.n)
        if not math.isnan(c):
            said.append(
                f"{format_level(lv)}: {coverage_said(c, k)}"
                + (f" ({k} of {s.n} runs scored)" if k < s.n else "")
            )
    coverage = ", ".join(said)
    few = few_runs_note(s, levels)  # said above the table, not again among the notes
    # the interval and "inside" columns only where the fit drew intervals (not --bootstrap 0)
    banded = any(not math.isnan(r.intervals.get(shown, (math.nan,))[0]) for r in bt.runs)
    column = bt.split.column
    linear = bt.split.span() is not None  # an axis reaching 0 or below: spans, no factor
    head = (
        f"<tr><th>held-out run</th><th>{escape(column)}</th>"
        f"<th>{escape(distance_heading(bt))}</th>"
        "<th>actual</th><th>predicted</th>"
        + (f"<th>{format_level(shown)} {escape(kind)}interval</th>" if banded else "")
        + "<th>ARE</th>"
        + ("<th>inside</th>" if banded else "")
        + "</tr>"
    )
    rows = []
    # as `scalinglab backtest` lists them: farthest past the largest fitted first
    ordered = by_distance(bt)
    far = format_column([run_distance(r, linear=linear) for r in ordered])
    for r, distance in zip(ordered, far, strict=True):  # 2.00 beside 7.17, as one column
        lo, hi = r.intervals.get(shown, (math.nan, math.nan))
        mark = r.inside(shown) if shown in r.intervals else None  # None: unbounded or none
        inside = {None: "—", True: "yes", False: "no"}[mark]
        rows.append(
            f"<tr><td>{escape(r.run)}</td>{quantity_cell(r.scale, bt.split.column)}"
            f"{number_cell(run_distance(r, linear=linear), shown=distance)}"
            f"{quantity_cell(r.actual, 'loss')}{quantity_cell(r.predicted, 'loss')}"
            + (
                f"<td class='num'>[{escape(human(lo, 'loss'))}, {escape(human(hi, 'loss'))}]</td>"
                if banded
                else ""
            )
            + f"<td class='num' data-value='{float(r.are)!r}'>{escape(percent(r.are))}</td>"
            + (f"<td>{inside}</td>" if banded else "")
            + "</tr>"
        )
    # a fit its runs do not identify: said as the CLI's tables say it (its note says why)
    mark = getattr(bt, "unidentified", None)  # a baseline's Backtest says None
    flag = "" if mark is None else f" ({unidentified_said(mark)})"
    summary = (
        f"<p>Fitted {escape(bt.law)}{escape(flag)} on {len(bt.split.fitted)} runs and predicted the "
        f"{s.n} held out ({escape(bt.split.description)}): median absolute relative error "
        f"<strong>{percent(s.median_are)}</strong>, mean {percent(s.mean_are)}, max {percent(s.max_are)}"
        + (f"; interval coverage {escape(coverage)}" if coverage else "")
        + ".</p>"
        + (f"<p class='caution'>{escape(few[0].upper() + few[1:])}.</p>" if few else "")
    )
    # bars as _backtest_plot draws them: only where every run's interval is bounded
    bars = banded and all(math.isfinite(r.intervals[shown][1]) for r in bt.runs)
    bar = f", with its {format_level(shown)} {kind}prediction interval as a bar" if bars else ""
    why = unbounded_why(bt.fit, shown) if banded and not bars else None
    caption = (
        f"Left: each held-out run's predicted against actual loss{bar}, and the line predicted = "
        + (
            f"actual; no bars: the backtest fit's {format_level(shown)} {kind}prediction "
            f"interval is unbounded ({why or 'past the levels its backtests calibrate'})"
            if banded and not bars
            else "actual"
        )
        + ". Right: absolute relative error against extrapolation distance ("
        + (
            f"how far the held-out run's {column} lies past the largest fitted, in spans of the "
            f"fitted range: {column} reaches 0 or below, where a ratio is no distance)."
            if linear
            else f"the held-out run's {column} over the largest fitted)."
        )
    )
    # as plot_backtest draws and titles it: built once, for the page and the file
    svg = draw_svg(
        lambda: backtest_figure([bt], level=shown, rolling=None), file, dpi=DPI,
        file_title=backtest_title([bt]),
    )  # fmt: skip
    figure = drawn_figure("backtest", BACKTEST_HEADING, caption, svg)
    body = (
        summary
        + figure
        + f"<table class='backtest'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        + warnings_list(warned := [w for w in bt.warnings if w not in omit])
        + notes_list([n for n in bt.notes if n not in omit and n != few])
    )
    line = (
        f"backtest by scale ({bt.split.description}): median ARE {percent(s.median_are)} "
        f"over {s.n} held-out runs{flag}"
    )
    return Section(
        "backtest", "Backtest by scale", body, validation=line, warnings=tuple(warned), shown=bt
    )


# -- helpers --------------------------------------------------------------------------------


def _importable(name: str) -> Callable[..., Any] | None:
    """``scalinglab.validate.<name>``, or ``None`` where that part is not installed yet."""
    try:
        from scalinglab import validate
    except ImportError:
        return None
    found = getattr(validate, name, None)
    return found if callable(found) else None


def _kind(bt: Any) -> str:
    """The kind of the backtest fit's prediction intervals (``backtest-calibrated``,
    ``bootstrap``): :attr:`scalinglab.fit.FitResult.interval_kind`; ``""`` for a baseline
    or a fit without intervals."""
    if bt.fit is None:
        return ""
    kind = str(bt.fit.interval_kind)
    return "" if kind == "none" else kind


def _file(folder: Path | None, key: str, fmt: str) -> Path | None:
    return None if folder is None else Path(folder) / f"{key}.{fmt}"
