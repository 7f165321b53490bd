"""Which stored parameter count is a store's N: total (``params``) or non-embedding
(``params_non_embedding``). One choice, made here, for every reader of a store's runs
(``fit --store``'s run table and ``curves fit --store``'s curves), so a law's N means
the same whichever command fitted it."""

from __future__ import annotations

import pandas as pd

__all__ = ["PARAMS_COUNTS", "default_params", "params_said"]

#: Which stored count a fit reads as N, by the name ``to_run_table(params=...)`` and
#: ``--x N=...`` give it, in words for the note and the fit's conventions.
PARAMS_COUNTS = {
    "params": "total parameters",
    "params_non_embedding": "non-embedding parameters",
}


def default_params(frame: pd.DataFrame) -> str:
    """The N a store's runs are fitted on by default: ``params_non_embedding`` when every
    run is a ladder rung (the ladder sizes its rungs, D/N and 6·N·D by it), else ``params``."""
    ladder = frame["source"].fillna("").astype(str).str.startswith("ladder:")
    known = frame["params_non_embedding"].notna()
    return "params_non_embedding" if len(frame) and bool((ladder & known).all()) else "params"


def params_said(chosen: str, *, given: bool, words: str | None = None) -> str:
    """``N = params_non_embedding: non-embedding parameters, the convention ...``: which
    count N is and why, for a reader's note (the option that picks the other follows it);
    ``words`` say what it counts in place of the stored count's (an ingested table's N:
    ``as given in column 'N' ...``)."""
    why = ", as asked" if given else ""
    if chosen == "params_non_embedding" and not given:
        why = ", the convention the ladder planned its rungs in (tokens/param, 6·N·D)"
    return f"N = {chosen}: {words or PARAMS_COUNTS[chosen]}{why}"
