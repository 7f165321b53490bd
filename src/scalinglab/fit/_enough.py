"""Too few runs for the law asked for: the refusal names the catalog laws these runs can fit.

A three-rung ladder fitted with the default Chinchilla law (five parameters) is refused; the
hint then says what to pass, both ways (``--law power-law:flops``; ``law='power-law:flops'``
in Python), instead of "a law with fewer parameters". Laws of compute come first where the runs have FLOPs, as ``ladder run
--predict-top`` fits a short ladder (:func:`scalinglab.execute._predict.choose_law`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from scalinglab._errors import DataError
from scalinglab.data._table import check_enough_runs
from scalinglab.fit._columns import check_spread, law_columns

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.laws import Law

__all__ = ["check_runs_for", "fit_columns", "smaller_laws"]

#: Catalog laws offered instead, by the column they need, most parameters first.
_SMALLER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("flops", ("power-law-plus-constant:flops", "power-law:flops")),
    ("params", ("power-law-plus-constant", "power-law")),
)
_MOST_OFFERED = 2


def fit_columns(law: Law, table: RunTable, x: Mapping[str, str] | None) -> dict[str, str]:
    """The column each of ``law``'s variables reads (:func:`law_columns`), once ``table`` is
    checked to hold enough runs for it (:func:`check_runs_for`) that differ in each
    (:func:`check_spread`): :func:`scalinglab.fit`'s checks of the runs read, which a
    command runs before it says it is fitting, so a refusal is the only line it prints.

    Raises:
        ConfigError: An ``x`` symbol the law does not have.
        DataError: A column the runs lack, too few runs, or a variable every run shares.
    """
    columns = law_columns(law, table, x)
    check_runs_for(law, table)  # too few: the hint names laws these runs can fit
    check_spread(law, table, columns)
    return columns


def check_runs_for(law: Law, table: RunTable) -> None:
    """Refuse a fit of ``law`` with no more runs than it has parameters.

    Raises:
        DataError: Whose hint names the catalog laws these runs can fit (:func:`smaller_laws`).
    """
    try:
        check_enough_runs(table, len(law.params), law_name=law.spec)
    except DataError as err:
        err.hint = smaller_laws(table, len(law.params)) or err.hint
        raise


def smaller_laws(table: RunTable, n_params: int) -> str:
    """What to pass when ``table`` has too few runs for a law of ``n_params`` parameters:
    up to two catalog laws of fewer parameters it can fit, with their forms; or how many
    runs the smallest needs; ``""`` when the runs have none of the columns those laws read."""
    from scalinglab.laws import get_law

    n = len(table)
    for column, names in _SMALLER:
        if not table.has(column):
            continue
        laws = [get_law(name) for name in names]
        fits = [law for law in laws if len(law.params) < min(n, n_params)]
        if not fits:
            smallest = laws[-1]
            return (
                f"add runs: the smallest catalog law, {smallest.spec} ({smallest.formula}), "
                f"needs {len(smallest.params) + 1}"
            )
        offered = " or ".join(
            f"--law {law.spec} ({law.formula}, {len(law.params)} parameters)"
            for law in fits[:_MOST_OFFERED]
        )
        runs = f"{n} run" + ("" if n == 1 else "s")
        # fit() and backtest() take the law as law=, as report and ladder take --law
        python = f"law={fits[min(len(fits), _MOST_OFFERED) - 1].spec!r} in Python"
        return f"with {runs}, fit a law of fewer parameters: {offered} — {python}; or add runs"
    return ""
