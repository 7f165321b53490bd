"""A sweep's sequence-length column (``seq_len``, ``context_length``, ``block_size``...): the
tokens per sequence that turn a batch in sequences into one in tokens, read as ``--seq-len``
would give it where the file holds one value, and refused where it holds several and the batch
needs one (a B* in tokens of mixed lengths would be no one's). ``--seq-len`` wins over the
column, which a note then says; ``--map seq_len=COLUMN`` names a column of another name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g, join_more
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key
from scalinglab.data._hparam_names import SEQ_LEN_ALIASES
from scalinglab.hparams._batch_unit import batch_in_tokens
from scalinglab.hparams._sweep_columns import numbers

__all__ = ["batch_with_seq_len"]

Array = NDArray[np.float64]

#: How a refusal names the ways to read another column or give the length.
_MAP = "--map seq_len="


@dataclass(frozen=True)
class _Column:
    """A sweep's sequence-length column.

    Attributes:
        name: The column as the source names it.
        lengths: Its distinct lengths, ascending, and how many runs hold each.
    """

    name: str
    lengths: tuple[tuple[int, int], ...]

    def listed(self) -> str:
        """``2048 in 576 runs, 4096 in 576 runs``; a single length alone: ``2048``."""
        if len(self.lengths) == 1:
            return str(self.lengths[0][0])
        return join_more([f"{v} in {n} run{'s' * (n != 1)}" for v, n in self.lengths])


def _column(table: RunTable, mapped: str | None) -> _Column | None:
    """The sequence-length column, by its usual names (or as ``--map seq_len=`` read it:
    ``mapped``, its name in the source); ``None`` where there is none, or its cells are all
    blank.

    Raises:
        DataError: Two columns by those names, or a length that is not a positive whole
            number, naming the column and the row.
    """
    key = {column_key(name): name for name in (*table.columns, *table.labels)}
    found = [key[a] for a in SEQ_LEN_ALIASES if a in key]
    named = [mapped if mapped and c == "seq_len" else table.origins.get(c, c) for c in found]
    if len(found) > 1:
        raise DataError(
            f"columns {', '.join(map(repr, named))} could each be the sequence length; which "
            "one is it?",
            source=table.source,
            hint=f"say which: {_MAP}COLUMN, or give the length: --seq-len TOKENS",
        )
    if not found:
        return None
    values = numbers(table, found[0], _MAP)
    kept = np.flatnonzero(np.isfinite(values))  # a blank cell says nothing of the length
    bad = kept[(values[kept] < 1) | (values[kept] != np.round(values[kept]))]
    if len(bad):
        i = int(bad[0])
        raise DataError(
            f"sequence length {format_g(values[i])} for run {table.runs[i]!r}; a sequence "
            "length is a positive whole number of tokens",
            source=table.source,
            row=table.rows[i],
            column=named[0],
            hint="fix the value, or give the length the runs used: --seq-len TOKENS",
        )
    if not len(kept):
        return None
    lengths, counts = np.unique(values[kept].astype(np.int64), return_counts=True)
    return _Column(named[0], tuple((int(v), int(n)) for v, n in zip(lengths, counts, strict=True)))


def batch_with_seq_len(
    table: RunTable,
    column: str,
    values: Array,
    *,
    batch_unit: str | None,
    seq_len: int | None,
    mapped: str | None = None,
) -> tuple[Array, str, int | None, list[str], list[str]]:
    """:func:`~scalinglab.hparams._batch_unit.batch_in_tokens` with the sequence length read
    from the sweep's own column where ``seq_len`` (``--seq-len``) is not given and the column
    holds one length; ``seq_len`` wins over the column, said in a note where they differ.
    ``mapped``: the source's column that ``--map seq_len=COLUMN`` read as ``seq_len``.

    Raises:
        DataError: A column of several lengths where the batch counts sequences and no
            ``seq_len`` is given, naming the lengths; a column :func:`_column` refuses.
        ConfigError: A length that contradicts ``tokens = batch x steps x seq_len``.
    """
    found = _column(table, mapped)
    if found is None or seq_len is not None:
        out = batch_in_tokens(table, column, values, batch_unit=batch_unit, seq_len=seq_len)
        if found is not None and found.lengths != ((seq_len, len(table)),):
            said = f"--seq-len {seq_len} used, not column {found.name!r} ({found.listed()})"
            out[3].append(f"{said}: --seq-len wins over the sweep's sequence-length column")
        return out
    if len(found.lengths) == 1:
        length, stated = found.lengths[0][0], f"column {found.name!r}"
        out = batch_in_tokens(
            table, column, values, batch_unit=batch_unit, seq_len=length, stated=stated
        )
        if out[1] == "tokens":  # nothing converted: the length is kept, and said
            out[3].append(f"sequences of {length} tokens: read from {stated}")
        return out
    out = batch_in_tokens(table, column, values, batch_unit=batch_unit, seq_len=None)
    if out[1] == "sequences":  # a batch in sequences of several lengths: no one B* in tokens
        raise DataError(
            f"column {found.name!r} holds {len(found.lengths)} sequence lengths, "
            f"{found.listed()}, and the batch (column {column!r}) counts sequences: a B* in "
            "tokens would mix lengths",
            source=table.source,
            column=found.name,
            hint="fit the runs of each length apart, or give the length to read them all as: "
            "--seq-len TOKENS (seq_len= in Python)",
        )
    return out
