"""The check every fit makes first: more runs than the law has parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import DataError

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable

__all__ = ["check_enough_runs"]


def check_enough_runs(table: RunTable, n_params: int, *, law_name: str) -> None:
    """Refuse a fit that has no more runs than the law has parameters, naming the runs
    the table left out (:attr:`RunTable.skipped_notes`), which are not counted.

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
    # the runs read but left out (a blank loss, a store's running or diverged runs): the
    # count said is not the count the file or `scalinglab runs` shows, so say why
    left_out = "".join(f"; {note}" for note in table.skipped_notes)
    raise DataError(
        f"only {runs}, but law {law_name!r} has {n_params} parameters; "
        f"a fit needs at least {n_params + 1} runs{left_out}",
        source=table.source,
        hint="add runs, or choose a law with fewer parameters",
    )
