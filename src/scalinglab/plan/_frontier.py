"""The compute-optimal frontier: :func:`~scalinglab.plan.optimal_allocation` at several
budgets, for plots and tables.

::

    frontier(fit, budgets=numpy.geomspace(1e19, 1e25, 13))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab._warn import warn_at_caller
from scalinglab.plan._allocation import optimal_allocation
from scalinglab.plan._result import Allocation
from scalinglab.plan._source import Source, loaded

__all__ = ["frontier"]

#: ``compute=`` and ``budget=``, the command line's words: several budgets are budgets=.
_BUDGETS = "did you mean budgets=? They are the budgets in FLOPs, as `plan --compute` gives them"


@keywords_checked(
    "scalinglab.plan.frontier",
    deprecated=("flops",),
    hints={"compute": _BUDGETS, "budget": _BUDGETS},
)
def frontier(
    source: Source,
    *,
    budgets: Sequence[float] | NDArray[np.float64] | None = None,
    level: float | None = None,
    flops: Sequence[float] | NDArray[np.float64] | None = None,
) -> list[Allocation]:
    """:func:`optimal_allocation` at every budget in ``budgets`` (FLOPs), for plots and
    tables: several budgets are ``budgets=``, as :func:`~scalinglab.write_report` and
    :func:`~scalinglab.report.plot_fit` name the budgets they plan for, and one budget is
    ``flops=``, as :func:`optimal_allocation` takes it.

    Args:
        source: A preset, its name, a saved fit's path or a fit, as
            :func:`optimal_allocation` takes it.
        budgets: The compute budgets (FLOPs), one or more.
        level: Coverage of the intervals (default: the fit's).
        flops: The old name of ``budgets`` here, read for one release with a
            :class:`DeprecationWarning`.

    Returns:
        One allocation per budget, in the order given.
    """
    if flops is not None:
        if budgets is not None:
            raise ConfigError("frontier() got both budgets= and flops=", hint="pass budgets= alone")
        warn_at_caller(
            "frontier(flops=) is deprecated and goes in the next release: use budgets= (the "
            "budgets, as write_report(budgets=) names them; flops= is one budget, as "
            "optimal_allocation takes it)",
            DeprecationWarning,
        )
        budgets = flops
    if budgets is None:
        raise ConfigError(
            "frontier() needs budgets=, the compute budgets (FLOPs) to plan for",
            hint="pass e.g. budgets=numpy.geomspace(1e19, 1e25, 13)",
        )
    shape = np.shape(budgets)
    if len(shape) != 1 or shape[0] == 0:
        raise ConfigError(
            f"budgets must be a non-empty list of compute budgets, got shape {shape}",
            hint="pass e.g. budgets=numpy.geomspace(1e19, 1e25, 13)",
        )
    source = loaded(source)  # a saved fit read once, not once a budget
    return [
        optimal_allocation(source, flops=float(c), level=level)
        for c in np.asarray(budgets, dtype=np.float64)
    ]
