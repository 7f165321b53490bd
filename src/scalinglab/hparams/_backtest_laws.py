"""The laws a hyperparameter backtest fits on its training cells: chosen and fitted as
:func:`~scalinglab.hparams.fit_hparams` chooses and fits them, with a refusal for too few
cells that says the split made them few (a sweep of 3 cells, one held out, leaves 2 for a
law of 2 parameters: the fit's own message named no split, as if the sweep were short)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import TooFewCellsError
from scalinglab._format import format_counted
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._choose import pick_laws
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._pair import fit_pair

__all__ = ["fit_training_laws"]

Array = NDArray[np.float64]


def fit_training_laws(
    lr_forms: Sequence[str],
    batch_forms: Sequence[str],
    cells: Sequence[CellOptimum],
    columns: Mapping[str, Array],
    *,
    held_out: str,
    two_d: bool,
    weighting: str,
    **common: Any,
) -> tuple[HparamLaw, HparamLaw | None, HparamLawChoice | None]:
    """``(lr* law, B* law or None, the choice or None)`` fitted on the training ``cells``.

    Args:
        lr_forms: The lr* forms to choose among (one: no choice).
        batch_forms: The B* forms, likewise.
        cells: The training cells' located optima.
        columns: ``params``, ``tokens``, ``flops`` per training cell.
        held_out: The held-out cells in words (``"the largest model size: 1 cell"``).
        two_d: Whether the batch was swept too.
        weighting: ``"regret"`` or ``"equal"``.
        **common: ``robust_loss``, ``delta`` and ``source``, as :func:`fit_pair` takes them.

    Raises:
        TooFewCellsError: The training cells are too few for a law, said with the split.
    """
    try:
        lr_form, b_form, choice = pick_laws(
            lr_forms, batch_forms, cells, columns, two_d=two_d, weighting=weighting, **common
        )
        fitted, fitted_b = fit_pair(lr_form, b_form, columns, cells, weighting=weighting, **common)
    except TooFewCellsError as err:
        source = common.get("source", "")
        said = err.message.removeprefix(f"{source}: ") if source else err.message
        raise TooFewCellsError(
            f"{said}; the cells held out ({held_out}) leave {format_counted(len(cells), 'cell')} "
            "to fit",
            source=source,
            hint="hold out fewer cells (--holdout; holdout= in Python), or add sweeps at more "
            "(N, D)",
        ) from err
    return fitted, fitted_b, choice
