"""Structural identifiability: parameters the runs cannot fix, said without a bootstrap.

A law fitted to runs that vary too little is an exact valley: Chinchilla's
``E + A·N^-α + B·D^-β`` on two model sizes sees ``E``, ``A`` and ``α`` only through the two
numbers ``E + A·N_i^-α``, so a line of optima fits equally well and the solver's point on
it (and every extrapolation) depends on where it started and on the CPU build. Three
checks find this from the fit's optimum and its runs alone, deterministically:

- distinct values (design): in ``E + Σ coef·X^-expo`` the runs fix each term only through
  the differences between its variable's distinct values (``E`` takes the rest), so a
  variable of ``n`` distinct values fixes at most ``n - 1`` parameters of its terms; an
  exponent shared between variables (the over-training law's ``A/N^α + B/D^α``) pools
  their differences. Fewer differences than parameters: not identified, whatever the
  noise (without ``E``, one more number, the overall level, is shared by all terms);
- collinear variables (design): runs whose variables lie on one power curve (one token
  count per size at a fixed tokens per parameter, or one compute budget) cannot tell a
  term in ``N`` from a term in ``D``: swapping them fits as well, so the allocation
  between them is arbitrary — a discrete ambiguity no derivative shows
  (:mod:`scalinglab.fit._collinear`);
- rank (numerical, every law): a direction of the parameters along which no prediction
  moves, found as a singular value of the Jacobian of the log predictions at the runs
  (:func:`~scalinglab.fit._delta.scaled_jacobian`: the solver's centred coordinates, each
  column scaled to unit norm, as the delta method forms it) below :data:`RANK_RTOL` of the
  largest. The Jacobian is unweighted: Huber's weights vanish outside ``δ`` and would
  make any fit look singular.

A line of the rank check whose parameters a design line already names is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._format import format_g, format_quantity
from scalinglab._format import join_and as _and
from scalinglab.fit._collinear import collinear as _collinear
from scalinglab.fit._collinear import distinct_rows as _distinct_rows
from scalinglab.fit._delta import scaled_jacobian
from scalinglab.fit._objective import Array
from scalinglab.fit._terms import power_sum, power_terms
from scalinglab.laws import Law
from scalinglab.laws._base import DEFAULT_COLUMNS

__all__ = [
    "NULL_SHARE",
    "RANK_RTOL",
    "another",
    "distinct_values",
    "structural",
    "term_variables",
    "unidentified_by_design",
    "variable_like",
]

#: Singular values of the scaled Jacobian below this fraction of the largest are zero:
#: √ε of float64 (1.5e-8). The optimum is located only to ~√ε (the objective is flat to
#: second order there), so a direction flatter than that is not seen in the data at all.
#: Measured 2026-12-02 (benchmarks/identified.py): structurally singular fits of the real
#: sets give 6e-17 to 2e-15, their sound fits (Chinchilla, over-training, Kaplan and power
#: laws) 4.6e-5 or more.
RANK_RTOL = math.sqrt(float(np.finfo(np.float64).eps))
#: A parameter is named when its share of the undetermined directions (norm of its row in
#: their orthonormal basis, in the scaled coordinates) is at least this.
NULL_SHARE = 0.01
#: Magnitudes of a parameter whose zero column is the formula's, not a collapse.
_USUAL = (1e-100, 1e100)
#: Single capital letters that name variables in scaling-law papers (params, data, compute,
#: tokens, steps, unique tokens, ...): as a formula's parameter, likely a slip.
_VARIABLE_LETTERS = frozenset("CDLMNPRSTU")


def structural(
    law: Law,
    coefs: Mapping[str, float],
    data: Mapping[str, Any],
    *,
    columns: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per structurally unidentified part of the fit (empty when there is none).

    Args:
        law: The law fitted.
        coefs: Its best-fit values in natural units.
        data: Variable symbol -> the fitted runs' values.
        columns: Variable symbol -> run-table column (for the messages; default the symbol).
    """
    names = dict(columns or {})
    design = unidentified_by_design(law, data, names)
    out = [line for line, _ in design]
    named = {p for _, params in design for p in params}
    null, dead = _null_parameters(law, coefs, data)
    out += [
        f"{p} has no effect on the loss at these runs (its column of the Jacobian is 0): "
        "its value and interval are where the search started, not what the data say — drop "
        "it from the formula"
        for p in dead
    ]
    if null and not set(null[0]) <= named:
        params, ratio = null
        out.append(
            f"{_and(params)} are not identified separately: along a combination of them no "
            f"prediction at these runs changes (the Jacobian's smallest singular value is "
            f"{format_g(ratio, 2)} of its largest, under {format_g(RANK_RTOL, 2)}), so the fit is one point "
            "of a valley of equal fits — fix one of them (a number in a formula) or add "
            "runs that vary what they depend on"
        )
    return out


def unidentified_by_design(
    law: Law, data: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """What the runs' design alone leaves unidentified, whatever the fit: (line, parameters)."""
    return distinct_values(law, data, names or {}) + _collinear(law, data, names or {})


def distinct_values(
    law: Law, data: Mapping[str, Any], names: Mapping[str, str]
) -> list[tuple[str, tuple[str, ...]]]:
    """(line, parameters) per group of terms whose variables take too few distinct values."""
    try:
        form = power_sum(law)
    except (AttributeError, NotImplementedError):  # as roles(): a law without an expression
        return []
    if form is None or any(v not in data for v in form.variables):
        return []
    params = law.param_names
    values = {v: _distinct(data[v]) for v in set(form.variables)}
    # variables linked by a shared exponent pool their differences: group them
    groups: list[tuple[set[str], list[str]]] = []  # (variables, parameters of their terms)
    for coef, expo, var in zip(form.coefs, form.expos, form.variables, strict=True):
        linked = [g for g in groups if var in g[0] or params[expo] in g[1]]
        merged: tuple[set[str], list[str]] = ({var}, [params[coef], params[expo]])
        for g in linked:
            groups.remove(g)
            merged = (merged[0] | g[0], g[1] + merged[1])
        groups.append(merged)
    constant = params[form.constant] if form.constant >= 0 else ""
    out: list[tuple[str, tuple[str, ...]]] = []
    if not constant:  # the level is one more number, shared by every term
        need = sum(len(set(g[1])) for g in groups)
        have = 1 + sum(len(values[v]) - 1 for v in values)
        if have < need:
            line = _too_few(law, _ordered(law, values), values, names, need, have, "")
            return [(line, params)]
        return []
    for variables, members in groups:
        ordered = tuple(dict.fromkeys(p for p in params if p in members))
        need = len(ordered)
        have = sum(len(values[v]) - 1 for v in variables)
        if have < need:
            line = _too_few(law, _ordered(law, variables), values, names, need, have, constant)
            out.append((line, (*ordered, constant)))
    return out


def _too_few(
    law: Law,
    variables: Sequence[str],
    values: Mapping[str, Array],
    names: Mapping[str, str],
    need: int,
    have: int,
    constant: str,
) -> str:
    terms = [(c, e) for c, v, e in power_terms(law.expression()) if v in variables]
    params = [p for p in law.param_names if any(p in term for term in terms)]
    who = params + ([constant] if constant else [])
    what = f"the law's {_and(list(variables))} term{'s' if len(terms) > 1 else ''}"
    if len(variables) == 1:
        (v,) = variables
        takes = f"{names.get(v, v)} takes {len(values[v])} distinct values ({_listed(values[v], names.get(v, v))})"
        needs = f"need at least {need + (1 if constant else 0)}"
    else:
        takes = " and ".join(
            f"{names.get(v, v)} {len(values[v])} ({_listed(values[v], names.get(v, v))})"
            for v in variables
        )
        takes = f"the runs take {takes} distinct values"
        needs = f"need {need} differences between them ({have} here)"
    with_e = f" and {constant}" if constant else ""
    more = " or ".join(another(names.get(v, v)) for v in variables)
    others = [names.get(s, s) for s in law.variables if s not in variables]
    alt = f", or fit a law of {_and(others)} only" if others else ""
    return (
        f"{takes}, but {what} ({', '.join(params)}){with_e} {needs}: {_and(who)} are not "
        f"identified separately, and extrapolations from them are arbitrary — add "
        f"{more}{alt}"
    )


def _null_parameters(
    law: Law, coefs: Mapping[str, float], data: Mapping[str, Any]
) -> tuple[tuple[list[str], float] | None, list[str]]:
    """The parameters moved by the directions no prediction sees, and the smallest
    singular value's ratio to the largest (``None`` when every direction is seen); and
    the parameters of a usual size that move no prediction at all (``0*foo``)."""
    if any(s not in data for s in law.variables):
        return None, []
    theta = np.array([coefs[n] for n in law.param_names], dtype=np.float64)
    if not np.all(np.isfinite(theta)):
        return None, []
    with np.errstate(all="ignore"):
        Js, _, _ = scaled_jacobian(law, theta, data)
    # a column of zeros is a parameter that moves nothing: a collapsed one (E at 0, a
    # coefficient under 1e-300), which the collapse diagnostics name, or one the formula
    # multiplies by 0, named here; the rank check looks at the rest
    live = np.flatnonzero(np.any(Js != 0, axis=0))
    dead = [
        n
        for j, n in enumerate(law.param_names)
        if len(Js) and j not in live and _USUAL[0] < abs(theta[j]) < _USUAL[1]
    ]
    if len(Js) == 0 or len(live) < 2:
        return None, dead
    # R of J = QR has J's singular values: a k x k SVD, not one with an n x n U
    r: Array = np.asarray(np.linalg.qr(Js[:, live], mode="r"), dtype=np.float64)
    r = np.vstack([r, np.zeros((len(live) - len(r), len(live)))])  # fewer runs: zero rows
    _, s, vt = np.linalg.svd(r)
    null = s < RANK_RTOL * s[0]
    if not null.any():
        return None, dead
    share = np.linalg.norm(vt[null].T, axis=1)
    moved = [law.param_names[live[j]] for j in np.flatnonzero(share >= NULL_SHARE)]
    return (moved, float(s[-1] / s[0])), dead


def variable_like(law: Law, columns: Mapping[str, str], has: Callable[[str], bool]) -> list[str]:
    """A note for each parameter of a formula named like a variable (``T``, ``C``) that the
    runs do not give it: likely a slip for one they do. ``columns``: the law's variables
    -> their columns; ``has``: whether the runs have a column (``params``, ...)."""
    given = {**{s: c for s, c in DEFAULT_COLUMNS.items() if has(c)}, **columns}
    have = ", ".join(f"{v} ({c})" for v, c in given.items())
    return [
        f"{p} in the formula is a parameter, fitted as a number: the runs give {have}; if "
        f"{p} meant one of them, write its symbol"
        for p in law.param_names
        if len(p) == 1 and p in _VARIABLE_LETTERS and p not in given
    ]


def _ordered(law: Law, variables: Iterable[str]) -> list[str]:
    return [v for v in law.variables if v in set(variables)]


def term_variables(law: Law, params: Iterable[str]) -> set[str]:
    """The variables of ``law``'s terms whose coefficient or exponent is among ``params``
    (those an unidentified-by-design line names): what more values of would identify them."""
    named = set(params)
    return {v for c, v, e in power_terms(law.expression()) if c in named or e in named}


def another(column: str) -> str:
    """What one more value of ``column`` is called in a hint: ``a model size``."""
    more = {"params": "a model size", "tokens": "a token count", "flops": "a compute budget"}
    return more.get(column, f"runs at another {column}")


def _distinct(values: Any) -> Array:
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    return _distinct_rows(x[np.isfinite(x)][:, None])[:, 0]


def _listed(values: Array, column: str, most: int = 4) -> str:
    """The values in the column's units (``10.6M`` for params and tokens), the ends only
    beyond ``most``."""
    shown = [format_quantity(float(v), column) for v in values]
    return f"{shown[0]} to {shown[-1]}" if len(shown) > most else ", ".join(shown)
