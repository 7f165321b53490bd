"""The report's own sections: the fitted law, the figures, the plan, the data, the card."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_g, format_level
from scalinglab._no_intervals import ASK, no_intervals_line
from scalinglab.data._raw import NO_ROW
from scalinglab.fit._diagnostics import coarse_resamples_note
from scalinglab.fit._text import coef_cells, starts_line
from scalinglab.fit._withheld import params_tokens
from scalinglab.plan._allocation import interval_kinds
from scalinglab.plan._compute_alone import COMPUTE_ALONE
from scalinglab.plan._pinned import said_once
from scalinglab.plan._source import compute_symbol
from scalinglab.report._card import CardGroup, CardItem, software_versions
from scalinglab.report._figure import ReportFigure, svg_markup
from scalinglab.report._html_parts import (
    Section,
    bootstrap_said,
    escape,
    estimate_cell,
    figure_block,
    notes_list,
    number_cell,
    quantity_cell,
    residual_cell,
    status_class,
    warnings_list,
)
from scalinglab.report._html_plan_parts import beyond_cell, exponents_paragraph
from scalinglab.report._reading import data_said

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult
    from scalinglab.plan import Allocation

__all__ = [
    "MAX_TABLE_ROWS", "card_html", "data_section", "figures_html", "fit_section", "plan_section",
    "software_card",
]  # fmt: skip

#: Most runs listed in the data table (the fit uses all of them).
MAX_TABLE_ROWS = 1000


def fit_section(
    result: FitResult,
    *,
    shown_with_data: Sequence[str] = (),
    notes: Sequence[str] = (),
    ask: int = ASK,
) -> Section:
    """The fitted law: formula, coefficients with intervals, status, the fit's warnings, and
    notes: ``notes`` (how the law came to be fitted) first, then the fit's own less those
    ``shown_with_data``. ``ask``: the resamples a fit without intervals is told to run
    with, the default of the command the page's ``--bootstrap`` fits with."""
    law = result.law
    described = {p.name: p.description for p in law.params}
    level = f"{format_level(result.level)} interval"
    # the interval columns only where the fit drew intervals (not --bootstrap 0)
    banded = any(not math.isnan(lo) for lo, _ in result.intervals.values())
    rows = []
    for name, value in result.coefs.items():
        lo, hi = result.intervals.get(name, (math.nan, math.nan))
        # the text of `scalinglab fit`'s table: the ends to the value's decimals, a bound bare
        shown, lower, upper = coef_cells(result, name)
        ends = (
            f"{number_cell(lo, param=name, end='lower', shown=lower)}"
            f"{number_cell(hi, param=name, end='upper', shown=upper)}"
        )
        rows.append(
            "<tr>"
            f"<th scope='row'>{escape(name)}</th><td>{escape(described.get(name, ''))}</td>"
            f"{number_cell(value, param=name, shown=shown)}{ends if banded else ''}</tr>"
        )
    ends = f"<th>{level}: lower</th><th>upper</th>" if banded else ""
    status = status_class(ok=result.ok, flagged=bool(result.warnings or result.at_bound))
    kept = 0 if result.samples is None else len(result.samples)
    # `fit`'s first note on 20 to 99 resamples: their intervals' ends move from seed to seed
    coarse = [c for c in (coarse_resamples_note(kept, result.level) if kept else None,) if c]
    body = (
        f"<p class='formula'><code>{escape(law.formula)}</code></p>"
        f"<p class='cite'>{escape(law.citation or 'user formula')}</p>"
        "<table class='params'><thead><tr><th>coef</th><th>meaning</th><th>value</th>"
        f"{ends}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='status {status}'>Status: {escape(result.message)}. "
        f"{starts_line(result)}, objective {escape(format_g(result.objective))}; "
        f"{bootstrap_said(result) or no_intervals_line(requested=result.n_bootstrap, ask=ask)}."
        + (f" At a bound: {escape(', '.join(result.at_bound))}." if result.at_bound else "")
        + "</p>"
        + warnings_list(result.warnings)
        + notes_list([*notes, *coarse, *(n for n in result.notes if n not in shown_with_data)])
    )
    return Section("fit", "Fitted law", body, warnings=tuple(result.warnings))


def figures_html(figures: Sequence[ReportFigure], notes: Sequence[str]) -> str:
    blocks = [
        figure_block(item.key, item.title, item.caption, svg_markup(item)) for item in figures
    ]
    return "".join(blocks) + notes_list(notes)


def plan_section(
    result: FitResult,
    budgets: Sequence[float],
    frontier: ReportFigure | None,
    *,
    chosen: str | None = None,
    withheld: str = "",
    ask: int = ASK,
) -> Section:
    """The plan: the frontier, a row per budget, their notes; ``chosen`` says which default
    budgets were taken and why (:func:`~scalinglab.plan._budgets.default_budgets`);
    ``withheld``, why there is none (:attr:`~scalinglab.FitResult.plan_withheld`: the
    runs leave N and D unidentified), said in its place; ``ask`` as :func:`fit_section`'s."""
    allocations, note = ([], withheld) if withheld else _allocations(result, budgets)
    # the plan's own warnings (too few resamples for its level, an allocation the runs do
    # not pin down: one line for its budgets), once each, less the fit's (its section's)
    parts, warned = [], said_once(allocations, less=result.warnings)[0]
    if frontier is not None:
        parts.append(figures_html([frontier], ()))
    if allocations and allocations[0].method == COMPUTE_ALONE:
        parts.append(
            _loss_at_compute(allocations, result, ask)
        )  # a law of compute alone: no N*, D*
    elif allocations:
        far = any(math.isfinite(a.distance) for a in allocations)
        head = (
            # the names `plan` and `fit` print these columns by
            "<tr><th>compute C (FLOPs)</th><th>params N*</th><th>tokens D*</th>"
            "<th>tokens/param</th><th>loss</th>"
            + ("<th>beyond data (N, D, N·D or tokens/param)</th>" if far else "")
            + "</tr>"
        )
        rows = [
            f"<tr>{quantity_cell(a.flops.value, 'flops')}{estimate_cell(a.params, column='params')}"
            f"{estimate_cell(a.tokens, column='tokens')}{estimate_cell(a.tokens_per_param)}"
            f"{estimate_cell(a.loss, column='loss')}{beyond_cell(a.distance, a.below) if far else ''}</tr>"
            for a in allocations
        ]
        first, exponents = allocations[0], result.allocation_exponents
        parts.append(
            f"<p>Compute-optimal allocation under {escape(first.flops_rule)} "
            f"({escape(first.method)}), {escape(_plan_intervals(allocations, result, ask))}.</p>"
            f"<table class='plan'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
            + exponents_paragraph(exponents)  # N* ∝ C^a, D* ∝ C^b: fit's line under its method
        )
        warned = [*(() if exponents is None else exponents.warnings), *warned]
        # in the CLI's order: the plan's warnings, the first allocation's notes, then any
        # the others add
        parts.append(warnings_list(warned))
        parts.append(notes_list(said_once(allocations)[1]))  # budgets' lines: one
    said = [n for n in (chosen if allocations else None, note) if n]
    if said:
        parts.append(notes_list(said))
    body = "".join(parts)
    return Section(
        "plan", "Compute-optimal plan", body, warnings=tuple(warned), shown=tuple(allocations)
    )


def _loss_at_compute(allocations: Sequence[Allocation], result: FitResult, ask: int) -> str:
    """The loss at each budget of a law of compute alone, as ``plan --compute`` gives it:
    no allocation of N and D, the loss with the fit's prediction interval, the distance."""
    a = allocations[0]
    kinds = interval_kinds(allocations)
    said = (
        f"in brackets the fit's {format_level(a.level)} {'/'.join(kinds) or 'bootstrap'} "
        "prediction interval for one run at C"
        if math.isfinite(a.loss.lower)
        else no_intervals_line(requested=result.n_bootstrap, ask=ask)
    )
    far = any(math.isfinite(x.distance) for x in allocations)
    head = "<tr><th>compute C (FLOPs)</th><th>loss L(C)</th>" + (
        "<th>beyond data (C)</th></tr>" if far else "</tr>"
    )
    rows = "".join(
        f"<tr>{quantity_cell(x.flops.value, 'flops')}{estimate_cell(x.loss, column='loss')}"
        f"{beyond_cell(x.distance, x.below) if far else ''}</tr>"
        for x in allocations
    )
    notes = list(dict.fromkeys(n for x in allocations for n in x.notes))
    return (
        "<p>The loss at each budget by the law of compute alone, L(C), with no allocation of "
        f"N and D (C counted as {escape(a.flops_rule)}); {escape(said)}.</p><table class='plan'><thead>{head}</thead><tbody>{rows}</tbody>"
        f"</table>{warnings_list(said_once(allocations, less=result.warnings)[0])}{notes_list(notes)}"
    )


def _plan_intervals(allocations: Sequence[Allocation], result: FitResult, ask: int) -> str:
    """Which interval each column shows: N*, D*, tokens/param over the optima of ``result``'s
    bootstrap fits (those kept); the loss the fit's prediction interval for one run there,
    where it has one of that kind."""
    a = allocations[0]
    drawn = bootstrap_said(result, noun="bootstrap fits' optima")
    if not (drawn and math.isfinite(a.params.lower)):
        return no_intervals_line(requested=result.n_bootstrap, ask=ask)
    level = format_level(a.level)
    kinds = interval_kinds(allocations)
    if not kinds:
        return f"with {level} intervals over the {drawn} in brackets"
    return (
        f"in brackets: for N*, D* and tokens/param the {level} interval over the {drawn}; for the "
        f"loss the fit's {level} {'/'.join(kinds)} prediction interval for one run at (N*, D*)"
    )


def _allocations(result: FitResult, budgets: Sequence[float]) -> tuple[list[Allocation], str]:
    # the laws planning plans, by the columns read: of params and tokens (P, T too), or of C
    if params_tokens(result.law) is None and compute_symbol(result.law) is None:
        return (
            [],
            "no planning table: the law is not in model size N and tokens D, nor in compute C",
        )
    from scalinglab.plan import optimal_allocation

    try:
        return [optimal_allocation(result, flops=b) for b in budgets], ""
    except ScalingLabError as err:
        return [], f"no planning table: {err.message}"


def data_section(result: FitResult, runs: RunTable, *, y: str) -> Section:
    at: dict[str, Any] = {s: runs[c] for s, c in result.columns.items()}
    fitted = result.predict(**at).loss
    columns = list(dict.fromkeys([*result.columns.values(), "flops", y]))
    columns = [c for c in columns if runs.has(c)]
    labels = list(runs.labels)
    named = [runs.origins.get(c, c) for c in columns]  # the user's column names: val_loss
    head = "".join(f"<th>{escape(c)}</th>" for c in ["run", "row", *named, "fitted", "residual"])
    head += "".join(f"<th>{escape(c)}</th>" for c in labels)
    rows = []
    for i in range(min(len(runs), MAX_TABLE_ROWS)):
        row = "" if runs.rows[i] == NO_ROW else runs.rows[i]  # a store's runs have none
        cells = [f"<td>{escape(runs.runs[i])}</td><td>{escape(str(row))}</td>"]
        cells += [quantity_cell(float(runs[c][i]), c) for c in columns]
        cells += [quantity_cell(float(fitted[i]), y), residual_cell(float(result.residuals[i]))]
        cells += [f"<td>{escape(runs.labels[k][i])}</td>" for k in labels]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    intro = f"<p>Runs: {escape(result.source)}."  # the source counts them
    if len(runs) > MAX_TABLE_ROWS:
        intro += f" The first {MAX_TABLE_ROWS} are listed; the fit used all of them."
    intro += "</p>"
    if result.simulated:
        intro = (
            "<p class='simulated'>SIMULATED DATA: these runs were drawn from a published law "
            "with noise; they are not real training runs.</p>" + intro
        )
    # a reading's warning styled as one, where the fit's warnings do not list it already
    read, noted = data_said(runs, listed=result.warnings)
    body = (
        intro
        + f"<div class='scroll'><table class='data'><thead><tr>{head}</tr></thead>"
        + f"<tbody>{''.join(rows)}</tbody></table></div>"
        + warnings_list(read)
        + notes_list(noted)
    )
    return Section("data", "Data", body, warnings=read)


def card_html(card: Sequence[Any]) -> str:
    groups = []
    for group in card:
        items = "".join(
            f"<tr><th scope='row'>{escape(item.label)}</th><td>{_linked(item)}</td></tr>"
            for item in group.items
        )
        groups.append(
            f"<h3>{escape(group.title)}</h3><table class='card'><tbody>{items}</tbody></table>"
        )
    return "".join(groups)


def _linked(item: Any) -> str:
    """A card item's value, a link to the section that says it in full where it has one."""
    value = escape(item.value)
    return f"<a href='#{escape(item.link)}'>{value}</a>" if item.link else value


def software_card(command: str, *, bootstrap: str = "", fitting: Sequence[CardItem] = ()) -> str:
    """The loss-law card's "Software" group alone, for the pages without a fit card (curves,
    hparams): the versions that made the page and the command that remakes it, after the
    card's "bootstrap" item where the page has intervals (its resamples, as the loss-law
    card says them; ``""``: none), and after ``fitting``, the page's own settings (a curve
    fit's warm-up) as a "Fitting" group, as the loss-law card has one."""
    versions = ", ".join(f"{k} {v}" for k, v in software_versions().items())
    items = (CardItem("versions", versions),) + ((CardItem("command", command),) if command else ())
    groups = [CardGroup("Fitting", tuple(fitting))] if fitting else []
    if bootstrap:
        groups.append(CardGroup("Uncertainty", (CardItem("bootstrap", bootstrap),)))
    return card_html([*groups, CardGroup("Software", items)])
