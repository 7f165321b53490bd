"""The names a sweep's hyperparameter columns go by: read by ``hparams`` and by every reader
that tells a sweep by its columns (``fit``'s sweep warning, a store's run table, the
evaluation readers' "looks like" check). Plain tuples, so that a ``fit`` can ask whether its
runs look like a sweep without loading ``scalinglab.hparams`` (and pandas)."""

from __future__ import annotations

__all__ = ["BATCH_ALIASES", "BATCH_SEQUENCES", "BATCH_TOKENS", "LR_ALIASES", "SEQ_LEN_ALIASES"]

#: Names a peak learning-rate column goes by (lower-cased, spaces read as underscores).
LR_ALIASES = ("lr", "learning_rate", "peak_lr", "max_lr", "lr_peak", "peak_learning_rate")
#: Names of a batch column counted in sequences.
BATCH_SEQUENCES = ("batch", "bs", "batch_size", "global_batch_size", "train_batch_size")
#: Names of a batch column counted in tokens.
BATCH_TOKENS = ("batch_tokens", "tokens_per_batch", "batch_size_tokens", "global_batch_tokens")
BATCH_ALIASES = BATCH_SEQUENCES + BATCH_TOKENS
#: Names of a column of tokens per sequence, which converts a batch in sequences into tokens.
SEQ_LEN_ALIASES = (
    "seq_len", "sequence_length", "seq_length", "context_length", "ctx_len", "block_size",
)  # fmt: skip
