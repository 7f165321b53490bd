"""Planning: FLOP and parameter counts, compute-optimal allocation, compute for a target loss.

::

    from scalinglab.plan import optimal_allocation, compute_for_loss, transformer_flops

    optimal_allocation("hoffmann2022", flops=5.76e23)      # N*, D* under C = 6·N·D
    compute_for_loss(fit_result, target_loss=2.0)          # least C reaching the loss, intervals
    transformer_flops(d_model=768, n_layers=12, n_heads=12, vocab_size=50257, seq_len=1024)
"""

from scalinglab._not_callable import say_what_to_call
from scalinglab.plan._allocation import Allocation, Estimate, optimal_allocation
from scalinglab.plan._compute import compute_for_loss
from scalinglab.plan._flops import (
    flops_6nd,
    kaplan_flops_per_token,
    transformer_flops,
    transformer_params,
)
from scalinglab.plan._frontier import frontier
from scalinglab.plan._frontier_result import Frontier
from scalinglab.plan._result import AllocationSpan
from scalinglab.plan._source import FitLike

say_what_to_call(
    __name__,
    "scalinglab.optimal_allocation(fit, flops=1e22) for N*, D* at a budget (plan --compute), "
    "scalinglab.compute_for_loss(fit, target_loss=2.0) for a loss (plan --target-loss), or "
    "scalinglab.plan.frontier(fit, budgets=[1e21, 1e22]) for several budgets",
)

__all__ = [
    "Allocation",
    "AllocationSpan",
    "Estimate",
    "FitLike",
    "Frontier",
    "compute_for_loss",
    "flops_6nd",
    "frontier",
    "kaplan_flops_per_token",
    "optimal_allocation",
    "transformer_flops",
    "transformer_params",
]
