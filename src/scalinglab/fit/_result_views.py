""":class:`~scalinglab.fit.FitResult`'s views derived from its fields alone: whether it
converged (and is trusted), how many runs it fitted, its coefficients as a vector, its law
form, the kind of its prediction intervals, and its allocation exponents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._predict import interval_kind, interval_note
from scalinglab.laws import Law, get_law

if TYPE_CHECKING:
    from scalinglab.fit._allocation_exponents import AllocationExponents
    from scalinglab.fit._result import FitResult

__all__ = ["FitResultViews"]


class FitResultViews:
    """A base of :class:`~scalinglab.fit.FitResult` holding its derived read-only views."""

    __slots__ = ()
    coefs: Mapping[str, float]
    columns: Mapping[str, str]
    form: Law | None
    law_spec: str
    runs: tuple[str, ...]
    status: str
    warnings: tuple[str, ...]

    @property
    def trusted(self) -> bool:
        """Converged, and no diagnostic says otherwise."""
        return self.ok and not self.warnings

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(self.coefs)

    @property
    def theta(self) -> NDArray[np.float64]:
        """Best-fit values as a vector in :attr:`param_names` order."""
        return np.array(list(self.coefs.values()), dtype=np.float64)

    @property
    def ok(self) -> bool:
        return self.status == "converged"

    @property
    def interval_kind(self) -> str:
        """Kind of the prediction intervals :meth:`predict` gives, in the word of
        :attr:`Prediction.interval_kind <scalinglab.Prediction.interval_kind>`:
        ``"backtest-calibrated"``, ``"bootstrap"`` or ``"none"`` (:attr:`interval_note`
        says why)."""
        return interval_kind(cast("FitResult", self))

    @property
    def interval_note(self) -> str:
        """The kind of the prediction intervals and why, in one line, as ``fit`` prints it
        (``backtest-calibrated (5 rolling-origin cuts ...)``)."""
        return interval_note(cast("FitResult", self))

    @property
    def allocation_exponents(self) -> AllocationExponents | None:
        """How the compute-optimal split grows with the budget, ``N* ∝ C^a`` and
        ``D* ∝ C^b``, with ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)``
        (Hoffmann et al. 2022, eq. 4 and Table 2): the exponents ``isoflop`` and
        ``envelope`` give (``IsoFLOPResult.a``, ``.b``), each an
        :class:`~scalinglab.plan.Estimate` with the percentile interval of the bootstrap
        fits' own at :attr:`level`, as the coefficients have (NaN ends without resamples).
        ``None`` where the law has no closed-form allocation (Chinchilla's law, under
        C = 6·N·D or a constant ratio to it, has one) or the plan is withheld
        (:attr:`plan_withheld`)."""
        from scalinglab.fit._allocation_exponents import allocation_exponents

        return allocation_exponents(cast("FitResult", self))

    @property
    def law(self) -> Law:
        """The law form: :attr:`form`, or rebuilt from :attr:`law_spec` with :attr:`columns`
        whole, as the fit built it (a formula's ``N`` may read ``nonemb``; catalog laws ignore it)."""
        if self.form is not None:
            return self.form
        return get_law(self.law_spec, columns=self.columns)
