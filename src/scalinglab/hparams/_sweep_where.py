"""How ``read_sweep(where=...)`` reads a sweep's source columns before its table is built:
the run column, the columns that are not text, and the names mapped text columns go by.

Resolved on the source's names each once, as the table's reader resolves them
(:func:`~scalinglab.data._repeated_names.unread_repeats`): a column named twice that a
condition reads (``--where dataset=a --map dataset=corpus_name``, ``corpus_name`` twice) is
then refused by its positions, not looked for as a text column ``dataset`` that is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from scalinglab._errors import DataError
from scalinglab.data._column_map import SWEEP_NAMES
from scalinglab.data._raw import RawTable
from scalinglab.data._schema import _resolve, mapped_column
from scalinglab.data._table import CANONICAL

__all__ = ["mapped_columns", "not_text", "read_as"]


def mapped_columns(
    raw: RawTable, columns: Mapping[str, str] | None
) -> tuple[str | None, dict[str, str]]:
    """The run column of ``raw`` and each name's source column, as a run table reads them.

    A repeated name counts once here (its cells are one list already): a mapping to it is
    resolved, so ``where`` refuses it by its positions (``refuse_repeats``).

    Raises:
        DataError: A column ``columns`` names that ``raw`` has not, as ``fit`` says it
            (else ``where`` would look for the mapped name as a text column). Other columns
            that are wrong give none here: the table's own reader says what is wrong, after
            :func:`~scalinglab.hparams.read_sweep` has tried its ``y`` as the loss.
    """
    once = replace(raw, names=tuple(dict.fromkeys(raw.names)))
    for target, wanted in (columns or {}).items():
        mapped_column(once, target, wanted)
    try:
        run, chosen, _ = _resolve(once, columns or {}, None)
    except DataError:
        return None, {}
    return run, chosen


def not_text(columns: Mapping[str, str] | None) -> Callable[[RawTable], set[str]]:
    """The columns of a sweep's source that are not text columns ``where`` reads, as
    :meth:`RunTable.where` reads a run table's: the run, the quantities (mapped or found
    by name, the ``lr`` and ``batch`` mapped), and a column whose name is read from another
    (``dataset`` beside ``--map dataset=corpus_name``)."""

    def skip(raw: RawTable) -> set[str]:
        run, chosen = mapped_columns(raw, columns)
        read = {src for name, src in chosen.items() if name in (*CANONICAL, *SWEEP_NAMES)}
        shadowed = {name for name, src in chosen.items() if name in raw.names and src != name}
        return {*read, *shadowed, *([run] if run else [])}

    return skip


def read_as(columns: Mapping[str, str] | None) -> Callable[[RawTable], dict[str, str]]:
    """Each column of a sweep's source read under another name and that name
    (``{"corpus_name": "dataset"}`` for ``--map dataset=corpus_name``, ``{"N": "params"}``
    for a column ``N`` of sizes): ``where`` names it so, as ``fit --where`` does
    (``params>=4e8``), and by its own name too."""

    def named(raw: RawTable) -> dict[str, str]:
        _, chosen = mapped_columns(raw, columns)
        return {src: name for name, src in chosen.items() if src != name}

    return named
