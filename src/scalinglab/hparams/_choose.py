"""Law choice by backtest on the training cells: which lr* and B* forms predict a held-out size.

::

    choice = choose_hparam_laws(cells, columns)     # leave-one-size-out over the cells' N
    choice.lr_law, choice.batch_law, choice.reason

Every candidate pair of forms (lr*: Step Law's ``A·N^alpha·D^beta``, the compute form
``A·C^alpha``; B*: Step Law's ``B·D^gamma``, ``B·N^delta·D^gamma``, the compute form
``B·C^gamma``; ``C`` the cells' FLOPs, ``6·N·D`` unless the sweep says otherwise) is fitted
to the cells of all model sizes but one, exactly as the full fit is (same weighting and loss,
no bootstrap), and predicts the held-out size's cells; the score is the median, over every
cell held out in turn, of the loss regret on that cell's surface (the regret
``backtest_hparams`` reports). A prediction beyond the held-out cell's window (4x from its
surface's centre in lr or batch) scores as infinite regret: the surface says nothing there.
The pair with the lowest score wins; pairs within :data:`TIE_RTOL` of it tie, and the tie
goes to the fewest coefficients, then to the candidates' order (Step Law's forms first), so
Step Law's form is kept unless the data say otherwise. With fewer than :data:`MIN_SIZES`
model sizes no size can be held out with two left to fit on: Step Law's forms, and a reason
that says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, FormulaError, ScalingLabError, did_you_mean
from scalinglab.hparams._choice import TIE_RTOL, HparamLawChoice, choice_said, label
from scalinglab.hparams._laws import LAW_FORMS
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._pair import fit_pair
from scalinglab.hparams._regret import surface_regret
from scalinglab.laws import FormulaLaw, get_law

__all__ = [
    "AUTO",
    "BATCH_CANDIDATES",
    "LR_CANDIDATES",
    "MIN_SIZES",
    "TIE_RTOL",
    "HparamLawChoice",
    "choose_hparam_laws",
    "pick_laws",
    "resolve",
]

Array = NDArray[np.float64]

#: The value of ``law``, ``lr_law`` or ``batch_law`` that asks for a choice.
AUTO = "auto"
#: lr* forms tried, Step Law's first (Li et al. 2025; DeepSeek-AI 2024's compute form).
LR_CANDIDATES = ("A * N**alpha * D**beta", "A * C**alpha")
#: B* forms tried, Step Law's first; then with an N term; then DeepSeek-AI 2024's.
BATCH_CANDIDATES = ("B * D**gamma", "B * N**delta * D**gamma", "B * C**gamma")
#: Model sizes needed: one held out, at least two left to fit an N exponent on.
MIN_SIZES = 3


def choose_hparam_laws(
    cells: Sequence[CellOptimum],
    columns: Mapping[str, Array],
    *,
    lr_laws: Sequence[str] = LR_CANDIDATES,
    batch_laws: Sequence[str] | None = BATCH_CANDIDATES,
    weighting: str = "regret",
    **common: Any,
) -> HparamLawChoice:
    """Choose the lr* and B* forms by leave-one-size-out regret on these cells.

    Args:
        cells: The located optima the laws will be fitted to (bracketed ones, usually).
        columns: ``params``, ``tokens`` (and ``flops``; default ``6·N·D``) per cell.
        lr_laws: lr* candidates (one formula: the lr* law is fixed and only B* is chosen).
        batch_laws: B* candidates, or ``None`` when only lr was swept.
        weighting: As :func:`scalinglab.hparams.fit_hparams`.
        **common: ``robust_loss``, ``delta``, ``level``, ``source`` of the law fits.
    """
    pairs: list[tuple[str, str | None]] = [
        (lr, b) for lr in lr_laws for b in (batch_laws if batch_laws is not None else (None,))
    ]
    sizes_of = [len(get_law(lr).params) + (len(get_law(b).params) if b else 0) for lr, b in pairs]
    if "params" not in columns or "tokens" not in columns:
        return _no_choice(pairs, sizes_of, "the cells have no params and tokens to hold out by")
    n = np.asarray(columns["params"], dtype=np.float64)
    sizes = np.unique(n)
    if len(sizes) < MIN_SIZES:
        return _no_choice(
            pairs,
            sizes_of,
            f"{len(sizes)} model size{'s' if len(sizes) != 1 else ''} among the fitted cells: "
            f"a leave-one-size-out choice needs {MIN_SIZES}",
        )
    cols = {k: np.asarray(v, dtype=np.float64) for k, v in columns.items()}
    cols.setdefault("flops", 6.0 * cols["params"] * cols["tokens"])
    scores = [_score(lr, b, cells, cols, sizes, weighting, common) for lr, b in pairs]
    ok = [s for s in scores if not math.isnan(s)]
    if not ok:
        return _no_choice(pairs, sizes_of, "no candidate could be fitted with a size held out")
    best = min(ok)
    tied = [j for j, s in enumerate(scores) if s <= best * (1 + TIE_RTOL)]
    pick = min(tied, key=lambda j: (sizes_of[j], j))
    lr_pick, b_pick = pairs[pick]
    reason, verdict = choice_said(
        pairs, sizes_of, scores, pairs[pick], n_sizes=len(sizes), n_cells=len(cells)
    )
    return HparamLawChoice(
        lr_law=lr_pick,
        batch_law=b_pick,
        candidates=tuple(pairs),
        n_coefs=tuple(sizes_of),
        median_regret=tuple(scores),
        sizes=tuple(float(s) for s in sizes),
        n_scored=len(cells),
        reason=reason,
        verdict=verdict,
    )


def _score(
    lr_formula: str,
    b_formula: str | None,
    cells: Sequence[CellOptimum],
    cols: Mapping[str, Array],
    sizes: Array,
    weighting: str,
    common: Mapping[str, Any],
) -> float:
    """Median regret over every cell, each predicted by the pair fitted without its size."""
    regrets: list[float] = []
    lr_form = get_law(lr_formula)
    b_form = get_law(b_formula) if b_formula else None
    for size in sizes:
        held = cols["params"] == size
        train = [c for c, h in zip(cells, held, strict=True) if not h]
        try:
            lr_law, b_law = fit_pair(
                lr_formula,
                b_formula,
                {k: v[~held] for k, v in cols.items()},
                train,
                weighting=weighting,
                **common,
            )
        except ScalingLabError:  # too few cells without this size for the form
            return math.nan
        at = {k: v[held] for k, v in cols.items()}
        lr = np.ravel(lr_form.evaluate(dict(lr_law.coefs), at))
        if b_form is not None and b_law is not None:
            batch = np.ravel(b_form.evaluate(dict(b_law.coefs), at))
        else:
            batch = np.full(len(lr), math.nan)
        for cell, lr_p, b_p in zip(
            (c for c, h in zip(cells, held, strict=True) if h), lr, batch, strict=True
        ):
            b = float(b_p) if math.isfinite(b_p) else cell.batch
            if not (math.isfinite(lr_p) and lr_p > 0 and (not cell.two_d or b > 0)):
                regrets.append(math.inf)
                continue
            regret, far = surface_regret(cell, float(lr_p), b)
            regrets.append(math.inf if far else regret)
    return float(np.median(regrets))


def _no_choice(
    pairs: Sequence[tuple[str, str | None]], sizes_of: Sequence[int], why: str
) -> HparamLawChoice:
    lr, b = pairs[0]
    reason = f"no choice of law: {why}; kept {label(lr, b)}"
    return HparamLawChoice(
        lr_law=lr,
        batch_law=b,
        candidates=tuple(pairs),
        n_coefs=tuple(sizes_of),
        median_regret=(),
        sizes=(),
        n_scored=0,
        reason=reason,
        verdict=reason,
    )


def resolve(
    law: str, lr_law: str | None, batch_law: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lr* and B* candidates that ``law``, ``lr_law`` and ``batch_law`` ask for: one
    formula each when named (a formula always wins), the candidates for ``"auto"``.

    Raises:
        ConfigError: An unknown law name, a formula :func:`get_law` refuses or one that is
            no formula over N, D and C (:func:`_check_formula`).
    """
    if law != AUTO and law not in LAW_FORMS:
        raise ConfigError(
            f"unknown hyperparameter law {law!r}; the laws are {AUTO}, {', '.join(LAW_FORMS)}"
            f"{did_you_mean(law, [AUTO, *LAW_FORMS])}",
            hint="or give formulas with lr_law= and batch_law= (--lr-law, --batch-law)",
        )
    lr_default, b_default = (AUTO, AUTO) if law == AUTO else LAW_FORMS[law]
    lr, b = lr_law or lr_default, batch_law or b_default
    for option, formula in (("lr_law", lr), ("batch_law", b)):
        if formula != AUTO:
            _check_formula(option, formula)
    return (
        LR_CANDIDATES if lr == AUTO else (lr,),
        BATCH_CANDIDATES if b == AUTO else (b,),
    )


def _check_formula(option: str, formula: str) -> None:
    """Refuse a law of lr* or B* that :func:`get_law` refuses, as the fit would read it (one
    parse, the fit's own), or that is a loss law's name: a formula over N, D and C it must
    be, and a cell has no other column (``--x`` maps none here, so its hint is replaced)."""
    hint = (
        f"write {option} over N, D and C (params, tokens, flops), e.g. 'A * N**alpha * "
        "D**beta'; a cell carries no other column"
    )
    try:
        law = get_law(formula)  # 'A*h**alpha': h, lowercase, is a fitted exponent: no variable
    except FormulaError as err:
        raise ConfigError(f"{option}: {err.message}", hint=hint) from None
    if not isinstance(law, FormulaLaw):  # 'chinchilla': a loss law, no formula of lr* or B*
        raise ConfigError(f"{option}={formula!r} names a loss law, not a formula", hint=hint)


def pick_laws(
    lr_laws: Sequence[str],
    batch_laws: Sequence[str],
    cells: Sequence[CellOptimum],
    columns: Mapping[str, Array],
    *,
    two_d: bool,
    weighting: str,
    **common: Any,
) -> tuple[str, str | None, HparamLawChoice | None]:
    """``(lr* formula, B* formula or None, the choice or None when nothing was to choose)``."""
    if len(lr_laws) == 1 and (len(batch_laws) == 1 or not two_d):
        return lr_laws[0], batch_laws[0] if two_d else None, None
    choice = choose_hparam_laws(
        cells,
        columns,
        lr_laws=lr_laws,
        batch_laws=batch_laws if two_d else None,
        weighting=weighting,
        **common,
    )
    return choice.lr_law, choice.batch_law, choice
