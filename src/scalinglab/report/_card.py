"""The reproducibility card: what a reader needs to redo the fit, item by item.

The items follow the checklist of Li, Kudugunta and Zettlemoyer (2025), "(Mis)Fitting: A
Survey of Scaling Laws" (arXiv:2502.18969), which found that most scaling-law studies leave out
details that change their conclusions: the form of the law and what its variables count
(which N, which FLOPs, which tokens), how the loss was taken, which runs were fitted or left
out, the fitting objective, optimiser and initialisation, how uncertainty was estimated, how
the fit was validated, and the code that did it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._format import (
    format_aic,
    format_counted,
    format_g,
    format_grouped,
    format_level,
    format_quantity,
)
from scalinglab.data._compare import condition_words
from scalinglab.fit._text import starts_line
from scalinglab.report._card_variables import user_column, variables
from scalinglab.report._reading import data_said
from scalinglab.report._versions import software_versions

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult
    from scalinglab.laws import Law

__all__ = [
    "SURVEY",
    "CardGroup",
    "CardItem",
    "reproducibility_card",
    "software_versions",
]

#: The survey whose checklist the card follows.
SURVEY = (
    "Li, Kudugunta & Zettlemoyer 2025, “(Mis)Fitting: A Survey of Scaling Laws” (arXiv:2502.18969)"
)
OPTIMIZER = (
    "damped Newton with exact Hessians (saddle-free, Levenberg–Marquardt damping), bounds by "
    "projection"
)
_SOLVERS = {
    "numpy": "every start and every bootstrap resample solved together in one batch (NumPy)",
    **{
        f"compiled-{build}": f"one start at a time in scalinglab's compiled solver ({label} "
        "build), the starts split over threads"
        for build, label in (
            ("avx512", "AVX-512"),
            ("avx2", "AVX2"),
            ("neon", "ARM64 NEON"),
            ("portable", "portable"),
        )
    },
}


@dataclass(frozen=True)
class CardItem:
    """One line of the card: what is reported, its value (plain text), and the section of
    the page (its id) that says it in full, when the card only counts (``""``: none)."""

    label: str
    value: str
    link: str = ""


@dataclass(frozen=True)
class CardGroup:
    """Items under one heading of the checklist."""

    title: str
    items: tuple[CardItem, ...]


def reproducibility_card(
    result: FitResult,
    runs: RunTable,
    *,
    command: str,
    validation: Sequence[str] = (),
    y: str = "loss",
    notes: Sequence[str] = (),
    stated: Mapping[str, str] | None = None,
) -> tuple[CardGroup, ...]:
    """The card for a fit.

    Args:
        result: The fit.
        runs: The runs it was fitted to.
        command: The exact command (or Python call) that made the report.
        validation: One line per validation shown in the report (backtests, isoFLOP
            analyses); empty when none was run.
        y: The column holding the loss.
        notes: Lines on how the law came to be fitted (``--law auto``'s choice), listed
            first under the fit's notes.
        stated: Items by label whose value the caller states instead of the one derived
            from ``result``: a fit made otherwise than :func:`scalinglab.fit` (a downstream
            chain's loss law) says how it chose its starts and drew its resamples.

    Returns:
        The card's groups, in the order the report shows them.
    """
    groups = _card(result, runs, command=command, validation=validation, y=y, notes=notes)
    said = dict(stated or {})
    return tuple(
        CardGroup(g.title, tuple(replace(i, value=said.get(i.label, i.value)) for i in g.items))
        for g in groups
    )


def _card(
    result: FitResult,
    runs: RunTable,
    *,
    command: str,
    validation: Sequence[str],
    y: str,
    notes: Sequence[str],
) -> tuple[CardGroup, ...]:
    law = result.law
    c = result.conventions
    return (
        CardGroup(
            "Scaling law",
            (
                CardItem("form", f"{result.law_spec}: {law.formula}"),
                CardItem("source of the form", law.citation or "user formula"),
                CardItem("variables", variables(result, runs)),
                CardItem("coefs", _coefs(law)),  # as the fit table and result.coefs name them
            ),
        ),
        CardGroup(
            "Conventions and data",
            (
                CardItem("which N (parameters)", c.params),
                CardItem("which FLOPs", c.flops),
                CardItem("which loss", _which_loss(c.loss, user_column(runs, y))),
                CardItem("which tokens", c.tokens),
                CardItem("data", _data(result, runs)),
                CardItem("range covered", _ranges(result, runs)),
                # each said once, with the data: the card counts them and links there (a
                # run left out while reading, not finished or without a loss, is one)
                _counted("runs left out", len(runs.excluded) + len(runs.skipped), "run", "none"),
                _read(*data_said(runs, listed=result.warnings)),
            ),
        ),
        CardGroup(
            "Fitting",
            (
                CardItem("robust loss", _robust_loss(result)),
                CardItem("objective", _objective(result)),
                CardItem("optimiser", f"{OPTIMIZER}; {_SOLVERS.get(result.solver, result.solver)}"),
                CardItem("start grid", _start_grid(law, result.n_starts)),
                CardItem("convergence", _convergence(result)),
                CardItem(
                    "information criteria",
                    f"AIC {format_aic(result.aic)}, BIC {format_aic(result.bic)}",
                ),
                # said in full once, in "Fitted law": the card counts them and links there
                _counted("warnings", len(result.warnings), "warning", "none", "fit"),
                # the reading notes are on the card above: only what the fit added
                CardItem(
                    "notes",
                    "; ".join([*notes, *(n for n in result.notes if n not in runs.notes)])
                    or "none",
                ),
            ),
        ),
        CardGroup(
            "Uncertainty and validation",
            (
                CardItem("bootstrap", _bootstrap(result)),
                CardItem("prediction intervals", result.interval_note),
                CardItem("validation", "; ".join(validation) or "none in this report"),
            ),
        ),
        CardGroup(
            "Software",
            (
                CardItem("versions", ", ".join(f"{k} {v}" for k, v in software_versions().items())),
                CardItem("command", command),
                CardItem("checklist", SURVEY),
            ),
        ),
    )


def _coefs(law: Law) -> str:
    parts = []
    for p in law.params:
        how = f"fitted as log {p.name}" if p.positive else "fitted directly"
        finite = math.isfinite(p.lower) or math.isfinite(p.upper)
        bounds = f", bounds [{format_g(p.lower)}, {format_g(p.upper)}]" if finite else ""
        parts.append(f"{p.name} ({p.description or 'no description'}; {how}{bounds})")
    return "; ".join(parts)


def _which_loss(convention: str, column: str) -> str:
    """The loss's convention and its column, named once (a fit's convention names it)."""
    named = f"(column {column!r})"
    return convention if named in convention else f"{convention} {named}"


def _data(result: FitResult, runs: RunTable) -> str:
    kind = "SIMULATED runs, not real training" if result.simulated else "runs as read"
    if result.where is None:  # a file from before fits recorded --where: maybe a selection
        kept = "; --where not recorded (a fit file from before it was saved)"
    else:
        said = (condition_words(k, v) for k, v in result.where.items())
        named = result.source.partition(" where ")[2]  # describe_source names them: once
        kept = "".join(f"; kept where {w}" for w in said if w not in named)
    return f"{result.source}{kept}; {kind}; {len(runs)} runs fitted"


def _ranges(result: FitResult, runs: RunTable) -> str:
    parts = []
    for symbol, column in result.columns.items():
        v = np.asarray(runs[column], dtype=np.float64)
        lo, hi = format_quantity(float(v.min()), column), format_quantity(float(v.max()), column)
        parts.append(f"{symbol}: {lo} to {hi}")
    return ", ".join(parts)


def _counted(
    label: str, n: int, noun: str, zero: str, link: str = "data", *, warned: int = 0
) -> CardItem:
    """A card item that counts what a section lists (the data's; ``"fit"``: the fitted
    law's), and links to it; ``warned`` of the ``n`` are warnings, counted apart, as the
    section styles them (``2 notes and 1 warning``)."""
    if not n:
        return CardItem(label, zero)
    where = "with the data" if link == "data" else "with the fitted law"
    counts = [format_counted(n - warned, noun)] if n > warned else []
    counts += [format_counted(warned, "warning")] if warned else []
    return CardItem(label, f"{' and '.join(counts)}, listed {where}", link)


def _read(warned: Sequence[str], noted: Sequence[str]) -> CardItem:
    """The card item counting what the data section says (:func:`data_said`), its warnings
    apart."""
    n = len(warned) + len(noted)
    return _counted("derived or assumed while reading", n, "note", "nothing", warned=len(warned))


def _robust_loss(result: FitResult) -> str:
    name = result.robust_loss
    return name if name == "squared" else f"{name} (δ = {format_g(result.delta)})"


def _objective(result: FitResult) -> str:
    residual = "log(law) − log(loss)" if result.space == "log" else "law − loss"
    best = f"best value {format_g(result.objective)}"
    return f"sum over runs of the robust loss of the residual {residual}; {best}"


def _start_grid(law: Law, n_starts: int) -> str:
    axes, product = [], 1
    for p in law.params:
        if p.grid:
            name = f"log {p.name}" if p.positive else p.name
            axes.append(f"{name} ∈ {{{', '.join(format_g(g) for g in p.grid)}}}")
            product *= len(p.grid)
        else:
            axes.append(f"{p.name} from the data")
    default = f"the law's grid: {'; '.join(axes)}"
    if product not in (n_starts, n_starts - 1):  # the grid may carry the data's guess too
        default = f"starts given by the caller (the law's own grid: {'; '.join(axes)})"
    return f"{format_grouped(n_starts)} starts, {default}"


def _convergence(result: FitResult) -> str:
    text = (
        f"{result.message}; {starts_line(result)}, {format_grouped(result.n_converged)} converged"
    )
    at = ", ".join(result.at_bound)
    return text + (f"; at a bound: {at}" if at else "; no parameter at a bound")


def _bootstrap(result: FitResult) -> str:
    if not result.n_bootstrap:
        return "none: no intervals"
    kept = 0 if result.samples is None else len(result.samples)
    return (
        f"{format_grouped(result.n_bootstrap)} resamples of the runs with replacement ({format_grouped(kept)} kept), each "
        f"refitted from several starts; {format_level(result.level)} percentile intervals; seed {result.seed}"
    )
