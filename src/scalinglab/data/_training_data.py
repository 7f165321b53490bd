"""Runs trained on several corpora: which columns name a run's training data, and the
warning a fit of them pooled gives (a law, or a downstream chain, holds for one training
distribution; models trained on different data follow different laws)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from scalinglab._format import join_first
from scalinglab.data._column_names import column_key

__all__ = ["CORPUS_COLUMNS", "corpus_columns", "mixed_training_data"]

#: Text columns that name a run's training data: runs that differ in them follow
#: different laws.
CORPUS_COLUMNS = ("dataset", "corpus", "data", "train_data", "training_data", "pretraining_data")


def corpus_columns(names: Iterable[str]) -> list[str]:
    """The columns of ``names`` that name a run's training data, as the readers compare
    column names (:func:`~scalinglab.data._column_names.column_key`: ``Corpus`` and
    ``Training Data`` too, as a user's file heads them), in the order of
    :data:`CORPUS_COLUMNS`."""
    order = {name: i for i, name in enumerate(CORPUS_COLUMNS)}
    named = [c for c in dict.fromkeys(names) if column_key(c) in order]
    return sorted(named, key=lambda c: order[column_key(c)])


def mixed_training_data(
    labels: Mapping[str, Sequence[str]],
    *,
    runs: str = "runs",
    holds: str = "a law",
    python: str = "RunTable.where",
    group: bool = False,
) -> tuple[str, ...]:
    """One warning per training-data column (:func:`corpus_columns`) whose runs take
    several values, saying how to keep one: ``--where COLUMN=VALUE``, or ``python``.

    Args:
        labels: The runs' text columns (:attr:`RunTable.labels`).
        runs: What the runs are called in the message (``"models"`` for a chain).
        holds: What holds for one training distribution (``"a chain"``).
        python: The Python call that keeps one (``"Evals.where"``).
        group: The command fits one law per value of a column (``loss2loss fit --group``),
            offered beside keeping one.
    """
    out = []
    for column in corpus_columns(labels):
        given = labels[column]
        # a blank cell (a run from another source, without the column) is no value to list
        # nor to choose: `--where dataset=` would select nothing
        values = list(dict.fromkeys(v for v in given if v))
        blank = sum(1 for v in given if not v)
        if values and len(values) + (blank > 0) > 1:
            none = (
                f"; {blank} {runs if blank > 1 else runs.rstrip('s')} without one" if blank else ""
            )
            out.append(
                f"the {runs} span {len(values)} {'value' if len(values) == 1 else 'values'} "
                f"of {column!r} ({join_first(values, 4)}{none}), "
                f"fitted as one: {holds} holds for one training distribution — choose one "
                f"with --where {column}={values[0]} ({python} in Python)"
                + (
                    f", or fit one law per value: --group {column} (group={column!r} in Python)"
                    if group
                    else ""
                )
            )
    return tuple(out)
