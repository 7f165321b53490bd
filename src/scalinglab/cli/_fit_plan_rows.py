"""``fit``'s plan table: compute-optimal allocations at budgets, or why there are none."""

from __future__ import annotations

from typing import Any

from scalinglab._errors import ScalingLabError

__all__ = ["plan_rows"]


def plan_rows(result: Any, budgets: tuple[float, ...], *, asked: bool) -> tuple[list[Any], str]:
    """Compute-optimal allocations for the plan table, or none (with why) where not possible.

    A law of compute alone, L(C), gives the loss at each budget with its interval (as
    ``plan --compute`` does) when ``--compute`` was given (``asked``); a law of neither
    says why ``--compute`` has nothing to plan. Runs that leave N and D unidentified
    withhold it (:attr:`~scalinglab.FitResult.plan_withheld`, as planning refuses it), a
    fit that did not converge too."""
    if result.plan_withheld:  # from the runs: said whether or not the solver converged
        return [], result.plan_withheld
    if not result.ok:
        return [], ""
    try:
        from scalinglab.fit._withheld import params_tokens
        from scalinglab.plan import optimal_allocation
        from scalinglab.plan._source import compute_symbol
    except ImportError:  # the planning package is optional in a partial install
        return [], "plan table skipped: scalinglab.plan is not available"
    # by the columns the law reads, not its symbols: P and T reading params and tokens plan
    if params_tokens(result.law) is None:
        if not asked:
            return [], ""
        if compute_symbol(result.law) is None:
            return [], (
                f"--compute ignored: law {result.law_spec} has neither N and D nor compute C "
                "alone, so it gives no allocation or loss at a budget; fit a law of N and D "
                "(chinchilla) or of C (power-law:flops)"
            )
    try:
        return [optimal_allocation(result, flops=b) for b in budgets], ""
    except ScalingLabError as err:
        return [], f"plan table skipped: {err.message}"
