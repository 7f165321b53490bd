"""The compute-optimal frontier: :func:`~scalinglab.plan.optimal_allocation` at several
budgets, for plots and tables.

::

    frontier(fit, budgets=numpy.geomspace(1e19, 1e25, 13))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, keyword_meant
from scalinglab._keywords import keywords_checked
from scalinglab._warn import warn_at_caller
from scalinglab.plan._allocation import optimal_allocation
from scalinglab.plan._frontier_result import Frontier, frontier_of
from scalinglab.plan._source import Source, check_positive, loaded

__all__ = ["frontier"]

#: ``compute=`` and ``budget=``, the command line's words: several budgets are budgets=.
_BUDGETS = (
    f"{keyword_meant('budgets')} They are the budgets in FLOPs, as `plan --compute` gives them"
)


@keywords_checked(
    "scalinglab.plan.frontier",
    deprecated=("flops",),
    hints={"compute": _BUDGETS, "budget": _BUDGETS},
)
def frontier(
    source: Source,
    *,
    budgets: Sequence[float | str] | NDArray[np.float64] | float | str | None = None,
    level: float | None = None,
    flops: Sequence[float] | NDArray[np.float64] | None = None,
) -> Frontier:
    """:func:`optimal_allocation` at every budget in ``budgets`` (FLOPs), for plots and
    tables: several budgets are ``budgets=``, as :func:`~scalinglab.write_report` and
    :func:`~scalinglab.report.plot_fit` name the budgets they plan for, and one budget is
    ``flops=``, as :func:`optimal_allocation` takes it.

    Args:
        source: A preset, its name, a saved fit's path or a fit, as
            :func:`optimal_allocation` takes it.
        budgets: The compute budgets (FLOPs), one or more: numbers, or text with units as
            ``--compute`` reads it (``["1e23", "1e24 FLOPs"]``, ``"1e23,1e24"``); one
            budget alone (``budgets=1e24``) is a frontier of one.
        level: Coverage of the intervals (default: the fit's).
        flops: The old name of ``budgets`` here, read for one release with a
            :class:`DeprecationWarning`.

    Returns:
        A :class:`Frontier`: one allocation per budget, in the order given, as a sequence
        (``f[0]``, ``len(f)``, ``list(f)``), with ``to_dict()`` (what ``scalinglab plan
        --json`` prints for these budgets) and the table a notebook shows.
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
    values = _budget_values(budgets)
    source = loaded(source)  # a saved fit read once, not once a budget
    allocations = [optimal_allocation(source, flops=c, level=level) for c in values]
    if isinstance(source, str):  # a preset's name, known now (optimal_allocation read it)
        from scalinglab.laws import get_preset

        source = get_preset(source)
    return frontier_of(source, values, allocations)


def _budget_values(budgets: object) -> list[float]:
    """``budgets`` as FLOP counts, in the order given: as ``write_report(budgets=)`` and
    ``isoflop(budgets=)`` read them (a list, one budget, ``"1e23,1e24"``), each value as
    :func:`optimal_allocation` reads its ``flops=`` (units and a trailing FLOPs allowed).

    Raises:
        ConfigError: None given, a nested list, or a value that is no positive number.
    """
    given: Any = budgets
    if isinstance(given, str):  # "1e23,1e24" as --compute writes them
        given = [part for part in given.split(",") if part.strip()]
    if np.ndim(np.asarray(given, dtype=object)) == 0:
        given = [given]  # one budget: a frontier of one
    shape = np.shape(np.asarray(given, dtype=object))
    if len(shape) != 1 or shape[0] == 0:
        raise ConfigError(
            f"budgets must be a non-empty list of compute budgets, got {budgets!r}",
            hint="pass e.g. budgets=numpy.geomspace(1e19, 1e25, 13) or budgets=[1e23, '1e24']",
        )
    # a numpy scalar as its number: the messages say 1e+21, not np.float64(1e+21)
    plain = [c.item() if isinstance(c, np.generic) else c for c in given]
    return [check_positive("budgets", c, "budgets=[1e21]") for c in plain]
