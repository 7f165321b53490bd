"""The names trackers give each run-table quantity (``eval/loss``, ``model.n_params``), and
how a name is matched to them: one table, read by ``ingest`` from a tracker's metrics and
config, and by :func:`read_runs` from a table's columns when its own aliases find none (a
W&B run table exported as CSV), so both read one file alike.

Names match exactly, then ignoring case and the separators ``/ . - _`` and spaces, then (for
sizes only, never for losses) by their last component, so that a nested ``model.n_params`` is
found as ``n_params``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from scalinglab._format import format_counted, join_more
from scalinglab.data._column_names import RUN_COLUMNS, column_key, long_run_column
from scalinglab.data._perplexity import is_perplexity_name
from scalinglab.data._plain_numbers import is_loss_name

__all__ = [
    "DEFAULT_NAMES",
    "ending_in",
    "find_name",
    "loss_columns",
    "loss_hint",
    "tracker_column",
]

#: The loss options whose ``COLUMN`` is the loss column itself, filled in where one column
#: alone is named as a loss (others, ``y=COLUMN, the column the fit fitted ...``, are not).
_COLUMN_OPTIONS = ("--y loss=COLUMN", "y=COLUMN", "--map loss=COLUMN")
#: Each command line's loss option as the Python call behind that command takes it: ``--y``
#: is ``fit``'s ``y=``, ``--map loss=`` ``ingest``'s ``mapping=`` (the one command reading a
#: run table that names its loss so), ``--x`` ``fit_loss_to_loss``'s ``x=``, ``--via``
#: ``fit_downstream``'s ``loss=``; ``{}`` is the column.
_PYTHON = {
    "--y loss=COLUMN": "y={}",
    "--map loss=COLUMN": "mapping={{'loss': {}}}",
    "--x COLUMN": "x={}",
    "--via COLUMN": "loss={}",
}


#: Quantities ``--map`` sets, and the names tried for each when it does not.
DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = {
    "params": (
        "params",
        "n_params",
        "num_params",
        "nparams",
        "parameters",
        "num_parameters",
        "n_parameters",
        "model_params",
        "model_size",
        "total_params",
    ),
    "params_non_embedding": (
        "params_non_embedding",
        "non_embedding_params",
        "n_params_non_embedding",
        "num_params_non_embedding",
        "params_no_embed",  # Gadre et al. 2024's table (open_lm)
        "params_no_embedding",
        "non_embedding_parameters",
    ),
    "tokens": (
        "tokens",
        "n_tokens",
        "num_tokens",
        "tokens_seen",
        "training_tokens",
        "train_tokens",
        "total_tokens",
    ),
    "flops": ("flops", "compute", "training_flops", "train_flops", "total_flops", "flop"),
    "loss": (
        "eval_loss",
        "val_loss",
        "validation_loss",
        "valid_loss",
        "loss_eval",
        "loss_val",
        "test_loss",
        "final_loss",
        "loss",
        "validation/epoch_loss",  # Keras's TensorBoard logs (a run's validation/ folder)
    ),
    "train_loss": ("train_loss", "training_loss", "loss_train", "train/epoch_loss"),
    # train/learning_rate: what the Hugging Face Trainer logs to W&B (the curve readers' too)
    "lr": (
        "lr",
        "learning_rate",
        "train_lr",
        "train/learning_rate",
        "optimizer_lr",
        "peak_lr",
        "max_lr",
        "train/epoch_learning_rate",  # Keras's TensorBoard logs: the schedule
    ),
    "batch": ("batch_size", "global_batch_size", "train_batch_size", "bs", "batch"),
}
#: Quantities that are sizes: matched by their last component too.
_SIZES = ("params", "params_non_embedding", "tokens", "flops")


#: A tracker's export of runs read as a table (W&B's API as JSON): its nested objects are
#: columns ``config.…`` and ``summary.…`` (:func:`~scalinglab.data._json.flat_record`).
_EXPORT_KEYS = ("config.", "summary.")


def _norm(name: str) -> str:
    return re.sub(r"[\s./\\\-_]+", "_", name.strip().lower()).strip("_")


def _last(name: str) -> str:
    return re.split(r"[./\\]", name.strip())[-1].lower()


def ending_in(wanted: str, names: Sequence[str]) -> list[str]:
    """The names of ``names`` whose last component is ``wanted`` (``optim.lr``, ``sched/lr``
    for ``lr``), as :func:`find_name` matches them ``by_last``."""
    return [n for n in names if _last(n) == _norm(wanted)]


def find_name(wanted: str, names: Sequence[str], *, by_last: bool) -> str | None:
    """The name in ``names`` that ``wanted`` means, or ``None`` (also when it is ambiguous)."""
    if wanted in names:
        return wanted
    key = _norm(wanted)
    matches = [n for n in names if _norm(n) == key]
    if len(matches) == 1:
        return matches[0]
    if by_last and not matches:
        matches = ending_in(wanted, names)
        if len(matches) == 1:
            return matches[0]
    return None


def tracker_column(names: Sequence[str], target: str) -> str | None:
    """The column of ``names`` a tracker's name for ``target`` picks, as ``ingest`` picks it:
    the first of :data:`DEFAULT_NAMES` found; for the loss, a training loss when there is no
    other (``train/loss``); ``None`` when none is there."""
    tried = DEFAULT_NAMES[target] + (DEFAULT_NAMES["train_loss"] if target == "loss" else ())
    # a tracker's export read as a table: its summary's metrics as ingest names them
    # (summary.eval/loss is eval/loss), a loss included (by_last is for sizes alone)
    summary = {n.removeprefix(_EXPORT_KEYS[1]): n for n in names if n.startswith(_EXPORT_KEYS[1])}
    for candidate in tried:
        found = find_name(candidate, names, by_last=target in _SIZES)
        if found is None and summary:
            inner = find_name(candidate, list(summary), by_last=target in _SIZES)
            found = summary[inner] if inner is not None else None
        if found is not None:
            return found
    return None


def loss_columns(names: Sequence[str]) -> str | None:
    """The columns of ``names`` named as losses (:func:`is_loss_name`: ``loss_c4_val``,
    ``val_loss``), in words (``"2 columns named as losses: 'loss_a', 'loss_b'"``), for a
    table without a ``loss`` column; ``None`` where there is none."""
    losses = [repr(n) for n in names if is_loss_name(n)]
    if not losses:
        return None
    return f"{format_counted(len(losses), 'column')} named as losses: {join_more(losses)}"


def loss_hint(
    names: Sequence[str], source: str, loss_option: str, *, run: str | None = None
) -> str:
    """The hint of a table with no loss column: say which column holds it (``loss_option``,
    ``--y loss=COLUMN``), naming the column of a tracker's summary whose name is a loss's
    (``summary.eval/loss``) where there is one; for a tracker's export (a JSON array of
    runs with ``config`` and ``summary``, which ``ingest`` reads as one), ingesting it too; for
    long evaluations (run, task, metric, value; its run column the one ``run`` names,
    ``--map run=model``), where they are read and stored instead."""
    key = long_run_column(names, run=run)
    if key is not None:
        # a run column read by its mapping alone (model): the commands need it too
        mapped = f" --map run={key}" if column_key(key) not in RUN_COLUMNS else ""
        return (  # scores, not runs: said where they are read and stored
            f"it holds evaluations ({key}, task, metric, value), not runs: scalinglab downstream "
            f"fit {source} --runs RUNS{mapped} reads them with their runs' losses, and "
            f"scalinglab ingest {source} --store STORE{mapped} stores them with the stored runs"
        )
    summary = [n for n in names if n.startswith(_EXPORT_KEYS[1])]
    found = tracker_column([n.removeprefix(_EXPORT_KEYS[1]) for n in summary], "loss")
    column = f"{_EXPORT_KEYS[1]}{found}" if found is not None else None
    several = loss_columns(names) if column is None else None  # loss_c4_val, loss_rpj, ...
    named = [n for n in names if is_loss_name(n)]
    if column is None and len(named) == 1 and loss_option in _COLUMN_OPTIONS:
        column = named[0]  # one column named as a loss ('Final val loss'): the option filled
    cli = loss_option.startswith("--")
    python = "COLUMN" if column is None else repr(column)
    said = (
        loss_option.replace("COLUMN", shlex.quote(column) if cli else python)
        if column
        else loss_option
    )
    hint = f"say which column holds the loss: {said}"
    if several:
        hint = f"say which column holds the loss ({several}): {said}"
    if loss_option in _PYTHON:  # another option's Python is not known here: none said
        hint += f" ({_PYTHON[loss_option].format(python)} in Python)"
    perplexity = [n for n in names if is_perplexity_name(n)]
    if perplexity and column is None:  # ppl, val_perplexity: the loss is its log, not it
        hint += (
            f"; {join_more([repr(n) for n in perplexity])} "
            f"{'looks' if len(perplexity) == 1 else 'look'} like perplexity (exp of the loss): "
            "write ln of each value in a column and give that one"
        )
    # JSON lines of run objects too: ingest reads them as the JSON list
    suffix = PurePath(source).suffix.lower()
    export = suffix in (".json", ".jsonl", ".ndjson") and all(
        any(n.startswith(key) for n in names) for key in _EXPORT_KEYS
    )
    if export and loss_option.startswith("--y"):
        hint += (
            f"; or read it as the tracker's export it is: scalinglab ingest {source} "
            "--store runs.duckdb && scalinglab fit --store runs.duckdb"
        )
    elif export and not cli:
        hint += (
            f"; or read it as the tracker's export it is: scalinglab.ingest({source!r}, "
            "store='runs.duckdb'), then fit RunStore('runs.duckdb').to_run_table()"
        )
    return hint
