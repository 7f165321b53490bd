"""The columns of a store's run table beside its sizes and loss: each run's numeric ``extra``
values as covariates, the text of its config as labels, and, for a hyperparameter sweep,
its learning rate and batch from its config where its extra holds none.

An ingested sweep keeps its lr and batch columns in each run's extra (``lr``, ``bs``), so
they are covariates already; a ladder rung keeps them in its config's ``train`` section
(``train.lr``, ``train.batch_size`` in sequences of ``model.context`` tokens), which no
other table reads as a column. A sweep reads them as ``lr`` and ``batch_tokens``: the batch
in tokens, so that B* is in tokens as a ladder's ``--hparams`` needs it, whatever the
rungs' context. A loss law's table reads them too where they make the runs a sweep (a
ladder's lr sweep: several lrs at one size and budget), so that its fit warns of the poor
runs mixed in and ``--best-per-cell`` keeps each cell's best; an ordinary ladder's lr, one
per rung, is no column of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from scalinglab._format import format_counted
from scalinglab.data._column_names import column_key

__all__ = ["CONFIG_SAID", "config_notes", "config_sweep", "covariates", "sweep_columns", "texts"]

#: What a note on the lr and batch read from the runs' config says: a sweep says it too.
CONFIG_SAID = "read from their config, which their extra lacks"
#: The sizes and loss a store keeps in its own columns, never a covariate.
_RESERVED = frozenset({"run", "params", "tokens", "flops", "loss"})


def _loads(texts: Iterable[Any]) -> list[dict[str, Any]]:
    return [json.loads(text) if text else {} for text in texts]


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def covariates(frame: pd.DataFrame) -> dict[str, list[float]]:
    """The numeric values of the runs' ``extra`` by name, NaN where a run has none."""
    extras = _loads(frame["extra"])
    names = sorted({k for e in extras for k, v in e.items() if isinstance(v, int | float)})
    return {
        name: [float(e[name]) if isinstance(e.get(name), int | float) else np.nan for e in extras]
        for name in names
        if name not in _RESERVED
    }


def texts(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Text values of the runs' config (``dataset``, ``optimizer``), by name: the text
    columns of a run table, so ``--where`` selects on them and pooled corpora are seen."""
    configs = _loads(frame["config"])
    names = sorted({k for c in configs for k, v in c.items() if isinstance(v, str)})
    return {name: [str(c.get(name, "")) for c in configs] for name in names}


def _has(extra: Mapping[str, Any], aliases: Sequence[str]) -> bool:
    """Whether ``extra`` holds a number under one of a sweep's names for it."""
    return any(column_key(str(k)) in aliases and _number(v) for k, v in extra.items())


def _section(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    part = config.get(name)
    return part if isinstance(part, Mapping) else {}


def sweep_columns(frame: pd.DataFrame) -> tuple[dict[str, list[float]], tuple[str, ...]]:
    """Each run's learning rate (``lr``: its config's ``train.lr``) and batch in tokens
    (``batch_tokens``: ``train.batch_size`` sequences × ``model.context`` tokens), where
    its extra holds no learning rate, or no batch, by a name a sweep reads (a ladder rung's
    config keeps them; an ingested table's extra does); NaN for the other runs. With the
    note that says so, for the runs read so (none: no note).
    """
    from scalinglab.data._hparam_names import BATCH_ALIASES, LR_ALIASES

    extras, configs = _loads(frame["extra"]), _loads(frame["config"])
    lr, batch = [np.nan] * len(frame), [np.nan] * len(frame)
    for i, (extra, config) in enumerate(zip(extras, configs, strict=True)):
        train, model = _section(config, "train"), _section(config, "model")
        if not _has(extra, LR_ALIASES) and _number(train.get("lr")):
            lr[i] = float(train["lr"])
        size, context = train.get("batch_size"), model.get("context")
        if not _has(extra, BATCH_ALIASES) and _number(size) and _number(context):
            batch[i] = float(size) * float(context)
    out = {name: v for name, v in (("lr", lr), ("batch_tokens", batch)) if not np.isnan(v).all()}
    if not out:
        return {}, ()
    read = {"lr": "lr = train.lr", "batch_tokens": "batch_tokens = train.batch_size × "
            "model.context, the batch in tokens (each run's sequences are its context long)"}  # fmt: skip
    counts = {name: int((~np.isnan(v)).sum()) for name, v in out.items()}
    which = (
        f"{' and '.join(out)} of {format_counted(counts['lr'], 'run')}"
        if len(set(counts.values())) == 1 and len(out) == 2
        else " and ".join(f"{name} of {format_counted(n, 'run')}" for name, n in counts.items())
    )
    said = "; ".join(read[name] for name in out)
    return out, (f"{which} {CONFIG_SAID}: {said}",)


def config_sweep(
    frame: pd.DataFrame, sizes: Mapping[str, Sequence[float]]
) -> tuple[dict[str, list[float]], tuple[str, ...]]:
    """:func:`sweep_columns` of the runs of ``frame`` where their config's lrs make them a
    learning-rate sweep at the ``sizes`` read (``params`` and ``tokens``, a row a run), as
    :func:`~scalinglab.data._sweep_looks.sweep_shape` tells one; else none."""
    from scalinglab.data._sweep_looks import sweep_shape

    columns, said = sweep_columns(frame)
    if "lr" not in columns:
        return {}, ()
    cells = {**sizes, "lr": columns["lr"]}
    return (columns, said) if sweep_shape(cells, list(sizes)) else ({}, ())


def config_notes(notes: Iterable[str]) -> tuple[str, ...]:
    """The notes of :func:`sweep_columns` among a table's ``notes``: a sweep says them."""
    return tuple(n for n in notes if CONFIG_SAID in n)
