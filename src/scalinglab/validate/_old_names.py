"""Old names of validation results, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``LawScore.n_params``, now ``n_coefs``: the law's fitted coefficients are its ``coefs``
  (``params`` means model size everywhere, the run-table column ``n_params`` too), and their
  count is ``n_coefs``, as a hyperparameter law choice names it;
- ``BudgetFit.coefficients``, now ``coefs``: fitted coefficients are ``coefs`` in every
  result (a fit, a curve fit, a hyperparameter law);
- ``Comparison.scores``, now ``laws``: its rows are ``"laws"`` in its JSON and "by law" in
  ``backtest``'s table, and a law choice's ``scores`` are numbers (median AREs), not rows;
- ``OptimumAt.beyond``, now ``distance``: decades beyond the fitted data, as a plan's and a
  prediction's ``distance`` (and the ``isoflop --at`` JSON's) name it;
- ``OptimumAt.params`` and ``OptimumAt.tokens``, now ``params_opt`` and ``tokens_opt``: the
  optimum at a budget, as the ``isoflop --at`` JSON and a budget's
  :class:`~scalinglab.validate.BudgetFit` name it (a budget's ``params`` are its runs' sizes);
- ``Split.train`` and ``Split.test``, now ``fitted`` and ``held_out``, and
  ``RollingStep.n_train``, now ``n_fitted``: the runs fitted and the runs held out, as
  ``--fit-on`` and ``--holdout``, a rolling step's ``"largest_fitted"`` and every backtest's
  words name them (``"n_fitted"`` and ``"n_held_out"`` in the JSON, ``"n_train"`` and
  ``"n_test"`` kept there one release).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import deprecated

__all__ = [
    "BudgetFitAliases",
    "ComparisonAliases",
    "LawScoreAliases",
    "OptimumAtAliases",
    "RollingStepAliases",
    "SplitAliases",
]

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.plan import Estimate
    from scalinglab.validate._compare import LawScore


class LawScoreAliases:
    """A base of :class:`~scalinglab.validate.LawScore` holding its deprecated name."""

    __slots__ = ()
    n_coefs: int

    @property
    @deprecated(
        "LawScore.n_params is deprecated and goes in the next release: use LawScore.n_coefs "
        "(the count of the law's fitted coefficients; 'params' means model size everywhere "
        "else)",
        category=DeprecationWarning,
    )
    def n_params(self) -> int:
        """Deprecated alias of ``n_coefs`` (one release)."""
        return self.n_coefs


class BudgetFitAliases:
    """A base of :class:`~scalinglab.validate.BudgetFit` holding its deprecated name."""

    __slots__ = ()
    coefs: tuple[float, float, float]

    @property
    @deprecated(
        "BudgetFit.coefficients is deprecated and goes in the next release: use "
        "BudgetFit.coefs (one name for fitted coefficients across results)",
        category=DeprecationWarning,
    )
    def coefficients(self) -> tuple[float, float, float]:
        """Deprecated alias of ``coefs`` (one release)."""
        return self.coefs


class OptimumAtAliases:
    """A base of :class:`~scalinglab.validate.OptimumAt` holding its deprecated names."""

    __slots__ = ()
    distance: float
    params_opt: Estimate
    tokens_opt: Estimate

    @property
    @deprecated(
        "OptimumAt.params is deprecated and goes in the next release: use OptimumAt.params_opt "
        '(N_opt at the budget, "params_opt" in the isoflop --at JSON as in BudgetFit)',
        category=DeprecationWarning,
    )
    def params(self) -> Estimate:
        """Deprecated alias of ``params_opt`` (one release)."""
        return self.params_opt

    @property
    @deprecated(
        "OptimumAt.tokens is deprecated and goes in the next release: use OptimumAt.tokens_opt "
        '(D_opt at the budget, "tokens_opt" in the isoflop --at JSON as in BudgetFit)',
        category=DeprecationWarning,
    )
    def tokens(self) -> Estimate:
        """Deprecated alias of ``tokens_opt`` (one release)."""
        return self.tokens_opt

    @property
    @deprecated(
        "OptimumAt.beyond is deprecated and goes in the next release: use OptimumAt.distance "
        "(decades beyond the fitted data, as Allocation.distance and Prediction.distance)",
        category=DeprecationWarning,
    )
    def beyond(self) -> float:
        """Deprecated alias of ``distance`` (one release)."""
        return self.distance


class ComparisonAliases:
    """A base of :class:`~scalinglab.validate.Comparison` holding its deprecated name."""

    __slots__ = ()
    laws: tuple[LawScore, ...]

    @property
    @deprecated(
        "Comparison.scores is deprecated and goes in the next release: use Comparison.laws "
        '(one row per law, "laws" in its JSON; a law choice\'s scores are median AREs)',
        category=DeprecationWarning,
    )
    def scores(self) -> tuple[LawScore, ...]:
        """Deprecated alias of ``laws`` (one release)."""
        return self.laws


class SplitAliases:
    """A base of :class:`~scalinglab.validate.Split` holding its deprecated names."""

    __slots__ = ()
    fitted: RunTable
    held_out: RunTable

    @property
    @deprecated(
        "Split.train is deprecated and goes in the next release: use Split.fitted (the runs "
        'fitted, as --fit-on and "n_fitted" in a backtest\'s JSON name them)',
        category=DeprecationWarning,
    )
    def train(self) -> RunTable:
        """Deprecated alias of ``fitted`` (one release)."""
        return self.fitted

    @property
    @deprecated(
        "Split.test is deprecated and goes in the next release: use Split.held_out (the runs "
        'held out, as --holdout and "n_held_out" in a backtest\'s JSON name them)',
        category=DeprecationWarning,
    )
    def test(self) -> RunTable:
        """Deprecated alias of ``held_out`` (one release)."""
        return self.held_out


class RollingStepAliases:
    """A base of :class:`~scalinglab.validate.RollingStep` holding its deprecated name."""

    __slots__ = ()
    n_fitted: int

    @property
    @deprecated(
        "RollingStep.n_train is deprecated and goes in the next release: use "
        'RollingStep.n_fitted (the runs fitted, "n_fitted" in its JSON beside '
        '"largest_fitted")',
        category=DeprecationWarning,
    )
    def n_train(self) -> int:
        """Deprecated alias of ``n_fitted`` (one release)."""
        return self.n_fitted
