"""The check every fit makes first: more runs than the law has parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import DataError

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable

__all__ = ["check_enough_runs"]


def check_enough_runs(table: RunTable, n_params: int, *, law_name: str) -> None:
    """Refuse a fit that has no more runs than the law has parameters.

    Args:
        table: The runs to fit.
        n_params: Number of free parameters of the law.
        law_name: The law's name, for the message.

    Raises:
        DataError: If ``len(table) <= n_params``.
    """
    n = len(table)
    if n > n_params:
        return
    runs = f"{n} run" + ("" if n == 1 else "s")
    raise DataError(
        f"only {runs}, but law {law_name!r} has {n_params} parameters; "
        f"a fit needs at least {n_params + 1} runs",
        source=table.source,
        hint="add runs, or choose a law with fewer parameters",
    )
