"""Which parameters a run table's N counts, in words, from the column N was read from.

Embeddings are a large share of a small model, so whether N counts them matters to a law
read at another model's N. A column says so by its name (``params_non_embedding``,
``total_params``); a column called ``N`` or ``params`` says nothing, and the words say that
too. A sweep read from a file (:func:`scalinglab.hparams.read_sweep`) and the runs a store
kept from an ingested table (the column recorded in each run's ``extra``) are said alike.
"""

from __future__ import annotations

from scalinglab.data._column_names import column_key
from scalinglab.data._tracker_names import DEFAULT_NAMES

__all__ = ["NON_EMBEDDING", "TOTAL", "params_words"]

NON_EMBEDDING = "non-embedding parameters"
TOTAL = "total parameters"
_TOTAL_NAMES = ("total_params", "params_total", "n_params_total", "num_params_total")


def params_words(column: str) -> str:
    """Which parameters the column ``column`` (as the source names it) counts, in words:
    non-embedding or total where its name says so, else that it is not recorded."""
    if column_key(column) in DEFAULT_NAMES["params_non_embedding"]:
        return f"{NON_EMBEDDING} (column {column!r})"
    if column_key(column) in _TOTAL_NAMES:
        return f"{TOTAL} (column {column!r})"
    return f"as given in column {column!r} (with or without embeddings: not recorded)"
