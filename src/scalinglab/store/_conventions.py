"""What a store's run table says its N and FLOPs are, for a fit's conventions: the exact
FLOPs a ladder rung counted, an ingested source's, or 6·N·D; N as the stored count chosen,
or, for runs ingested from a table, as reading that table says it (the column its N was
read from is kept in each run's extra: a column ``N`` says nothing of embeddings, and the
store does not claim total parameters for it)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from scalinglab._format import format_counted, format_g
from scalinglab.data._params_words import params_words
from scalinglab.store._params_count import PARAMS_COUNTS
from scalinglab.store._record import PARAMS_COLUMN

__all__ = ["flops_convention", "loss_convention", "params_convention"]


def flops_convention(frame: pd.DataFrame, params: str) -> str:
    """What the stored runs' FLOPs are: the exact counts a ladder rung records (its
    ``flops``, beside ``flops_6nd``), what an ingested source gave, or 6·N·D (with N the
    count ``params`` names) where a source gave none; ``""`` with none of these."""
    given = frame["flops"].notna().to_numpy()
    derived = int((~given & frame["flops_6nd"].notna().to_numpy()).sum())
    sources = frame["source"].fillna("").astype(str)
    ladder = sources.str.startswith("ladder:").to_numpy() & given
    other = int((given & ~ladder).sum())
    parts = []
    if ladder.any():
        text = (
            "exact matmul FLOPs of training (forward + backward, Hoffmann et al. 2022 App. F), "
            "counted by the ladder trainer from each rung's model shape"
        )
        # the ratio the fit's flops note gives: flops / 6·N·D, N the count the fit reads
        six = 6.0 * frame[params].astype(np.float64) * frame["tokens"].astype(np.float64)
        ratio = (frame["flops"] / six)[ladder].dropna().to_numpy(np.float64)
        if len(ratio):
            span = (
                f"{format_g(ratio.min(), 3)}–{format_g(ratio.max(), 3)}×"
                if ratio.max() > ratio.min() * 1.01
                else (f"{format_g(ratio.min(), 3)}×")
            )
            text += f"; they are {span} 6·N·D with N = {params} ({PARAMS_COUNTS[params]})"
        mixed = other or derived
        parts.append(
            text + (f" ({format_counted(int(ladder.sum()), 'ladder run')})" if mixed else "")
        )
    if other:
        parts.append(
            f"as given by the ingested source, counted as it did ({format_counted(other, 'run')})"
        )
    if derived:
        text = "C = 6·N·D, computed from params and tokens (the source gave no FLOPs)"
        parts.append(text + (f" ({format_counted(derived, 'run')})" if parts else ""))
    return "; ".join(parts)


def _read_from(extra: str | None) -> str | None:
    """The column an ingested table's N was read from, as the run's extra keeps it."""
    column = (json.loads(extra) if extra else {}).get(PARAMS_COLUMN)
    return column if isinstance(column, str) else None


def params_convention(frame: pd.DataFrame, params: str) -> tuple[str, str | None]:
    """Which parameters N (the stored count ``params``) counts, in words for the fit's
    conventions, and for its reading note (``None``: the stored count's own words).

    N read from ``params`` of runs ingested from a table is said as reading the table
    says it (``as given in column 'N' (with or without embeddings: not recorded)``); of
    other runs (a ladder rung's, a tracker's) as the stored count (``params: total
    parameters, as stored``); runs said differently are each counted.
    """
    stored = f"{params}: {PARAMS_COUNTS[params]}, as stored"
    if params != "params":
        return stored, None
    read = [_read_from(text) for text in frame["extra"]]
    words = [stored if column is None else params_words(column) for column in read]
    kinds = dict.fromkeys(words)
    if len(kinds) == 1:
        said = words[0] if words else stored
        return said, (None if said == stored else said)
    counted = "; ".join(f"{kind} ({format_counted(words.count(kind), 'run')})" for kind in kinds)
    return counted, counted


def loss_convention(frame: pd.DataFrame) -> str:
    """Where the stored runs' loss came from, as ingest recorded it in each run's extra
    (``ingested from the mlflow metric 'eval/loss'``); ``""`` where no run records it (a
    ladder rung's own loss, runs put by the Python API)."""
    said: dict[str, int] = {}
    for text in frame["extra"].fillna(""):
        extra = json.loads(text) if text else {}
        metric = (extra.get("mapping") or {}).get("loss") if isinstance(extra, dict) else None
        if metric:
            kind = extra.get("ingested_from") or "source"
            key = f"the {kind} {'column' if kind == 'table' else 'metric'} {metric!r}"
            said[key] = said.get(key, 0) + 1
    if not said:
        return ""
    if len(said) == 1 and sum(said.values()) == len(frame):
        return f"ingested from {next(iter(said))}"
    parts = [f"{k} ({format_counted(n, 'run')})" for k, n in said.items()]
    return f"ingested from {', '.join(parts)}"
