"""Which runs a backtest holds out and which it fits on: a :class:`Split` by the rules of
:mod:`scalinglab.validate._rules` (``"flops>=1e21"``, ``"largest:5"``, ``"top-decile"``...).
A split holding out nothing or everything is refused with a :class:`ConfigError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, check_text
from scalinglab.data import RunTable
from scalinglab.validate import _repr
from scalinglab.validate._rules import SCALE_TOL, rule_mask, rule_said, scale_column, scales

__all__ = ["SCALE_TOL", "Split", "scale_column", "scales", "split_runs"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Split:
    """Runs to fit on and runs to predict.

    Attributes:
        train: Runs the law is fitted to.
        test: Held-out runs it must predict.
        holdout: The hold-out rule as given.
        description: The rule in words, e.g. ``"the 5 largest runs by flops"``.
        column: The size column (``flops``, else ``params``) used for scales and distances.
        source: Where all the runs came from, with their count (``RunTable.describe_source``).
    """

    train: RunTable
    test: RunTable
    holdout: str
    description: str
    column: str
    source: str = ""

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.split(self)

    def times_fitted(self) -> Array:
        """Extrapolation factor of each held-out run: its scale over the largest fitted one."""
        return np.asarray(self.test[self.column] / np.max(self.train[self.column]), float)


def split_runs(table: RunTable, holdout: str, *, fit_on: str | None = None) -> Split:
    """Split runs by a hold-out rule (see the module docstring for the forms).

    Args:
        table: The runs.
        holdout: The rule for the runs to predict.
        fit_on: The rule for the runs to fit on; default: every run not held out.

    Raises:
        ConfigError: For a rule that cannot be parsed, that holds out nothing or everything,
            or a ``fit_on`` rule that selects no run or a held-out one.
        DataError: For a column the runs do not have.
    """
    text = check_text(holdout, what="a hold-out rule", example="'largest:5'").strip()
    mask, description, column = rule_mask(table, text)
    if fit_on is not None:
        rule = check_text(fit_on, what="fit_on", example="'flops<=max/8'").strip()
        return _two_rules(table, text, mask, description, column, rule)
    n, k = len(table), int(mask.sum())
    if k == 0:
        raise ConfigError(
            f"{rule_said('--holdout', text)} holds out no run of {n} ({description})",
            hint="loosen it so that it selects the largest runs, e.g. 'largest:5'",
        )
    if k == n:
        raise ConfigError(
            f"{rule_said('--holdout', text)} holds out all {n} runs, leaving none to fit ({description})",
            hint="tighten it so that it selects only the largest runs, e.g. 'largest:5'",
        )
    return Split(
        table.select(~mask), table.select(mask), text, description, column, table.describe_source()
    )


def _two_rules(
    table: RunTable, text: str, test: NDArray[np.bool_], description: str, column: str, rule: str
) -> Split:
    train, fit_description, _ = rule_mask(table, rule, option="--fit-on")
    both = np.flatnonzero(train & test)
    if len(both):
        raise ConfigError(
            f"{rule_said('--fit-on', rule)} and {rule_said('--holdout', text)} both select {len(both)} run(s), e.g. "
            f"{table.runs[both[0]]!r}",
            hint="make the two rules disjoint, e.g. --fit-on 'flops<=max/8' "
            "--holdout 'top-scales:2'",
        )
    if not train.any() or not test.any():
        which = "--fit-on" if not train.any() else "--holdout"
        raise ConfigError(
            f"{rule_said(which, rule if not train.any() else text)} selects no run of {len(table)}",
            hint="loosen it",
        )
    return Split(
        table.select(train),
        table.select(test),
        text,
        f"{description}; fitted on {fit_description}",
        column,
        table.describe_source(),
    )
