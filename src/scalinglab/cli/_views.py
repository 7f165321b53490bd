"""Rich views for ``scalinglab plan`` and ``scalinglab laws``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_g
from scalinglab._plan_caveats import own_notes, plan_caveats, warnings_with
from scalinglab.cli._fit_views import beyond, print_flops_interval, print_loss_interval
from scalinglab.cli._render import (
    print_conventions,
    print_notes,
    print_warnings,
    simulated_banner,
)

__all__ = [
    "own_notes",
    "plan_caveats",
    "plan_notes",
    "print_allocation",
    "print_laws",
    "print_plan_caveats",
    "warnings_with",
]


def print_allocation(
    console: Console,
    allocation: Any,
    *,
    query: str,
    source: Any,
    origin: str,
    footer: bool = True,
    planned: Sequence[Any] = (),
    defaulted: bool = False,
    given_level: float | None = None,
) -> None:
    """One allocation in full: N*, D*, tokens per parameter, loss and compute, with intervals.

    Args:
        console: Where to draw.
        allocation: A :class:`scalinglab.plan.Allocation`.
        query: ``"flops"`` (a budget) or ``"target_loss"``: which row was given rather than
            solved.
        source: The :class:`FitResult` or :class:`Preset` planned from.
        origin: ``--fit PATH`` or ``--preset NAME`` as the user wrote it.
        footer: Also the method, the FLOP rule, the fit or preset and its conventions
            (once, after the last of several allocations).
        planned: Every allocation of the plan, whose warnings the footer says (one budget's
            own: its allocation not pinned down); default: ``allocation``'s alone.
        defaulted: Whether the budget or target was plan's default, none being given:
            its row says ``(default)``, not ``(given)``.
        given_level: The ``--level`` given, where only the plan's own intervals could
            take it (:func:`plan_caveats`).
    """
    from scalinglab.fit import FitResult
    from scalinglab.plan._text import BEYOND, allocation_text

    a = allocation
    simulated = isinstance(source, FitResult) and source.simulated
    if simulated:
        simulated_banner(console, "this plan comes from a fit to simulated runs")
    text = allocation_text(a, query=query, defaulted=defaulted)  # a notebook's table too
    console.print(Text(text.title, style="bold"), soft_wrap=True)
    table = Table()
    for k, column in enumerate(text.columns):
        table.add_column(
            column, style="bold" if k == 0 else None, justify="left" if k == 0 else "right"
        )
    for label, value, band in text.rows:
        # bold yellow past a decade outside the runs, as every table says it
        cell = beyond(a.distance, below=a.below) if label == BEYOND else Text(value)
        table.add_row(Text(label), cell, Text(band))
    console.print(table)
    if query == "flops":
        print_loss_interval(console, [a])
    else:
        print_flops_interval(console, a)
    print_notes(console, plan_notes(source, a.notes))
    if not footer:
        return
    console.print(Text(f"method: {a.method}"), soft_wrap=True)
    console.print(Text(f"FLOPs counted as: {a.flops_rule}"), soft_wrap=True)
    if isinstance(source, FitResult):
        console.print(Text(f"fit: {origin} — {source.law_spec} on {source.source}"), soft_wrap=True)
    else:
        console.print(Text(f"preset {source.name}: {source.citation}"), soft_wrap=True)
    warnings, notes = plan_caveats(source, planned or [a], level=given_level)
    print_warnings(console, warnings)
    for note in notes:
        console.print(Text(note, style="dim"))
    print_conventions(console, source.conventions)


def print_plan_caveats(
    console: Console,
    source: Any,
    plans: Sequence[dict[str, Any]],
    warnings: Sequence[str],
    notes: Sequence[str],
) -> None:
    """``plan --json``'s lines on stderr: the ``note:`` and ``warning:`` lines the text prints
    under its tables (each allocation's notes, once; an hparams rule's warnings) and in its
    footer (:func:`plan_caveats`' ``warnings`` and ``notes``), as ``fit --json`` echoes its
    own; stdout holds the JSON alone."""
    said = [n for p in plans for n in plan_notes(source, p["allocation"].notes)]
    print_notes(console, list(dict.fromkeys(said)))
    rules = [w for p in plans if "hparams" in p for w in getattr(p["hparams"], "warnings", ())]
    # "warnings" lists the rule's again as "hparams: ...": said once here, as the text does
    again = {f"hparams: {w}" for w in rules}
    print_warnings(console, list(dict.fromkeys([*rules, *(w for w in warnings if w not in again)])))
    print_notes(console, notes)


def plan_notes(source: Any, notes: Sequence[str]) -> list[str]:
    """An allocation's ``notes`` under its table: a fit's plan less every ``warning: ...``
    line, which the footer prints once among the warnings (:func:`plan_caveats`; a plan's
    own, too few resamples for the level, is the same for every budget of one plan)."""
    from scalinglab.fit import FitResult

    if not isinstance(source, FitResult):
        return list(notes)
    return [n for n in notes if not n.startswith("warning: ")]


def laws_dict() -> dict[str, Any]:
    """``laws --json``: the catalog and the presets, as ``print_laws`` shows them; each
    law's coefficient names and each preset's values under ``"coefs"``, as a fit's."""
    from scalinglab.laws import PRESETS, catalog

    return {
        "format": "scalinglab.laws/2",  # /1: an hparams preset's conventions a string
        "laws": [
            {
                "law": law.name,
                "formula": law.formula,
                "coefs": list(law.param_names),
                "citation": law.citation,
            }
            for law in catalog()
        ],
        "presets": [
            {
                "preset": p.name,
                "law": p.law.name,
                "coefs": dict(p.coefs),
                "citation": p.citation,  # as each law's
                "source": p.citation,  # the old key of "citation", one release
                "conventions": p.conventions.to_dict(),
            }
            for p in PRESETS.values()
        ],
    }


def print_laws(console: Console) -> None:
    """The law catalog, the presets, and how to write a formula."""
    from scalinglab.laws import PRESETS, catalog
    from scalinglab.laws._expr import FUNCTIONS

    laws = Table(title="laws (--law NAME)", title_justify="left", show_lines=True)
    laws.add_column("law", no_wrap=True)
    for header in ("formula", "coefs", "citation"):  # the keys of ``laws --json``
        laws.add_column(header, overflow="fold")
    for law in catalog():
        name = law.name
        if name.startswith("power-law"):
            name += "[:COLUMN]"
        elif name == "bnsl":
            name += "[-K][:COLUMN]"
        laws.add_row(
            Text(name, style="bold cyan"),
            Text(law.formula),
            Text(", ".join(law.param_names)),
            Text(law.citation, style="dim"),
        )
    console.print(laws)
    presets = Table(title="presets (--preset NAME)", title_justify="left", show_lines=True)
    for header in ("preset", "coefs", "citation", "conventions"):  # as ``laws --json``
        presets.add_column(header, overflow="fold")
    for preset in PRESETS.values():
        values = "\n".join(f"{k} = {format_g(v)}" for k, v in preset.coefs.items())
        conventions = "\n".join(f"{k}: {v}" for k, v in preset.conventions.to_dict().items())
        presets.add_row(
            Text(f"{preset.name}\n({preset.law.name})", style="bold cyan"),
            Text(values),
            Text(preset.citation),
            Text(conventions, style="dim"),
        )
    console.print(presets)
    from scalinglab.cli._hparams_presets_view import print_presets

    print_presets(console)  # lr* and B* rules, and kaplan2020's critical batch
    functions = ", ".join(sorted(FUNCTIONS))
    console.print(
        Text(
            'formulas: --law "E + A*N**-alpha + B*D**-beta" — numbers, names, + - * / ** '
            f"(^ reads as **), parentheses and {functions}; N, D, C read the params, tokens "
            "and flops columns (map others with --x SYMBOL=COLUMN); names that start with a "
            "capital are positive coefficients (fitted as logs), the rest are free."
        ),
        soft_wrap=False,
    )
    console.print(
        Text(
            "one-variable laws take a column, e.g. power-law:flops; bnsl-2 has two breaks; "
            "`scalinglab laws NAME` shows one law in full.",
            style="dim",
        )
    )
