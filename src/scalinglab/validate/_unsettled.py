"""``--law auto``: whether the laws the runs could not tell apart agree on the allocation.

::

    result = fit("auto", runs)     # overtraining chosen; chinchilla 6% behind it by backtest
    result.warnings                # ("law auto: chinchilla backtests within 7% of ...",)

A backtest scores how well a law predicts the loss of larger runs, and two laws can predict it
equally well and still split a budget differently: on 30 runs drawn from Chinchilla's law
(exponents 0.34 and 0.28, 0.5% noise) the over-training law (one exponent) backtests 6% better
and puts N* at 1e24 FLOPs at 85.8B [81.4B, 90.8B], Chinchilla's law fitted to the same runs at
54.6B, the law they were drawn from at 40.4B. The chosen law's interval holds the noise of its
own fit, not the doubt over which law, so its plan looks settled where the runs do not settle it.

So after the chosen law is fitted, every other candidate it does not backtest clearly better
than (:meth:`LawChoice.better_than`, the fit hint's rule: a score under
:data:`~scalinglab.validate._law_choice.CLEARLY_BETTER` of the other's, so within 1.33x of it;
the tie rule's 5% would miss the case above, 6% apart, and another factor would be a second
notion of "clearly better" beside the hint's) is fitted to the same runs (point fit, no
bootstrap), and the two allocations are compared at the largest default plan budget
(:func:`budgets_for`). Where the two N* lie more than :data:`APART` times apart and further
apart than the chosen law's interval is wide (its upper end over its lower; a split within
that width is one the chosen law's own noise makes), the fit warns, naming both laws and both
allocations. The floor: on the 238 Chinchilla points without their diverged runs the
over-training law is chosen and Chinchilla's law puts N* 1.09x from it (91.4B, 20 tokens per
parameter, against 83.5B, 23.9), wider than that fit's interval (1.07x) but the same plan. At
a fixed budget N* fixes D* and tokens per parameter, so N* alone is compared. Laws without an
allocation (of one variable, or of compute alone) are not compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from scalinglab._defaults import MAX_ITER
from scalinglab._errors import ScalingLabError
from scalinglab._format import format_count, format_flops, format_g, format_level
from scalinglab.data import RunTable
from scalinglab.fit._result import FitResult
from scalinglab.laws import Law, get_law
from scalinglab.plan._allocation import optimal_allocation
from scalinglab.plan._budgets import budgets_for
from scalinglab.plan._result import Allocation
from scalinglab.validate._law_choice import LawChoice

__all__ = ["APART", "PYTHON", "check_allocation", "disagreement", "rivals"]

#: How the warning says to fit a rival law in Python (``{law}``: its name, quoted).
PYTHON = "fit({law}, runs)"
#: N* of two laws at most this many times apart agree, whatever the interval: the tokens per
#: parameter then differ by under 1.56x (the 91.4B and 83.5B above: 20 and 23.9), and a
#: bootstrap interval at 90% on a few dozen runs spans 1.05-1.15x (81.4B-90.8B above).
APART = 1.25


def rivals(choice: LawChoice) -> tuple[str, ...]:
    """The candidates other than the chosen law that it does not backtest clearly better
    than (:meth:`LawChoice.better_than`), lowest score first."""
    others = [
        k
        for k, v in choice.scores.items()
        if k != choice.chosen and math.isfinite(v) and choice.better_than(k) is None
    ]
    return tuple(sorted(others, key=lambda k: choice.scores[k]))


def check_allocation(
    result: FitResult,
    choice: LawChoice,
    table: RunTable,
    *,
    x: Mapping[str, str] | None = None,
    max_iter: int = MAX_ITER,
    threads: int | None = None,
    deltas: Mapping[str, float] | None = None,
    python: str = PYTHON,
) -> FitResult:
    """``result``, the fit of the law ``choice`` chose, with a warning for each rival law
    (:func:`rivals`) whose compute-optimal N* at the largest default budget disagrees with
    it (:func:`disagreement`).

    Args:
        result: The fit of ``choice.chosen`` to ``table``.
        choice: What ``--law auto`` compared and chose.
        table: The runs fitted.
        x: Law symbol -> column, as the fit read them.
        max_iter: Most solver iterations per start of each rival's fit.
        threads: Threads for the compiled solver.
        deltas: Each rival's Huber delta, where each law is fitted at its own (a downstream
            chain's loss law: :func:`~scalinglab.downstream._loss_link.chain_delta`);
            default ``result``'s for every rival.
        python: How the warning says to fit a rival in Python (:data:`PYTHON`).

    Returns:
        ``result``, with the warnings added where a rival disagrees.
    """
    if not (result.ok and _allocates(result.law)):  # a fit that failed warns of that already
        return result
    flops = budgets_for((), table).values[-1]
    try:
        mine = optimal_allocation(result, flops=flops)
    except ScalingLabError:  # no finite optimum: nothing to compare
        return result
    if not _interior(mine):
        return result
    lines = []
    for rival in rivals(choice):
        delta = result.delta if deltas is None else deltas.get(rival, result.delta)
        theirs = _rival_allocation(
            get_law(rival, columns=x), result, table, flops=flops, x=x, max_iter=max_iter,
            threads=threads, delta=delta,
        )  # fmt: skip
        line = None if theirs is None else disagreement(choice, rival, mine, theirs, python)
        if line:
            lines.append(line)
    return replace(result, warnings=(*result.warnings, *lines)) if lines else result


def disagreement(
    choice: LawChoice, rival: str, mine: Allocation, theirs: Allocation, python: str = PYTHON
) -> str | None:
    """The warning when ``rival``'s allocation ``theirs`` disagrees with the chosen law's
    ``mine`` (at the same budget): the two N* more than :data:`APART` times apart, and
    further apart than ``mine``'s interval is wide (its upper end over its lower) where it
    has one; ``None`` when they agree. ``python`` (:data:`PYTHON`) says how to fit the
    rival in Python."""
    n, other = mine.params, theirs.params.value
    banded = math.isfinite(n.lower) and math.isfinite(n.upper) and n.lower > 0
    ratio = max(n.value, other) / min(n.value, other)
    if ratio <= max(APART, n.upper / n.lower if banded else APART):
        return None
    chosen = choice.chosen
    ours, yours = choice.scores[chosen], choice.scores[rival]
    behind = (
        f"within {math.ceil(100 * (yours - ours) / ours - 1e-9)}% of"
        if yours >= ours
        else f"{(ours - yours) / ours:.0%} better than"  # a tie given to fewer parameters
    )
    apart = f"{ratio:.2f}x apart, " + (
        f"wider than {chosen}'s {format_level(mine.level)} interval "
        f"[{format_count(n.lower)}, {format_count(n.upper)}] ({n.upper / n.lower:.2f}x)"
        if banded
        else f"over {APART:g}x (the fit has no bootstrap, so no interval)"
    )
    return (
        f"law auto: {rival} backtests {behind} {chosen} ({yours:.2%} vs {ours:.2%}) but puts "
        f"N* at {format_flops(mine.flops.value)} FLOPs at {_split(theirs)} against "
        f"{_split(mine)}, {apart}: the runs do not settle the allocation; plan with each law "
        f"(--law {rival}, --law {chosen}; {python.format(law=repr(rival))} in Python) and "
        "compare"
    )


def _rival_allocation(
    law: Law,
    result: FitResult,
    table: RunTable,
    *,
    flops: float,
    x: Mapping[str, str] | None,
    max_iter: int,
    threads: int | None,
    delta: float,
) -> Allocation | None:
    """``law``'s point fit to the runs ``result`` was fitted to, as it was fitted (robust
    loss, space, seed, conventions) but at Huber's ``delta``, and its allocation at
    ``flops``; ``None`` where it has none, or its fit failed."""
    from scalinglab.fit._fit import fit  # fit imports this module when it chooses

    if not _allocates(law):
        return None
    try:
        fitted = fit(
            law, table, robust_loss=result.robust_loss, delta=delta, space=result.space,
            x=x, y=result.y or "loss", bootstrap=0, seed=result.seed, max_iter=max_iter,
            threads=threads, conventions=result.conventions, extrapolation=False,
            compare=False,  # a point fit for its allocation: no law comparison of its own
        )  # fmt: skip
        if not fitted.ok:
            return None
        found = optimal_allocation(fitted, flops=flops)
    except ScalingLabError:
        return None
    return found if _interior(found) else None


def _interior(a: Allocation) -> bool:
    """Whether ``a``'s optimum is inside the search: one at its edge (N or D of 1) is no
    split to set against another."""
    return min(a.params.value, a.tokens.value) > 1.5


def _allocates(law: Law) -> bool:
    """Whether ``law`` has a compute-optimal allocation: a law of params and tokens."""
    return sorted(law.variables.values()) == ["params", "tokens"]


def _split(a: Allocation) -> str:
    """N* and tokens per parameter, as the plan table writes them (``85.8B (22.6
    tokens/param)``)."""
    r = a.tokens_per_param.value
    shown = f"{r:.0f}" if r >= 100 else format_g(r, 3)
    return f"{format_count(a.params.value)} ({shown} tokens/param)"
