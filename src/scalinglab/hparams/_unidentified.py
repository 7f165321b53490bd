"""Laws of the optimum that their cells do not identify: said at the fit, and checked at
each prediction.

A law whose coefficients the cells cannot fix (a redundant coefficient, too few distinct
sizes, N and D moving together under a law of both;
:func:`scalinglab.fit._identified.structural`) is said in the fit's warnings. Its
predictions still agree wherever the cells' undetermined directions move no prediction (a
redundant coefficient everywhere; a law of N and D along the cells' curve), but elsewhere
every fit in its valley of equal fits gives another value, and the solver's is arbitrary: a
loss* law ``K·N^a·D^b`` fitted to a ladder at D = 20·N put the loss at the optimum at 0.006
for N = 400M, D = 40B (the truth: 3.1), with a tight interval. So a prediction checks
whether its own point moves along such a direction (:func:`undetermined_at`): lr* and B*
warn, and no loss at the optimum is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_count
from scalinglab._hparams_numbers import coef
from scalinglab.hparams._beyond import cell_value
from scalinglab.hparams._design import fit_design, off_design
from scalinglab.hparams._laws import OPTIMUM, HparamLaw
from scalinglab.laws import get_law

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = [
    "interval_lines",
    "law_warning",
    "law_warnings",
    "prediction_caveats",
    "undetermined_at",
]

Array = NDArray[np.float64]

#: A prediction moves along an undetermined direction when its log's gradient has more than
#: this share of its norm there: exactly 0 on the cells' design, up to rounding (1e-16 of
#: it); a point 1% off a ladder's curve gives 1e-3 or more.
_MOVES = 1e-6


def law_warnings(*fitted: HparamLaw | None, cols: Mapping[str, Any]) -> list[str]:
    """The structural identifiability warnings of each law (a redundant coefficient, too
    few distinct sizes, N and D moving together), as ``fit`` gives them for a loss law:
    :attr:`HparamFit.warnings <scalinglab.hparams.HparamFit.warnings>`."""
    from scalinglab.fit._identified import structural

    out = []
    for f in (x for x in fitted if x is not None):
        law = get_law(f.formula)
        data = {s: cols[c] for s, c in law.variables.items() if c in cols}
        named = OPTIMUM[f.target]
        out += [f"the {named} law: {line}" for line in structural(law, f.coefs, data)]
    return out


def interval_lines(*fitted: HparamLaw | None) -> tuple[list[str], list[str]]:
    """The warnings and notes of each coefficient's bootstrap interval, by the rule of a
    loss fit's (:func:`scalinglab.fit._spans.identified`), named ``the lr* law's A``: a
    warning where the cells do not identify it (a span of
    :data:`~scalinglab.fit._spans.MAX_DECADES` decades or more at any likely seed, an end
    on a bound), a note where its span is at that edge and the seed would decide. Unlike
    :func:`law_warnings` these are carried by every reading of the fit: the cells' noise,
    not the point read, leaves the coefficient loose. Each interval is written as the laws
    table writes it (:func:`scalinglab._hparams_numbers.coef`)."""
    from scalinglab.fit._spans import identified

    warnings, notes = [], []
    for f in (x for x in fitted if x is not None):
        named = OPTIMUM[f.target]
        drawn = f.samples if f.samples is not None and len(f.samples) >= 2 else None
        for j, p in enumerate(get_law(f.formula).params):
            if p.name not in f.intervals:
                continue
            warning, note = identified(
                f"the {named} law's {p.name}",
                f.intervals[p.name],
                None if drawn is None else drawn[:, j],
                positive=p.positive,
                bounds=(p.lower, p.upper),
                level=f.level,
                form=coef,  # the interval as the laws table writes it: [0.002077, 1.145e9]
            )
            warnings += [warning] if warning else []
            notes += [note] if note else []
    return warnings, notes


def law_warning(line: str) -> bool:
    """Whether ``line`` is one of :func:`law_warnings`' (a prediction says instead whether
    its own value is determined: :func:`prediction_caveats`)."""
    return line.startswith(tuple(f"the {named} law: " for named in OPTIMUM.values()))


def undetermined_at(law: HparamLaw, cols: Mapping[str, Array], point: Mapping[str, float]) -> bool:
    """Whether the law's value at ``point`` (column -> value) moves along a direction of its
    coefficients that no cell's value moves (``cols``: the cells' columns): a value the
    cells do not determine."""
    from scalinglab.fit._delta import log_gradient, scaled_jacobian
    from scalinglab.fit._identified import RANK_RTOL

    form = get_law(law.formula)
    if any(c not in cols or c not in point for c in form.variables.values()):
        return False
    theta = np.array([law.coefs[n] for n in form.param_names], dtype=np.float64)
    if not np.all(np.isfinite(theta)):
        return False
    data = {s: np.asarray(cols[c], dtype=np.float64) for s, c in form.variables.items()}
    at = {s: np.array([float(point[c])]) for s, c in form.variables.items()}
    with np.errstate(all="ignore"):
        js, m, norm = scaled_jacobian(form, theta, data)  # the rank check's coordinates
        g = (log_gradient(form, theta, at) @ m / norm)[0]
    if not len(js) or not np.all(np.isfinite(g)) or not np.any(g):
        return False
    _, s, vt = np.linalg.svd(js, full_matrices=True)  # vt: every direction, k x k
    rank = int(np.sum(s >= RANK_RTOL * s[0])) if s[0] > 0 else 0
    free = vt[rank:]  # the directions no cell's value moves
    return bool(len(free)) and float(np.max(np.abs(free @ g))) > _MOVES * float(np.linalg.norm(g))


def prediction_caveats(fit: HparamFit, where: Mapping[str, float]) -> tuple[tuple[str, ...], bool]:
    """The warnings of a prediction at ``where`` that the cells' design leaves unmeasured
    (:func:`~._design.off_design`) or that a law does not determine, and whether the loss
    at the optimum is undetermined there (then none is given)."""
    out = [off_design(fit_design(fit), where)]
    keys = [fit.cells[i].keys for i in fit.used]
    cols = {
        c: np.array([np.nan if v is None else v for v in (cell_value(fit, k, c) for k in keys)])
        for c in ("params", "tokens", "flops")
    }
    point = ", ".join(
        f"{s} = {format_count(where[c])}"
        for c, s in (("params", "N"), ("tokens", "D"))
        if c in where
    )
    no_loss = False
    for law in (fit.lr_law, fit.batch_law, fit.loss_law):
        if law is None or not undetermined_at(law, cols, where):
            continue
        named = OPTIMUM[law.target]
        why = (
            f"the {named} law {law.formula} is not identified by the fitted cells (its "
            "coefficients are one point of a valley of fits that match them equally), and at "
            f"{point} its value moves along that valley"
        )
        if law.target == "loss":
            no_loss = True
            out.append(f"no loss at the optimum: {why}, so any value there fits them equally")
        else:
            out.append(
                f"{why}: {named} here is one of many values that fit the cells equally, its "
                "interval included — fit a law the cells identify (--law auto, law='auto')"
            )
    return tuple(w for w in out if w), no_loss
