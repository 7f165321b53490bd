"""Why no plan may be made from a fit (``FitResult.plan_withheld``), read off its runs.

A law of params and tokens whose runs leave its terms unidentified by design
(:func:`~scalinglab.fit._identified.unidentified_by_design`) fixes the law only along what
the runs vary, so any N*, D* split of a budget is arbitrary. The reason says what the runs
lack, as the fit's warning does: a model size or a token count (too few distinct values),
or several tokens per parameter (every run on one power curve); planning's refusal hints
at that remedy (:func:`withheld_parts`), not at one of them whatever was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._format import join_and as _and
from scalinglab.fit._collinear import collinear
from scalinglab.fit._identified import another, distinct_values, term_variables
from scalinglab.laws import Law

__all__ = [
    "PLAN_WITHHELD",
    "RATIOS",
    "check_reason",
    "params_tokens",
    "planning_pair",
    "withheld_for",
    "withheld_parts",
]

#: Why a plan (a table of N*, D* at budgets, the frontier) is withheld from a fit whose runs
#: leave N and D unidentified: ``fit``, ``report`` and their JSON (``plan_withheld``) say it,
#: followed by what the runs lack (:data:`_TO_PLAN`).
PLAN_WITHHELD = (
    "plan table withheld: the runs do not identify the law's terms separately (see "
    "the fit's warnings), so any N*, D* split of a budget is arbitrary"
)
#: What runs on one power curve (one tokens per parameter) lack.
RATIOS = "fit runs of several tokens per parameter: more than one token count per model size"
#: Between the reason and its remedy; files written before the remedy was recorded lack it.
_TO_PLAN = " — to plan, "


def params_tokens(law: Law) -> tuple[str, str] | None:
    """The symbols of ``law`` that read ``params`` and ``tokens`` (whatever the symbols:
    ``P``, ``T``; whatever else it reads), else ``None``: by the columns, not the names, so
    a formula in ``P`` and ``T`` is drawn and planned as one in ``N`` and ``D``."""
    by_column = {column: symbol for symbol, column in law.variables.items()}
    if "params" in by_column and "tokens" in by_column:
        return by_column["params"], by_column["tokens"]
    return None


def planning_pair(law: Law) -> tuple[str, str] | None:
    """:func:`params_tokens` where those are the law's only two variables, else ``None``:
    the laws planning splits a budget with (:func:`scalinglab.plan._curve.planning_symbols`)."""
    return params_tokens(law) if len(law.variables) == 2 else None


def withheld_for(law: Law, data: Mapping[str, Any], columns: Mapping[str, str]) -> str:
    """:data:`PLAN_WITHHELD` and what the runs lack, where ``law`` is a law of params and
    tokens (:func:`planning_pair`, by the columns its symbols read, not their names) whose
    runs, of variables ``data`` (symbol -> values) read from ``columns``, leave its terms
    unidentified by design; else ``""``. What ``fit`` records as
    ``FitResult.plan_withheld``, whatever its solver did, and what ``report`` reads."""
    if planning_pair(law) is None:
        return ""
    names = dict(columns)
    short = distinct_values(law, data, names)
    remedies = []
    if short:  # the variables of the terms too few values fix, in the law's order
        lacking = term_variables(law, (p for _, group in short for p in group))
        more = [another(law.variables[v]) for v in law.variables if v in lacking]
        remedies.append(f"add {' or '.join(more)}")
    if collinear(law, data, names):
        remedies.append(RATIOS)
    return f"{PLAN_WITHHELD}{_TO_PLAN}{_and(remedies)}" if remedies else ""


def check_reason(reason: object, *, owner: str = "FitResult") -> None:
    """Refuse a ``plan_withheld`` that is neither a reason (a string) nor ``None``: ``True``
    says no reason, and planning, which reads only a string, would plan from the fit.

    Args:
        reason: The value given.
        owner: What holds it, for the message (``"FitResult"``, a fit planned from).

    Raises:
        ConfigError: For anything else (``True``, ``1``, a list).
    """
    if reason is None or isinstance(reason, str):
        return
    raise ConfigError(
        f"{owner}'s plan_withheld must be why no plan may be made from the fit (a string, "
        f"as fit records it) or None where one may, got {reason!r}",
        hint="give the reason in words (plan_withheld='the runs are at one tokens per "
        "parameter'), or None to plan from the fit",
    )


def withheld_parts(reason: str) -> tuple[str, str]:
    """``reason`` (a ``plan_withheld``) as why the plan is withheld and what the runs lack
    (``""`` in files written before it was recorded)."""
    why, _, remedy = reason.partition(_TO_PLAN)
    return why, remedy
