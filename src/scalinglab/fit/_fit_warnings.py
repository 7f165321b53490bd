"""Every reason not to trust a fit, in the order :func:`~scalinglab.fit.fit` gives them in
:attr:`FitResult.warnings <scalinglab.FitResult.warnings>`: that it did not converge, runs of
several corpora, what reading the runs warned of (perplexity given as the loss, flops off
6·N·D or in mixed units: :func:`~scalinglab.data._noted_runs.reading_warnings`), runs kept
that look diverged, runs that look like an lr × batch sweep
(:func:`~scalinglab.data._best_per_cell.sweep_warning`), a formula's variable read as a
column, then the diagnostics of its values, intervals and design
(:func:`~scalinglab.fit._diagnostics.diagnose`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab.data._best_per_cell import sweep_warning
from scalinglab.data._noted_runs import reading_warnings
from scalinglab.data._outliers import kept_warning
from scalinglab.data._table import RunTable
from scalinglab.data._training_data import mixed_training_data
from scalinglab.fit._diagnostics import diagnose
from scalinglab.fit._formula_notes import lone_variables
from scalinglab.fit._implausible import unconverged_first
from scalinglab.fit._spans import Judged
from scalinglab.fit._unread import unread_sizes
from scalinglab.laws import Law

__all__ = ["fit_warnings"]

Array = NDArray[np.float64]


def fit_warnings(
    law: Law,
    table: RunTable,
    coefs: Mapping[str, float],
    intervals: Mapping[str, tuple[float, float]],
    samples: Array | None,
    *,
    status: str,
    message: str,
    data: Mapping[str, Array],
    target: Array,
    columns: Mapping[str, str],
    level: float,
    judged: Judged | None = None,
) -> tuple[str, ...]:
    """The warnings of a fit of ``law`` to ``table`` (``data`` by the law's symbols, read
    from ``columns``; ``target`` the loss) that ended with ``status`` and ``message`` at
    ``coefs`` (natural units), with ``intervals`` at ``level`` from ``samples``, whose
    spans the fit ``judged`` for its notes (:func:`~scalinglab.fit._spans.judge`; ``None``:
    judged here).

    Returns:
        One line each, and first, when ``status`` is not converged, the line that says so
        (:func:`~scalinglab.fit._implausible.unconverged_warning`): no value after it is
        the law's optimum, and plans and predictions from the fit name it the same way.
    """
    said = (
        # runs of several corpora first: no other line says that one law may not fit them
        *mixed_training_data(table.labels),
        *reading_warnings(table.notes),  # the readers' "warning: ..." notes: the fit's
        *kept_warning(table),  # the per-run lines are notes; the fit says it once
        *sweep_warning(table),  # a loss law fitted to every run of an lr × batch sweep
        *lone_variables(law, columns),  # C in `C + A*N**-alpha` is the flops column
        *diagnose(
            law,
            coefs,
            intervals,
            samples,
            n_runs=len(target),
            min_loss=float(np.min(target)),
            log_means={s: float(np.mean(np.log(v))) for s, v in data.items() if np.min(v) > 0},
            data=data,
            columns=columns,
            level=level,
            observed=target,
            judged=judged,
            unread=unread_sizes(columns, table),
        ),
    )
    return unconverged_first(status, message, said)
