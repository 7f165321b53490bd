"""The rows of a run store's curves a curve law can fit: those of finished runs (a curve
still growing, or cut short by a failure, is no run's whole curve) that log a training loss
(a history ingested with its eval loss only has none to fit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import DataError
from scalinglab._format import format_counted, join_first
from scalinglab.data._run_states import counted, left_out_note

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["finished_only", "with_train_loss"]


def with_train_loss(
    frame: pd.DataFrame, stored: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The curve rows of the runs that log a training loss, a note naming the others (a
    history ingested with its eval loss only: a curve law fits the training loss), and
    each of them with why."""
    ids = frame["run_id"].astype(str)
    with_loss = set(ids[frame["train_loss"].notna()])
    if not (without := sorted(set(ids) - with_loss)):
        return frame, [], {}
    label = stored["name"].where(stored["name"].notna(), stored["run_id"]).astype(str)
    names = dict(zip(stored["run_id"].astype(str), label, strict=True))
    shown = join_first([repr(names.get(i, i)) for i in without], 4)
    one = len(without) == 1
    said = (
        f"{format_counted(len(without), 'run')} {'has' if one else 'have'} no train_loss in "
        f"{'its stored curve' if one else 'their stored curves'} ({shown})"
    )
    hint = "ingest their training loss with the curves (--map train_loss=METRIC)"
    if not with_loss:
        raise DataError(f"no curve to fit: {said}", source=source, hint=hint)
    left = {names.get(i, i): "no train_loss in its stored curves" for i in without}
    return frame[ids.isin(with_loss)], [f"warning: {source}: {said}: left out; {hint}"], left


def finished_only(
    frame: pd.DataFrame, stored: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The curve rows of the finished runs, the note naming the others in the words ``fit
    --store`` leaves them out with (:func:`left_out_note`), and each of them with why.

    Raises:
        DataError: When no run with a curve finished.
    """
    ids = frame["run_id"].astype(str)
    from scalinglab.store._listing import frame_statuses

    status = frame_statuses(stored, source)  # as `runs` shows them: a rung stopped: interrupted
    label = stored["name"].where(stored["name"].notna(), stored["run_id"]).astype(str)
    names = dict(zip(stored["run_id"].astype(str), label, strict=True))
    others = sorted(
        {i for i in ids if status.get(i, "finished") != "finished"},
        key=lambda i: (status[i], names.get(i, i)),
    )
    if not others:
        return frame, [], {}
    by_status: dict[str, list[str]] = {}
    for i in others:
        by_status.setdefault(status[i], []).append(names.get(i, i))
    hint = "--where status=STATUS (where={'status': ...}) fits their curves"
    if len(others) == ids.nunique():
        raise DataError(f"no run with a curve finished: {counted(by_status)}", source=source,
                        hint=f"fit them once they finish, or {hint}")  # fmt: skip
    note = left_out_note(by_status, kept="finished", runs="stored run", then=f"({hint})")
    left = {names.get(i, i): f"{status[i]}, not finished" for i in others}
    return frame[~ids.isin(set(others))], [f"{source}: {note}"], left
