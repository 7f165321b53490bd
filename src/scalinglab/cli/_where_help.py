"""The sentences ``--where``'s help shares across commands: a comparison of a number
column, and what it means on a ``%`` column and on a ``--store``."""

from __future__ import annotations

__all__ = ["WHERE_COMPARE", "WHERE_PERCENT", "WHERE_STORE"]

WHERE_COMPARE = (  # --where on a number column, in the grammar of backtest's --holdout
    "Or compare a number column: COLUMN OP NUMBER, OP one of >= > <= < == != and units "
    "allowed ('params>=2e7', 'seq_len==2048', 'params<1.5B'; quote it in the shell)."
)

WHERE_STORE = (  # what --where selects of a --store, in the help of each command with one
    "Of a --store, the finished runs among those `scalinglab runs --where` lists (a fit reads "
    "finished runs): any value of a run's config (train.lr=0.003), lr, batch, source; params= "
    "is the total parameter count `runs` shows, params_non_embedding= the N a ladder's runs "
    "are fitted on."
)
WHERE_PERCENT = (  # --where on a % column, alike in every command
    "A column written with % is read as fractions, so give its value with % (data_frac=45%, "
    "alike 45.0%: the fraction 0.45); a bare 0.45 or 45 is refused."
)
