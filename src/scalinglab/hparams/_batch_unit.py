"""Which unit a sweep's batch column counts, tokens or sequences, and why.

A batch in sequences is 2048x (the sequence length) a batch in tokens, so the unit is never
left implicit: ``batch_unit`` states it; otherwise it is read off the column's name
(``batch_tokens`` counts tokens, ``bs`` sequences) and, where a steps column exists, checked
against ``tokens = batch x steps x seq_len``, which also gives the sequence length (1: the
batch counts tokens) where a clear majority of the runs keeps one: the runs that break it are
named in a warning. Each inference is said in a note, with why none could be made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import did_you_mean
from scalinglab._format import format_count, format_g, join_more
from scalinglab._option_words import spelled_error
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key
from scalinglab.data._hparam_names import BATCH_ALIASES
from scalinglab.data._hparam_names import BATCH_TOKENS as _BATCH_TOKENS

__all__ = ["BATCH_ALIASES", "batch_in_tokens", "check_batch_unit", "check_seq_len", "seq_len_note"]

Array = NDArray[np.float64]

#: Where a ``seq_len`` the caller gave comes from, as the notes say it: the option and the
#: keyword both, as other hparams messages name them, since a note cannot tell which was used.
_GIVEN = "--seq-len, seq_len= in Python"
#: Names of a column counting optimiser steps (``ti``: the Step Law sweeps' "training iterations").
_STEPS = ("steps", "train_steps", "training_steps", "num_steps", "max_steps", "iterations", "ti")
#: A batch of this many "sequences" or more is more likely one of tokens (2^14 sequences of
#: 2048 tokens would be 33M tokens a step).
_LOOKS_LIKE_TOKENS = 16384
#: The share of runs that must keep ``tokens = batch x steps x seq_len`` for one sequence
#: length to be read off them (the others named in a warning): a typo in a run or two must
#: not hide what the rest say, and two lengths mixed near half and half imply neither.
_MAJORITY = 0.9


def check_batch_unit(batch_unit: str | None) -> None:
    """Refuse a ``batch_unit`` other than ``None``, ``"sequences"`` or ``"tokens"``, naming
    ``batch_unit`` (``--batch-unit`` on the command line: :mod:`scalinglab._option_words`)."""
    if batch_unit not in (None, "sequences", "tokens"):
        near = did_you_mean(batch_unit, ("sequences", "tokens"))
        raise spelled_error(lambda s: (
            f"{s('batch_unit')} must be 'sequences' or 'tokens', got {batch_unit!r}{near}",
            "tokens: the batch column counts tokens per step; sequences: sequences per "
            f"step, times {s('seq_len', '')}",
        ))  # fmt: skip


def check_seq_len(seq_len: object) -> int | None:
    """``seq_len`` when it is ``None`` or a positive integer, as every hparams entry point
    takes it (a fit, a prediction, a preset); else a :class:`ConfigError` naming it."""
    if seq_len is not None and (
        isinstance(seq_len, bool) or not isinstance(seq_len, int) or seq_len < 1
    ):
        raise spelled_error(lambda s: (
            f"{s('seq_len')} must be a positive integer, got {seq_len!r}",
            f"the tokens per sequence, e.g. {s('seq_len', 2048)}",
        ))  # fmt: skip
    return seq_len


@dataclass(frozen=True)
class _Implied:
    """What ``tokens = batch x steps x seq_len`` says of a sweep's runs.

    Attributes:
        per: The sequence length a clear majority of the runs keeps (1: the batch counts
            tokens).
        steps: The steps column.
        off: Indices of the runs that break it (none when every run keeps it).
        ratio: ``tokens / (batch x steps)`` of each run.
    """

    per: int
    steps: str
    off: NDArray[np.int64]
    ratio: Array

    def kept(self) -> str:
        """The runs that keep it: ``every run``, or ``971 of 972 runs``."""
        n = len(self.ratio)
        return f"{n - len(self.off)} of {n} runs" if len(self.off) else "every run"

    def said(self) -> str:
        """The relation as a note states it, with the runs that keep it."""
        times = f" x {self.per}" if self.per > 1 else ""
        return f"tokens = batch x steps{times} (to 1%) on {self.kept()}"


def _implied_seq_len(table: RunTable, batch: Array) -> _Implied | str:
    """The sequence length with ``tokens = batch x steps x seq_len`` to within 1% (token
    budgets are rounded to whole steps) on a clear majority of the runs (a typo in one
    run's batch must not hide what the others say), or why none is implied."""
    steps_col = next((c for c in table.columns if column_key(c) in _STEPS), None)
    if steps_col is None or not table.has("tokens"):
        return f"no {'steps' if steps_col is None else 'tokens'} column to check it against"
    with np.errstate(all="ignore"):
        ratio = np.asarray(table["tokens"], dtype=np.float64) / (batch * table[steps_col])
    fine = np.isfinite(ratio) & (ratio >= 0.99)
    guess = max(round(float(np.median(ratio[fine]))), 1) if fine.any() else 1
    keeps = fine & (np.abs(ratio / guess - 1.0) <= 0.01)
    if keeps.mean() < _MAJORITY:
        lo, hi = np.nanmin(ratio), np.nanmax(ratio)
        return (
            f"the {steps_col!r} column implies no one sequence length: tokens / (batch x "
            f"steps) is {format_g(lo, 3)} to {format_g(hi, 3)} over the runs"
        )
    return _Implied(guess, steps_col, np.flatnonzero(~keeps), ratio)


def _broken(table: RunTable, column: str, implied: _Implied) -> list[str]:
    """The warning naming the runs that break ``tokens = batch x steps x seq_len`` (none
    where every run keeps it)."""
    off, per = implied.off, implied.per
    if not len(off):
        return []
    rule = f"tokens = batch x steps{f' x {per}' if per > 1 else ''}"
    cols = f"columns {column!r}, {implied.steps!r}, {table.origins.get('tokens', 'tokens')!r}"
    others = f"which the other {len(implied.ratio) - len(off)} runs keep ({cols})"
    if len(off) == 1:
        i = int(off[0])
        return [
            f"row {table.rows[i]} breaks {rule}, {others}: tokens / (batch x "
            f"steps) is {format_g(implied.ratio[i], 4)} there, not {per}; a typo in one of those "
            "columns? the run is kept, its batch read as written"
        ]
    shown = join_more([f"{table.rows[i]} ({format_g(implied.ratio[i], 4)})" for i in off])
    return [
        f"{len(off)} runs break {rule}, {others}: rows {shown}, tokens / (batch x "
        "steps) in brackets; typos in those columns? the runs are kept, their batch read as "
        "written"
    ]


def batch_in_tokens(
    table: RunTable,
    column: str,
    values: Array,
    *,
    batch_unit: str | None,
    seq_len: int | None,
    stated: str = _GIVEN,
) -> tuple[Array, str, int | None, list[str], list[str]]:
    """The batch in tokens where a sequence length is known (else in sequences), what the
    column counts (``"tokens"`` or ``"sequences"``, stated or inferred), the sequence length,
    the notes of what was inferred and of a conversion (once: a batch multiplied by the
    sequence length is said, even where all was stated), and the warning naming the runs
    that break ``tokens = batch x steps x seq_len`` (none where no steps column implies one).
    ``stated``: where ``seq_len`` comes from, as the notes say it (``"column 'ctx_len'"``;
    by default :data:`_GIVEN`, the option and the keyword).

    Raises:
        ConfigError: ``batch_unit`` or ``seq_len`` contradicting ``tokens = batch x steps x
            seq_len`` on a clear majority of the runs (named by their flags on the command
            line: :mod:`scalinglab._option_words`).
    """
    named = "tokens" if column_key(column) in _BATCH_TOKENS else "sequences"
    unit = batch_unit or named
    implied = _implied_seq_len(table, values)
    if isinstance(implied, _Implied):
        per, said, warned = implied.per, implied.said(), _broken(table, column, implied)
        cols = f"columns {column!r}, {implied.steps!r}"
        if (unit == "tokens") != (per == 1) and batch_unit is not None:
            raise spelled_error(lambda s: (
                f"{s('batch_unit')} {batch_unit!r} contradicts the runs: {said} ({cols})",
                f"drop {s('batch_unit', '')}: the runs say which unit the batch is in",
            ))  # fmt: skip
        if per == 1:  # the batch counts tokens whatever its name
            why = [] if batch_unit else [f"batch in tokens: {said} ({cols})"]
            return values, "tokens", seq_len, why, warned
        if seq_len is not None and seq_len != per:
            off = f"B* would be off by {format_g(seq_len / per, 3)}x"
            by_option = stated == _GIVEN  # else a column's (stated names it)
            raise spelled_error(lambda s: (
                f"{s('seq_len') if by_option else stated} {seq_len} contradicts the runs: "
                f"{said} ({cols})",
                f"drop {s('seq_len', '')}, or give {s('seq_len', per)}; {off}"
                if by_option
                else f"fix the column, or give the runs' length: {s('seq_len', per)}; {off}",
            ))  # fmt: skip
        if seq_len is None:
            why = [
                f"batch in tokens: sequences of {per} tokens, implied by tokens = batch x "
                f"steps x seq_len (to 1%) on {implied.kept()} ({cols}); --seq-len states it"
            ]
        else:  # stated and confirmed: the conversion said all the same, as --batch-unit says
            why = [
                f"batch in tokens: column {column!r} read as sequences of {per} tokens "
                f"({stated}), as {said} ({cols}) confirms"
            ]
        return values * per, "sequences", per, why, warned
    if unit == "tokens":
        why = []
        if batch_unit is None:
            why = [
                f"batch in tokens: column {column!r} is named as a batch in tokens; "
                "--batch-unit sequences if it counts sequences"
            ]
        return values, "tokens", seq_len, why, []
    how = "--batch-unit" if batch_unit else "its name"
    if seq_len is not None:  # the conversion said, however the unit was known
        note = (
            f"batch in tokens: column {column!r} read as sequences (by {how}) of {seq_len} "
            f"tokens ({stated})"
        )
        note += "" if batch_unit else "; --batch-unit tokens if it counts tokens"
        return values * seq_len, "sequences", seq_len, [note], []
    note = (
        f"batch in sequences of unknown length: column {column!r} read as sequences (by "
        f"{how}; {implied}), so B* is in sequences; --seq-len gives it in tokens"
    )
    if batch_unit is None:
        note += ", --batch-unit tokens if the column counts tokens"
        if np.nanmin(values) >= _LOOKS_LIKE_TOKENS:
            note += (
                # as the cells' B* are written (202K), not to 6 digits (1.04858e6)
                f" (its values, {format_count(np.nanmin(values))} to "
                f"{format_count(np.nanmax(values))}, look like tokens)"
            )
    return values, "sequences", None, [note], []


def seq_len_note(unit: str, swept: int | None, given: int | None) -> str | None:
    """What a prediction's ``seq_len`` assumes where it is not the sweep's own: B* in
    tokens converted to sequences of another length, or the sweep's sequences of unknown
    length read as of ``given`` tokens; ``None`` where it assumes nothing.

    Args:
        unit: The fit's batch unit (``"tokens"`` or ``"sequences"``).
        swept: The sweep's sequence length (``None``: not known).
        given: The length the prediction was asked in.
    """
    if given is None or given == swept:
        return None
    if unit == "sequences":  # B* is in sequences of unknown length: tokens read through given
        return (
            f"B* in tokens reads the sweep's sequences (of a length it does not record) as "
            f"{given}-token sequences (--seq-len, seq_len=): right only if its runs used those"
        )
    if swept is None:
        return None  # B* is in tokens and the sweep's length unknown: a plain conversion
    return (
        f"the sweep ran at {swept}-token sequences; B* converted to {given}-token sequences "
        f"(its B* in tokens over {given}) assumes that the optimal batch in tokens, and lr*, "
        "do not depend on the sequence length"
    )
