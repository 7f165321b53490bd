"""Which run a row of a run table is, when the table names none (its runs are ``row<k>``).

A row number moves when a row above is added or removed, so such a run is known by the
values that set it up: its sizes (params, tokens, flops, non-embedding parameters), every
other number that is no measurement (lr, batch, seed, label_smoothing...) and its text
labels (dataset, optimizer), with its place among rows of the same values. Its measurements
(losses, scores, evaluations, times, by the words of their names) are left out, so a
corrected loss, score (``acc_arc``) or other evaluation (``train_ce``, ``ppl``) updates the
run instead of storing a second one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

from scalinglab.data import RunTable
from scalinglab.data._tracker_names import tracker_column
from scalinglab.ingest._scores import score_name

__all__ = ["identity_columns", "row_keys", "values_but_losses"]

#: The size columns of a run table: what a run is, by definition.
_SIZES = ("params", "tokens", "flops")
#: Words of a column name that say it measures a run (``eval_loss``, ``acc_arc``,
#: ``train_samples_per_second``, ``grad_norm``, ``memory_gb``): left out of its identity,
#: as are the scores ingest stores as evaluations (``hellaswag``, ``piqa``). Every other
#: number sets the run up (``label_smoothing``, ``rope_theta``, ``tokens_per_step``) and
#: stays in, so two rows that differ only there are never told apart by their order alone.
_MEASURE_WORDS = (
    "loss ce nll ppl perplexity bpb bpc acc accuracy score err error f1 em eval val test "
    "mmlu stderr pass1 s sec secs second seconds minutes hours time runtime duration wall "
    "throughput mfu memory gb mb grad norm"
)
_MEASURES = frozenset(_MEASURE_WORDS.split())


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if w} | {
        re.sub(r"[^a-z0-9]", "", name.lower())
    }


def _measured(name: str) -> bool:
    """Whether a column measures a run: by its words, or as a score ingest stores."""
    return bool(_words(name) & _MEASURES) or score_name(name) is not None


def identity_columns(table: RunTable) -> tuple[str, ...]:
    """The columns that say which run a row is: sizes, hyperparameters, text labels."""
    numbers = list(table.columns)
    sizes = {*_SIZES, tracker_column(numbers, "params_non_embedding")}
    hparams = {tracker_column(numbers, "lr"), tracker_column(numbers, "batch")}
    chosen = [c for c in numbers if c in sizes or c in hparams or not _measured(c)]
    return (*chosen, *table.labels)


def values_but_losses(table: RunTable) -> tuple[str, ...]:
    """The columns an earlier version keyed such rows by: all but those named ``*loss*``
    (a corrected score then stored a second run)."""
    return tuple(c for c in (*table.columns, *table.labels) if "loss" not in c.lower())


def row_keys(table: RunTable, columns: Sequence[str]) -> list[str | None]:
    """The identity of each run named by its row: its values in ``columns`` and its place
    among rows of the same values; ``None`` for a run the table names."""
    seen: Counter[str] = Counter()
    out: list[str | None] = []
    for k, (name, row) in enumerate(zip(table.runs, table.rows, strict=True)):
        if name != f"row{row:d}":
            out.append(None)
            continue
        values = {
            c: repr(float(table.columns[c][k])) if c in table.columns else table.labels[c][k]
            for c in columns
        }
        text = json.dumps(values, sort_keys=True)
        seen[text] += 1
        out.append(f"{text}#{seen[text]}")
    return out
