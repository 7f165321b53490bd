"""Old names of hyperparameter results, read for one release with a
:class:`DeprecationWarning` (one name per concept across the library, the JSON and the
command line):

- ``HparamBacktest.scores``, now ``held_out``: its rows, one per (method, held-out cell),
  are ``"held_out"`` in its JSON (``"scores"`` kept there one release) and "held out" in
  ``hparams backtest``'s table, and a law choice's ``scores`` are numbers (median errors),
  not rows.
- ``HparamBacktest.train_cells``, now ``fitted_cells``: the cells the laws were fitted to,
  as ``hparams backtest``'s table title, its repr and its report say "fitted", and a loss
  backtest's split names its runs ``fitted`` (``"fitted_cells"`` in its JSON,
  ``"train_cells"`` kept there one release).
- ``"worst_regret"`` and ``"worst_grid_regret"`` of :meth:`HparamBacktest.summary
  <scalinglab.hparams.HparamBacktest.summary>` (and ``"summary"`` in its JSON), now
  ``"max_regret"`` and ``"max_grid_regret"``: the largest, as a loss backtest's and a curve
  backtest's ``max_are`` name it (a curve backtest's ``worst_error`` was renamed so too);
  the old keys are kept one release beside the new, holding the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import deprecated

__all__ = ["HparamBacktestAliases", "with_old_keys"]

if TYPE_CHECKING:
    from scalinglab.hparams._backtest_cell import HparamBacktestCell


class HparamBacktestAliases:
    """A base of :class:`~scalinglab.hparams.HparamBacktest` holding its deprecated names."""

    __slots__ = ()
    held_out: tuple[HparamBacktestCell, ...]
    fitted_cells: tuple[str, ...]

    @property
    @deprecated(
        "HparamBacktest.scores is deprecated and goes in the next release: use "
        'HparamBacktest.held_out (one row per method and held-out cell, "held_out" in its '
        "JSON; a law choice's scores are median errors)",
        category=DeprecationWarning,
    )
    def scores(self) -> tuple[HparamBacktestCell, ...]:
        """Deprecated alias of ``held_out`` (one release)."""
        return self.held_out

    @property
    @deprecated(
        "HparamBacktest.train_cells is deprecated and goes in the next release: use "
        'HparamBacktest.fitted_cells (the cells the laws were fitted to, "fitted_cells" in its '
        "JSON, as a loss backtest's split names its runs fitted)",
        category=DeprecationWarning,
    )
    def train_cells(self) -> tuple[str, ...]:
        """Deprecated alias of ``fitted_cells`` (one release)."""
        return self.fitted_cells


def with_old_keys(summary: dict[str, float]) -> dict[str, float]:
    """``summary`` with ``"worst_regret"`` and ``"worst_grid_regret"``, the old keys of
    ``"max_regret"`` and ``"max_grid_regret"``, beside them (one release)."""
    return {
        **summary,
        "worst_regret": summary["max_regret"],
        "worst_grid_regret": summary["max_grid_regret"],
    }
