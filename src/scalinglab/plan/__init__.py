"""Planning: FLOP and parameter counts, compute-optimal allocation, compute for a target loss.

::

    from scalinglab.plan import optimal_allocation, compute_for_loss, transformer_flops

    optimal_allocation("hoffmann2022", flops=5.76e23)      # N*, D* under C = 6·N·D
    compute_for_loss(fit_result, target_loss=2.0)          # least C reaching the loss, intervals
    transformer_flops(d_model=768, n_layers=12, n_heads=12, vocab_size=50257, seq_len=1024)
"""

from typing import TYPE_CHECKING

from scalinglab._lazy import lazy_names
from scalinglab._not_callable import say_what_to_call

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scalinglab.plan._allocation import optimal_allocation
    from scalinglab.plan._compute import compute_for_loss
    from scalinglab.plan._flops import (
        flops_6nd,
        kaplan_flops_per_token,
        transformer_flops,
        transformer_params,
    )
    from scalinglab.plan._frontier import frontier
    from scalinglab.plan._frontier_result import Frontier
    from scalinglab.plan._result import Allocation, AllocationSpan, Estimate
    from scalinglab.plan._source import FitLike

# name -> module, imported on first use: `scalinglab fit`'s plan table needs the allocation
# alone, not the inverse (compute for a loss), the frontier or the FLOP counts
_LAZY = {
    "Allocation": "_result",
    "Estimate": "_result",
    "optimal_allocation": "_allocation",
    "compute_for_loss": "_compute",
    "flops_6nd": "_flops",
    "kaplan_flops_per_token": "_flops",
    "transformer_flops": "_flops",
    "transformer_params": "_flops",
    "frontier": "_frontier",
    "Frontier": "_frontier_result",
    "AllocationSpan": "_result",
    "FitLike": "_source",
}

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

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
