"""A table without task scores given where evaluations are read (``downstream fit``,
:func:`scalinglab.read_evals`): what it looks like by its columns, and the command that
fits it: loss curves (step and loss columns) ``curves fit``, a hyperparameter sweep (lr and
batch columns) ``hparams fit``, final losses (a loss column) ``fit``."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from scalinglab._errors import DataError
from scalinglab.data._column_names import column_key
from scalinglab.data._curve_columns import CURVE_ALIASES
from scalinglab.data._plain_numbers import is_loss_name

__all__ = ["no_scores"]

#: What a wide evaluation table holds, per task: said after the command of another kind.
_SCORES = "evaluations hold a column {}_<task> per task (acc_hellaswag)"


def _first(columns: Sequence[str], names: Collection[str]) -> str | None:
    """The first of ``columns`` named as one of ``names`` (case, spaces and hyphens aside)."""
    return next((c for c in columns if column_key(c) in names), None)


def _command(source: str, command: str, python: str) -> str:
    """``scalinglab COMMAND SOURCE`` for a file; the Python call for a DataFrame."""
    if source == "<DataFrame>":
        return f"scalinglab.{python}"
    return f"`scalinglab {command} {source}`"


def no_scores(columns: Sequence[str], source: str, metric: str) -> DataError:
    """The error for a table of ``columns`` with no score column of any metric, read for
    ``metric``: what it looks like and the command that fits it, where its columns tell;
    else how to name the scores.

    Args:
        columns: The table's columns.
        source: The file, or ``"<DataFrame>"``.
        metric: The metric read (``acc``).
    """
    from scalinglab.data._hparam_names import BATCH_ALIASES, LR_ALIASES

    missing = f"no task columns of metric {metric!r} ({metric}_<task>)"
    scores = _SCORES.format(metric)
    step, lr = _first(columns, CURVE_ALIASES["step"]), _first(columns, LR_ALIASES)
    batch = _first(columns, BATCH_ALIASES)
    loss = next((c for c in columns if is_loss_name(c)), None)  # as fit names a loss
    if step is not None and loss is not None:
        fit = _command(source, "curves fit", "fit_curves(frame)")
        return DataError(
            f"{missing}: it looks like loss curves (columns {step!r}, {loss!r}), not evaluations",
            source=source,
            hint=f"to fit the curves: {fit}; {scores}",
        )
    if lr is not None and batch is not None:
        fit = _command(source, "hparams fit", "fit_hparams(frame)")
        return DataError(
            f"{missing}: it looks like a hyperparameter sweep (columns {lr!r}, {batch!r}), "
            "not evaluations",
            source=source,
            hint=f"to fit the optimal learning rate and batch size: {fit}; {scores}",
        )
    if loss is not None:
        fit = _command(source, "fit", "fit(LAW, frame)")
        return DataError(
            f"{missing}: it looks like final losses (column {loss!r}), no task scores",
            source=source,
            hint=f"to fit the loss: {fit}; {scores}, beside the loss",
        )
    return DataError(missing, source=source, hint=f"name them {metric}_<task>")
