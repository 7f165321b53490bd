"""Which unit a sweep's batch column counts, tokens or sequences, and why.

A batch in sequences is 2048x (the sequence length) a batch in tokens, so the unit is never
left implicit: ``batch_unit`` states it; otherwise it is read off the column's name
(``batch_tokens`` counts tokens, ``bs`` sequences) and, where a steps column exists, checked
against ``tokens = batch x steps x seq_len``, which also gives the sequence length (1: the
batch counts tokens). Each inference is said in a note.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key

__all__ = ["BATCH_ALIASES", "batch_in_tokens", "check_seq_len"]

Array = NDArray[np.float64]

#: Names of a batch column counted in sequences.
_BATCH_SEQUENCES = ("batch", "bs", "batch_size", "global_batch_size", "train_batch_size")
#: Names of a batch column counted in tokens.
_BATCH_TOKENS = ("batch_tokens", "tokens_per_batch", "batch_size_tokens", "global_batch_tokens")
BATCH_ALIASES = _BATCH_SEQUENCES + _BATCH_TOKENS
#: Names of a column counting optimiser steps (``ti``: the Step Law sweeps' "training iterations").
_STEPS = ("steps", "train_steps", "training_steps", "num_steps", "max_steps", "iterations", "ti")
#: A batch of this many "sequences" or more is more likely one of tokens (2^14 sequences of
#: 2048 tokens would be 33M tokens a step).
_LOOKS_LIKE_TOKENS = 16384


def check_seq_len(seq_len: object) -> int | None:
    """``seq_len`` when it is ``None`` or a positive integer, as every hparams entry point
    takes it (a fit, a prediction, a preset); else a :class:`ConfigError`."""
    if seq_len is not None and (
        isinstance(seq_len, bool) or not isinstance(seq_len, int) or seq_len < 1
    ):
        raise ConfigError(
            f"seq_len must be a positive integer, got {seq_len!r}",
            hint="the tokens per sequence, e.g. --seq-len 2048 (seq_len=2048)",
        )
    return seq_len


def _implied_seq_len(table: RunTable, batch: Array) -> tuple[int, str] | None:
    """The sequence length with ``tokens = batch x steps x seq_len`` to within 1% on every
    run (token budgets are rounded to whole steps), when there is a steps column."""
    steps_col = next((c for c in table.columns if column_key(c) in _STEPS), None)
    if steps_col is None or not table.has("tokens"):
        return None
    with np.errstate(all="ignore"):
        ratio = np.asarray(table["tokens"], dtype=np.float64) / (batch * table[steps_col])
    if not np.all(np.isfinite(ratio) & (ratio >= 0.99)):
        return None
    guess = max(round(float(np.median(ratio))), 1)
    if np.any(np.abs(ratio / guess - 1.0) > 0.01):
        return None
    return guess, steps_col


def batch_in_tokens(
    table: RunTable, column: str, values: Array, *, batch_unit: str | None, seq_len: int | None
) -> tuple[Array, str, int | None, str | None]:
    """The batch in tokens where a sequence length is known (else in sequences), its unit,
    the sequence length, and a note of what was inferred (``None`` when all was stated).

    Raises:
        ConfigError: ``batch_unit`` or ``seq_len`` contradicting ``tokens = batch x steps x
            seq_len`` on every run.
    """
    named = "tokens" if column_key(column) in _BATCH_TOKENS else "sequences"
    unit = batch_unit or named
    implied = _implied_seq_len(table, values)
    if implied is not None:
        per, steps = implied
        said = f"tokens = batch x steps{f' x {per}' if per > 1 else ''} (to 1%) on every run"
        cols = f"columns {column!r}, {steps!r}"
        if (unit == "tokens") != (per == 1) and batch_unit is not None:
            raise ConfigError(
                f"batch_unit {batch_unit!r} contradicts the runs: {said} ({cols})",
                hint="drop --batch-unit (batch_unit=): the runs say which unit the batch is in",
            )
        if per == 1:  # the batch counts tokens whatever its name
            why = None if batch_unit else f"batch in tokens: {said} ({cols})"
            return values, "tokens", seq_len, why
        if seq_len is not None and seq_len != per:
            raise ConfigError(
                f"seq_len {seq_len} contradicts the runs: {said} ({cols})",
                hint=f"drop --seq-len (seq_len=), or give {per}; B* would be off by "
                f"{seq_len / per:.3g}x",
            )
        why = None
        if seq_len is None:
            why = (
                f"batch in tokens: sequences of {per} tokens, implied by tokens = batch x "
                f"steps x seq_len (to 1%) on every run ({cols}); --seq-len states it"
            )
        return values * per, "tokens", per, why
    if unit == "tokens":
        why = None
        if batch_unit is None:
            why = (
                f"batch in tokens: column {column!r} is named as a batch in tokens; "
                "--batch-unit sequences if it counts sequences"
            )
        return values, "tokens", seq_len, why
    how = "--batch-unit" if batch_unit else "its name"
    if seq_len is not None:
        why = None
        if batch_unit is None:
            why = (
                f"batch in tokens: column {column!r} read as sequences (by its name) of "
                f"{seq_len} tokens (--seq-len); --batch-unit tokens if it counts tokens"
            )
        return values * seq_len, "tokens", seq_len, why
    why = (
        f"batch in sequences of unknown length: column {column!r} read as sequences (by "
        f"{how}; no steps column to check it against), so B* is in sequences; --seq-len "
        "gives it in tokens"
    )
    if batch_unit is None:
        why += ", --batch-unit tokens if the column counts tokens"
        if np.nanmin(values) >= _LOOKS_LIKE_TOKENS:
            why += (
                f" (its values, {np.nanmin(values):.6g} to {np.nanmax(values):.6g}, look "
                "like tokens)"
            )
    return values, "sequences", None, why
