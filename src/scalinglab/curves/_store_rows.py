"""The rows of a run store's curves a curve law can fit: those of runs that log a training
loss (a history ingested with its eval loss only has none to fit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import DataError
from scalinglab._format import join_first

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["with_train_loss"]


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
    said = f"{len(without)} run(s) have no train_loss in their stored curves ({shown})"
    hint = "ingest their training loss with the curves (--map train_loss=METRIC)"
    if not with_loss:
        raise DataError(f"no curve to fit: {said}", source=source, hint=hint)
    left = {names.get(i, i): "no train_loss in its stored curves" for i in without}
    return frame[ids.isin(with_loss)], [f"warning: {source}: {said}: left out; {hint}"], left
