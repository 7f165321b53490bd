"""Report sections for a downstream chain: accuracy against loss per task with its fit and
band, the chain's prediction at a target scale, and the per-task backtest table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._cells import accuracy, estimate
from scalinglab._format import format_count, format_counted, format_g, format_level
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.downstream._interval_kind import interval_kind
from scalinglab.downstream._task_table import backtest_verdicts, not_predictable
from scalinglab.report._figure import ReportFigure, svg_markup
from scalinglab.report._html_parts import Section, escape, figure_block, kept_said
from scalinglab.report._table_html import Td, table_html

if TYPE_CHECKING:
    from scalinglab.downstream import DownstreamBacktest, DownstreamFit, Evals

__all__ = ["downstream_sections"]

#: Most tasks drawn (the table lists all of them).
MAX_PANELS = 16


def downstream_sections(
    chain: DownstreamFit,
    evals: Evals,
    *,
    backtest: DownstreamBacktest | None = None,
    target: tuple[float, float] | None = None,
    unscored: str = "",
) -> list[Section]:
    """Sections of the HTML report for ``chain`` fitted to ``evals``.

    Args:
        chain: The fitted chain.
        evals: The evaluations it was fitted to.
        backtest: A per-task backtest to tabulate, or ``None``.
        target: ``(params, tokens)`` of a model to predict every task for, or ``None``.
        unscored: Why ``backtest`` drew no resamples where the chain drew some (too few
            to score: :func:`~scalinglab.validate._guards.report_resamples`), or ``""``.
    """
    out = [_figure_section(chain, evals)]
    if target is not None:
        out.append(_prediction_section(chain, *target))
    if backtest is not None:
        full = chain.average.members if chain.average is not None else ()
        out.append(_backtest_section(backtest, full, unscored))
    return out


def _figure_section(chain: DownstreamFit, evals: Evals) -> Section:
    from matplotlib.figure import Figure

    names = list(chain.predictable)[:MAX_PANELS]
    table = _task_table(chain, evals)
    if not names:
        return Section("downstream", "Downstream: accuracy against loss", table)
    cols = min(4, len(names))
    nrows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(3.2 * cols, 2.6 * nrows), layout="constrained")
    loss = evals.runs["loss"]
    grid = np.linspace(float(np.min(loss)) - 0.1, float(np.max(loss)) + 0.1, 80)
    for k, name in enumerate(names):
        ax = fig.add_subplot(nrows, cols, k + 1)
        step = chain.tasks[name].step
        assert step is not None  # predictable tasks have a step
        acc = evals.accuracy(name)
        ax.scatter(loss, acc, s=8, color="#555", label="models")
        curve = _as_accuracy(step, step.evaluate(step.theta, {"L": grid}))
        ax.plot(grid, curve, color="#1f77b4", label="fit")
        good = step.samples[np.all(np.isfinite(step.samples), axis=1)]
        if len(good):
            draws = _as_accuracy(step, step.evaluate(good, {"L": grid}))
            lo, hi = np.percentile(draws, [50 * (1 - chain.level), 50 * (1 + chain.level)], axis=0)
            ax.fill_between(grid, lo, hi, color="#1f77b4", alpha=0.2, lw=0, label="band")
        chance = chain.tasks[name].chance
        if not math.isnan(chance):
            ax.axhline(chance, color="#999", ls=":", lw=1)
            low, high = ax.get_ylim()  # a curve that falls to chance put it on the frame
            ax.set_ylim(min(low, chance - 0.05 * (high - low)), high)  # (piqa at 0.5)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(chain.via, fontsize=8)
        ax.set_ylabel("accuracy", fontsize=8)
        ax.tick_params(labelsize=7)
    figure = ReportFigure(
        "downstream-accuracy",
        f"Accuracy against {chain.via}, task by task",
        f"Each predictable task's accuracy against {chain.via}: the models, the fitted law"
        + (
            f" and its {format_level(chain.level)} band over the chain's "
            f"{_drawn(chain, 'bootstrap resamples')} (the law's mean)"
            if chain.n_bootstrap
            else ", without a band (a point fit: the chain has no bootstrap, --bootstrap 0)"
        )
        + "; dotted: chance.",
        fig,
    )
    # its caption above it, as every other figure's: below, it read as the table's
    body = figure_block(figure.key, figure.title, figure.caption, svg_markup(figure)) + table
    return Section("downstream", "Downstream: accuracy against loss", body)


def _task_table(chain: DownstreamFit, evals: Evals) -> str:
    """The tasks as ``downstream fit`` prints them (one source: :func:`task_rows`), then
    the chain's notes the page says nowhere else (the backtest on the fitted sizes, scores
    missing) and each law's parameters at a bound."""
    from scalinglab.downstream._loss_result import loss_notes
    from scalinglab.downstream._task_table import HEADER, task_notes, task_rows

    head = "".join(f"<th>{name}</th>" for name in HEADER)
    rows = "".join(
        f"<tr><th scope='row'>{escape(r.task)}</th><td class='num'>{escape(r.chance)}</td>"
        f"<td>{escape(r.fit)}</td><td class='num'>{escape(r.backtest)}</td>"
        f"<td>{escape(r.verdict)}</td></tr>"
        for r in task_rows(chain)
    )
    # the loss law's notes and what reading the evaluations decided are with its fit, the
    # run table's with the data
    shown = {*loss_notes(chain), *evals.notes, *evals.runs.notes}
    said = [n for n in chain.notes if n not in shown] + task_notes(chain)
    notes = "".join(f"<p class='notes'>note: {escape(n)}</p>" for n in said)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{notes}"


def _drawn(chain: DownstreamFit, noun: str = "resamples") -> str:
    """The chain's resamples, and those kept where a fit failed (left out of every
    interval), as its card counts them: the rows of the loss law's draws that are finite."""
    kept = int(np.sum(np.all(np.isfinite(chain.loss_step.samples), axis=1)))
    return kept_said(chain.n_bootstrap, [kept], noun=noun)


def _prediction_section(chain: DownstreamFit, params: float, tokens: float) -> Section:
    from scalinglab.downstream._result import predict_model

    model = predict_model(chain, params=params, tokens=tokens)
    kind = interval_kind(chain)  # as downstream predict's header and JSON name it
    calibrated = kind == "backtest-calibrated"
    preds, far = model.tasks, model.distance
    banded = chain.n_bootstrap > 0  # no interval column for a point fit (--bootstrap 0)
    rows = []
    for name, p in preds.items():
        if name == "average" and chain.average is not None:
            name = f"average ({len(chain.average.members)} tasks)"
        if p.reason:
            cell = f"<td colspan='{2 if banded else 1}'>{escape(not_predictable(p.reason))}</td>"
        else:
            cell = f"<td class='num'>{accuracy(p.accuracy)}</td>" + (  # as the CLI writes it
                f"<td class='num'>[{accuracy(p.lower)}, {accuracy(p.upper)}]</td>" if banded else ""
            )
        rows.append(f"<tr><th scope='row'>{escape(name)}</th>{cell}</tr>")
    first = next(iter(preds.values()), None)
    # the loss's own interval, as downstream predict prints it (none without a bootstrap)
    ends = (math.nan,) * 3 if first is None else (first.loss, first.loss_lower, first.loss_upper)
    loss_said = estimate(*ends, 4)
    where = (
        "inside the fitted models"
        if far == 0
        else f"x{format_g(10**far, 3)} ({far:.2f} decades) beyond the fitted models in N, D, N·D or tokens per parameter"
        if far > 0
        else "at a distance from the fitted models this chain did not record"
    )
    said = "".join(f"<p class='notes'>note: {escape(n)}</p>" for n in model.notes) + "".join(
        f"<p class='status bad'>warning: {escape(w)}</p>" for w in model.warnings
    )
    body = (
        f"<p>A model of {escape(format_count(params))} parameters trained on "
        f"{escape(format_count(tokens))} tokens, {escape(where)}: {escape(chain.via)} {escape(loss_said)}, then each "
        "task's "
        + (
            f"law; {escape(kind)} intervals for one new model from the chain's "
            f"{escape(_drawn(chain, 'shared bootstrap resamples of the models'))}"
            + (", with the loss law's measured extrapolation error" * calibrated)
            + ".</p>"
            if banded
            else f"law; {escape(chain_no_intervals(chain))}.</p>"
        )
        + "<table><thead><tr><th>task</th><th>accuracy</th>"
        + (
            f"<th>{format_level(chain.level)} {escape(kind)} interval ({escape(_drawn(chain))})</th>"
            if banded
            else ""
        )
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{said}"
    )
    return Section("downstream-prediction", "Downstream: prediction at the target scale", body)


def _backtest_section(
    result: DownstreamBacktest, full: Sequence[str] = (), unscored: str = ""
) -> Section:
    """The per-task backtest; ``full``: the tasks the full fit's average averages, which the
    backtest's own fit (on fewer models) may find otherwise predictable; ``unscored``: why
    it has no coverage, where not its own lack of a bootstrap."""
    level, drawn = format_level(result.chain.level), result.chain.n_bootstrap
    rows: list[list[Td]] = []
    keyed = result.rows()  # no average of one task predicted: it would be that task again
    average = keyed.get("average")
    shown = [*result.tasks.items(), *([("average", average)] if average is not None else [])]
    # a verdict of the refit: said once, under the table, as `downstream backtest` says it
    verdicts, refit = backtest_verdicts([t.reason for _, t in shown])
    for (key, t), verdict in zip(shown, verdicts, strict=True):
        fitted = result.chain.tasks.get(key)
        said = "; ".join(n for n in (t.scoring, "" if fitted is None else fitted.noise_text) if n)
        if verdict:
            cells = [Td(escape(verdict), span=4 if drawn else 3)]
        else:
            num = ["—" if math.isnan(x) else f"{100 * x:{f}}{unit}" for x, f, unit in (
                (t.abs_error, ".2f", ""), (t.mean_are, ".1f", "%"))]  # fmt: skip
            num.append(t.coverage_text)  # "k of n" over a few models, as the CLI shows it
            cells = [Td(num[0], num=True), Td(num[1], num=True)]
            cells += [Td(escape(num[2]), num=True)] if drawn else []  # none: no intervals
            cells.append(Td(escape(said)))
        rows.append([Td(escape(t.task), row_header=True), *cells])
    body = (
        f"<p>Fitted without the {len(result.held_out_runs)} held-out models "
        f"({escape(result.holdout_description)}), then predicted for them; "
        + (
            f"coverage of the {level} intervals from the refit chain's "
            f"{escape(_drawn(result.chain, 'bootstrap resamples'))}."
            if drawn
            else "errors only, with no coverage: "
            f"{escape(unscored or chain_no_intervals(result.chain))}."
        )
        + "</p>"
        # the note column only where a task has one (none on most data)
        + table_html(
            ["task", "mean abs error (points)", "mean ARE"]
            + ([f"{level} coverage"] if drawn else [])
            + ["note"],
            rows,
        )
        + (f"<p class='notes'>{escape(refit)}</p>" if refit else "")
        # the last row is one number's error, not the tasks' errors averaged
        + (
            f"<p class='notes'>{escape(average.task)}: the error of the accuracy averaged over "
            "the tasks, predicted and measured as one number per model; not the mean of the "
            "tasks' errors above (misses of opposite sign can cancel in it).</p>"
            + _average_members(average.members, full)
            if average is not None
            else ""
        )
        + (
            f"<p class='notes'>note: {escape(result.coverage_note)}</p>"
            if result.coverage_note
            else ""
        )
    )
    # one task predicted (no average): its own error, not a task that could not be predicted
    summed = average or next(
        (t for t in result.tasks.values() if not t.reason), next(iter(result.tasks.values()))
    )
    error, what = summed.abs_error, "the average accuracy" if average else summed.task
    line = f"downstream backtest ({result.holdout_description}): " + (
        f"mean error {100 * error:.2f} points on {what}"
        if not math.isnan(error)
        else f"{what}: {summed.reason or summed.scoring}"
    )
    if summed.scoring and not math.isnan(error):
        line += f", {summed.scoring}"
    # the tasks' misses beside it: those of opposite sign cancel in the average accuracy
    misses = [t.abs_error for t in result.tasks.values() if not math.isnan(t.abs_error)]
    if misses and not math.isnan(error):
        line += (
            f"; mean absolute error per task {100 * float(np.mean(misses)):.2f} points (over "
            f"the {len(misses)} task{'s' * (len(misses) != 1)} predicted)"
        )
    return Section("downstream-backtest", "Downstream: backtest per task", body, validation=line)


def _average_members(members: Sequence[str], full: Sequence[str]) -> str:
    """Which tasks the backtest's average row averages: the tasks its own fit (without the
    held-out models) found predictable, said beside the full fit's average where they differ
    (the same label, "average (10 tasks)", can count other tasks)."""
    if not members:
        return ""
    said = (
        f"The backtest's average is over the {format_counted(len(members), 'task')} its own "
        f"fit (without the held-out models) found predictable: {', '.join(members)}"
    )
    if full and set(full) != set(members):
        here = [t for t in members if t not in full]
        there = [t for t in full if t not in members]
        parts = [f"only here {', '.join(here)}"] if here else []
        parts += [f"only in the full fit's {', '.join(there)}"] if there else []
        said += f"; not the full fit's average of {format_counted(len(full), 'task')}: "
        said += "; ".join(parts)
    elif full:
        said += ", the same tasks as the full fit's average"
    return f"<p class='notes'>{escape(said)}.</p>"


def _as_accuracy(step: object, values: Sequence[float] | np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64)
    return 1.0 - out if getattr(getattr(step, "law", None), "target", "") == "error" else out
