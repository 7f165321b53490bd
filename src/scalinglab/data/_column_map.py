"""The names a run table's columns are mapped onto (``columns=`` in Python, ``--map`` on the
command line), checked so that no column a reader reads is lost: ``{"bogus": "params"}``
would otherwise rename ``params`` away and the fit blame the column that is there."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from scalinglab._checks import check_columns
from scalinglab._errors import ConfigError, meant
from scalinglab.data._column_names import RUN_COLUMNS

__all__ = ["MAP_NAMES", "RUN_NAMES", "SWEEP_NAMES", "check_map"]

#: The names a run table's columns are read as (``data.CANONICAL`` and the run ids: a test
#: checks), which ``columns`` (``--map``) maps onto.
MAP_NAMES = ("params", "tokens", "flops", "loss", "run")
#: Other names of the run ids (:data:`~scalinglab.data._column_names.RUN_COLUMNS`):
#: ``--map name=Name`` is ``run``.
RUN_NAMES = tuple(n for n in RUN_COLUMNS if n != "run")
#: What a sweep's columns are mapped onto besides (``hparams._sweep`` finds them by name:
#: ``LR_ALIASES``, ``BATCH_ALIASES``, ``SEQ_LEN_ALIASES``).
SWEEP_NAMES = ("lr", "batch", "seq_len")


def check_map(
    columns: Mapping[str, str],
    *,
    example: str = "params=n_params",
    also: Sequence[str] = (),
    beside: Mapping[str, str] | None = None,
) -> None:
    """Refuse a mapping that would lose a column the reader reads: one that renames such a
    column away (``{"bogus": "params"}``: the fit would then blame ``params``, which is
    there) or a name spelt close to one it reads (``parms``), naming the closest, as
    ``ingest`` refuses one. A column whose own name is mapped to another column in the same
    mapping is not renamed away (``{"loss": "eval_loss", "train_loss": "loss"}``). Any other name reads its column as that name
    (``{"params_non_embedding": "n_embed_free"}``, ``{"dataset": "corpus_name"}``).

    Args:
        columns: Name -> the source's column, as ``read_runs(columns=...)`` takes it.
        example: A mapping to suggest, as ``NAME=COLUMN``.
        also: Names the caller reads besides :data:`MAP_NAMES` (a sweep's ``lr``, ``batch``).
        beside: What another option maps (``--y eval_loss``: ``{"loss": "eval_loss"}``),
            not checked here, but freeing a column's name as ``columns`` does.

    Raises:
        ConfigError: Said as ``--map`` and as Python's ``columns=`` write it, listing the
            names columns are read as.
    """
    columns = check_columns(columns)  # a list where the dict goes (fit_hparams(columns=[...]))
    known = (*MAP_NAMES, *also)
    # a column named as one read is not lost when its own name is read from another column
    # ({"loss": "eval_loss", "train_loss": "loss"}): only then is it renamed away
    pairs = {**(beside or {}), **columns}.items()
    mapped = {name.strip().lower() for name, column in pairs if name != column}
    for name, column in columns.items():
        key = name.strip().lower()
        if key in known or key in RUN_NAMES:
            continue
        near = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
        away = column.strip().lower() in {*known, *RUN_NAMES} - mapped
        if not (near or away):
            continue
        why = (
            f"it would read column {column!r}, which is read as itself, as {name!r}"
            if away
            else f"{name!r} is none of the names a column is read as"
        )
        given, wanted = {name: column}, dict([example.split("=", 1)])
        raise ConfigError(
            f"--map {name}={column} (columns={given!r} in Python): {why} ({', '.join(known)})",
            hint=(f"{meant(near[0], hint=True)} " if near else "")
            + f"map one of them, e.g. --map {example} (columns={wanted!r})",
        )
