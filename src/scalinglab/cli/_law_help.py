"""``scalinglab laws NAME``: one law in full, read from its own class: the formula and
citation, the columns its variables read, each parameter's bounds and start values, what
its exponents mean, and the presets that use it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_g, format_interval
from scalinglab._json import json_number

if TYPE_CHECKING:
    from scalinglab.laws import Law, Param, Preset

__all__ = ["exponent_notes", "law_dict", "lookup", "print_law"]

#: The starts of a parameter without a grid of its own: the law builds them from the runs.
_AROUND = "around the runs"


def lookup(name: str) -> tuple[Law, Preset | None]:
    """The law ``name`` spells (a catalog name, ``power-law:flops``, ``bnsl-2``, a formula)
    or, for a preset's name, the preset's law and the preset.

    Raises:
        FormulaError: For a name that is neither: the law nearest it, as :func:`get_law`
            says it, else the preset (of the loss, or of lr and batch) nearest it.
    """
    from scalinglab._errors import FormulaError, did_you_mean
    from scalinglab.cli._hparams_presets_view import names
    from scalinglab.laws import LAW_NAMES, PRESETS, get_law

    preset = PRESETS.get(name.strip().lower())  # any case, as get_preset finds it
    if preset is not None:
        return preset.law, preset
    try:
        return get_law(name), None
    except FormulaError as err:  # hoffman2022: a preset one slip off, which no law is near
        presets = list(dict.fromkeys([*PRESETS, *names()]))  # kaplan2020 is both
        meant = did_you_mean(name.strip(), presets)
        if not meant or did_you_mean(name.strip(), LAW_NAMES):
            raise
        raise FormulaError(
            f"unknown law or preset {name.strip()!r}{meant}",
            hint=f"{err.hint}; or a preset: {', '.join(presets)}",
        ) from None


def _lower(p: Param) -> float:
    """The lower bound in natural units: a positive parameter is above 0 whatever it says."""
    return max(p.lower, 0.0) if p.positive else p.lower


def _bounds(p: Param) -> str:
    lower = _lower(p)
    if p.positive and lower == 0 and not math.isfinite(p.upper):
        return "> 0"
    if not (math.isfinite(lower) or math.isfinite(p.upper)):
        return "none"
    return format_interval(lower, p.upper, format_g)  # an infinite end: -∞, ∞


def _starts(p: Param) -> str:
    if not p.grid:  # Law.start_grid builds these around the runs (initial_guess, its own grid)
        return _AROUND
    values = ", ".join(format_g(v) for v in p.grid)
    return f"log {p.name} = {values}" if p.positive else values


def exponent_notes(law: Law) -> list[str]:
    """The law's own words on its exponents; for a formula, each power term's exponent
    read from the expression (``A*N**-alpha``)."""
    if law.exponent_notes:
        return list(law.exponent_notes)
    from scalinglab.fit._terms import power_terms

    try:
        terms = power_terms(law.expression())
    except (AttributeError, NotImplementedError):
        terms = []
    # each exponent once, its terms in the variables' order (N, D, then the formula's)
    rank = {v: k for k, v in enumerate(_variable_order(law))}
    by_expo: dict[str, list[tuple[str, str]]] = {}
    for coef, var, expo in sorted(terms, key=lambda t: rank.get(t[1], len(rank))):
        by_expo.setdefault(expo, []).append((coef, var))
    lines = []
    for expo, said in by_expo.items():  # several terms: as the over-training law says it
        each = ", and ".join(
            f"each 10× in {v} multiplies the term {c}·{v}^-{expo}" for c, v in said
        )
        lines.append(f"{expo}: {each}{',' if len(said) > 1 else ''} by 10^-{expo}")
    return lines


def _variable_order(law: Law) -> list[str]:
    """The law's variables N and D first, then the others as the formula has them."""
    first = [v for v in ("N", "D") if v in law.variables]
    return first + [v for v in law.variables if v not in first]


def _reading_notes(law: Law) -> tuple[str, ...]:
    """How a formula was read where it is not plain Python (``·`` as ``*``); none for a
    catalog law."""
    from scalinglab.laws import FormulaLaw

    return law.notes if isinstance(law, FormulaLaw) else ()


def _presets(law: Law) -> list[Preset]:
    from scalinglab.laws import PRESETS

    return [p for p in PRESETS.values() if p.law.spec == law.spec]


def law_dict(law: Law, preset: Preset | None = None) -> dict[str, Any]:
    """``laws NAME --json``: what :func:`print_law` shows; the law's coefficients (and a
    preset's values) under ``"coefs"``, as a fit's."""
    out: dict[str, Any] = {
        "format": "scalinglab.law/1",
        "law": law.spec,
        "formula": law.formula,
        "citation": law.citation,
        "variables": dict(law.variables),
        "coefs": [
            {
                "name": p.name,
                "description": p.description,
                "fitted_as": "log" if p.positive else "value",
                "lower": json_number(_lower(p)),
                "upper": json_number(p.upper),
                "starts": list(p.grid) if p.grid else _AROUND,
            }
            for p in law.params
        ],
        "exponents": exponent_notes(law),
        "notes": list(_reading_notes(law)),
        "presets": [p.name for p in _presets(law)],
    }
    if preset is not None:
        out["preset"] = {"preset": preset.name, "coefs": dict(preset.coefs)}
    return out


def print_law(console: Console, law: Law, preset: Preset | None = None) -> None:
    """The law: formula, citation, variables, a table of its parameters, its exponents."""
    console.print(Text.assemble((law.spec, "bold cyan"), "   ", law.formula), soft_wrap=True)
    if preset is not None:
        values = ", ".join(f"{k} = {format_g(v)}" for k, v in preset.coefs.items())
        console.print(Text(f"preset {preset.name}: {values}; {preset.citation}"), soft_wrap=True)
    console.print(Text(law.citation or "user formula", style="dim"), soft_wrap=True)
    reads = ", ".join(f"{s} reads column {law.variables[s]!r}" for s in _variable_order(law))
    other = (
        f"{law.spec.partition(':')[0]}:COLUMN" if hasattr(law, "column") else "--x SYMBOL=COLUMN"
    )
    console.print(Text(f"variables: {reads} (another column: {other})"), soft_wrap=True)
    for note in _reading_notes(law):
        console.print(Text(f"note: {note}", style="dim"), soft_wrap=True)
    table = Table(title="coefficients", title_justify="left")  # as fit's table
    for header in ("name", "meaning", "fitted as", "bounds", "starts"):
        table.add_column(header, overflow="fold")
    for p in law.params:
        table.add_row(
            Text(p.name, style="bold"),
            Text(p.description),
            Text(f"log {p.name}" if p.positive else "itself"),
            Text(_bounds(p)),
            Text(_starts(p)),
        )
    console.print(table)
    console.print(
        Text(
            "starts: the values a fit starts from, combined across coefficients (of a positive "
            f"one, its log); {_AROUND!r}: the law builds them from the runs it fits",
            style="dim",
        ),
        soft_wrap=True,
    )
    notes = exponent_notes(law)
    if notes:
        console.print(Text("exponents", style="bold"))
        for line in notes:
            console.print(Text(f"  {line}"), soft_wrap=True)
    presets = _presets(law)
    if presets and preset is None:
        names = ", ".join(p.name for p in presets)
        console.print(Text(f"presets of this law: {names} (--preset NAME)"), soft_wrap=True)
