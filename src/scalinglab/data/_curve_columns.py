"""Which column of a curve file holds each curve quantity, by the rule of run tables
(:func:`~scalinglab.data._column_names.alias_column`): an explicit mapping first, then the
column named as the quantity, then the one named like it (:data:`CURVE_ALIASES`); several
are refused, naming them and how to choose."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_columns
from scalinglab.data._column_names import (
    RUN_COLUMNS,
    alias_column,
    column_key,
    first_run_column,
    named_column,
)
from scalinglab.data._final_losses import final_losses
from scalinglab.data._plain_numbers import read_numbers, reads_as_text
from scalinglab.data._raw import as_list
from scalinglab.data._schema import ALIASES, RawTable, column_option
from scalinglab.data._step_column import STEP_ALIASES, step_note, without_counter
from scalinglab.data._sweep_looks import fit_sweep, raw_sweep
from scalinglab.data._tracker_names import tracker_column
from scalinglab.data._units import is_missing

__all__ = [
    "CURVE_ALIASES",
    "LR_ALIASES",
    "MAP_LOSS",
    "curve_tokens",
    "flops_column",
    "pick_column",
    "pick_step",
    "resolve_columns",
    "step_tokens",
    "text_columns",
]

#: Names each curve column goes by (lower-cased, spaces and hyphens read as underscores).
#: (W&B exports name runs ``run_name`` and log ``train/loss``; steps: :mod:`._step_column`.)
CURVE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "run": RUN_COLUMNS,
    "tokens": ("tokens", "n_tokens", "num_tokens", "tokens_seen", "consumed_tokens"),
    "step": STEP_ALIASES,
    "loss": ("loss", "train_loss", "train/loss", "eval_loss", "val_loss", "validation_loss"),
    "params": ("params", "n_params", "num_params", "parameters", "model_size", "nparams"),
    "tokens_per_step": ("tokens_per_step", "batch_tokens"),
}
#: How a hint names the option that reads the loss column, where the command has no ``--y``.
MAP_LOSS = "--map loss=COLUMN"
#: Names a logged learning-rate column goes by (the schedule of a curve law).
LR_ALIASES: tuple[str, ...] = (
    "lr",
    "learning_rate",
    "lr_0",
    "train/learning_rate",
    "train/lr",
)


def resolve_columns(
    raw: RawTable, mapping: Mapping[str, str], *, loss_option: str = MAP_LOSS
) -> dict[str, str]:
    """Target name -> source column: the mapping first, then :func:`pick_column` for each
    other target, among the columns not mapped; a missing loss column's hint names
    ``loss_option`` (``--y loss=COLUMN`` where ``--y`` gave it)."""
    unknown = sorted(set(mapping) - set(CURVE_ALIASES))
    if unknown:
        raise ConfigError(
            f"cannot map {unknown[0]!r}: curve columns are {', '.join(CURVE_ALIASES)}",
            hint="e.g. --map loss=eval_loss",
        )
    have = format_columns(raw.names)
    chosen = {
        t: _mapped(raw.names, t, wanted, raw.source, loss_option=loss_option)
        for t, wanted in mapping.items()
    }
    for target, aliases in CURVE_ALIASES.items():
        if target in chosen:
            continue
        free = [n for n in raw.names if n not in chosen.values()]
        found = pick_column(free, target, aliases, {}, source=raw.source)
        if found is None and target == "loss":  # a tracker's (eval/loss), as a run table's
            found = tracker_column(free, "loss")
        if found is not None:
            chosen[target] = found
    if "run" not in chosen and not {"step", "tokens"} & set(chosen):
        sweep = raw_sweep(raw)  # a sweep's runs: not final losses to fit either
        raise DataError(  # a run table given where curves go, as a user may
            f"no run column (looked for {', '.join(CURVE_ALIASES['run'])}) and no step or "
            f"tokens column (the columns are {have}): "
            + ("final losses, one row per run" if sweep is None else f"it looks like {sweep}")
            + "; this reads loss curves, several checkpoints per run",
            source=raw.source,
            hint="for final losses (one row per run) use isoflop or fit"
            if sweep is None
            else f"to fit the optimal learning rate and batch size: {fit_sweep(raw.source)}",
        )
    for target in ("run", "loss"):
        if target not in chosen:
            flag = column_option(target, loss_option)
            if flag.startswith("--map "):  # Python names the column in columns=
                flag += f" (columns={{'{target}': COLUMN}} in Python)"
            looked = f"no {target} column (looked for {', '.join(CURVE_ALIASES[target])})"
            # final losses (Gadre et al.'s loss_<set> columns, a row a model): said so
            final = (
                final_losses(raw, chosen["run"], missing=looked, isoflop=True)
                if target == "loss"
                else None
            )
            if final is not None:
                raise final
            raise DataError(
                f"{looked}; the columns are {have}",
                source=raw.source,
                hint=f"say which column holds it: {flag}",
            )
    return chosen


def pick_column(
    names: Sequence[str],
    what: str,
    aliases: Collection[str],
    columns: Mapping[str, str],
    *,
    source: str,
    flag: str | None = "--map",
) -> str | None:
    """The column of ``names`` holding ``what``: the one ``columns`` names (``--map
    what=COLUMN``); else the one named ``what``; else the one named like one of ``aliases``
    (case, spaces and hyphens aside); ``None`` when there is none. The run column is the
    first alias there is, as a run table's (:func:`~._column_names.first_run_column`); the
    step is a trainer's step column before W&B's ``_step`` (:func:`~._step_column.without_counter`).

    Args:
        names: The file's columns (those still free).
        what: The quantity, by its canonical name (``loss``, ``step``, ``lr`` ...).
        aliases: The other names it goes by.
        columns: The user's mapping, quantity -> column.
        source: The file, for messages.
        flag: The option that maps a column, named in the hint with ``columns=`` (the Python
            argument); ``None`` for a command without one (the hint says to keep one column).

    Raises:
        DataError: For a mapped column the file does not have, or several columns that could
            each be ``what`` (``train_loss`` and ``val_loss``; ``Loss`` and ``loss``), named.
    """
    if what in columns:
        return _mapped(names, what, columns[what], source)
    if what == "run":  # run ids: the first alias there is, as in a run table
        return first_run_column(names, (what, *aliases))
    if what == "step":  # HF Trainer's train/global_step, not W&B's log counter _step
        names = without_counter(names)
    python = None if flag is None else "columns"
    return alias_column(names, what, aliases, source=source, flag=flag, python=python)


def pick_step(names: Sequence[str], *, source: str) -> tuple[str | None, str | None]:
    """The step column of ``names`` where nothing maps one (:func:`pick_column`: a
    trainer's ``train/global_step`` before W&B's ``_step``; several others refused, to keep
    one), and the note naming both where that rule chose (:func:`~._step_column.step_note`)."""
    found = pick_column(names, "step", STEP_ALIASES, {}, source=source, flag=None)
    return found, step_note(names, found, source=source)


def _mapped(
    names: Sequence[str], what: str, wanted: str, source: str, *, loss_option: str = MAP_LOSS
) -> str:
    """The column ``--map what=wanted`` names (an error lists the columns there are, and
    its hint names ``loss_option`` for the loss)."""
    hint = f"pass an existing column: {column_option(what, loss_option)}"
    return named_column(names, wanted, what, source=source, hint=hint)


def flops_column(raw: RawTable, chosen: Mapping[str, str]) -> str | None:
    """A column named as FLOPs (``flops``, ``compute``, ...), which curves do not read."""
    named = {"flops", *(a for a in ALIASES["flops"] if len(a) > 1)}
    free = [n for n in raw.names if n not in chosen.values() and column_key(n) in named]
    return free[0] if free else None


def text_columns(raw: RawTable, chosen: Mapping[str, str]) -> dict[str, list[str]]:
    """The columns not read as a curve quantity that hold text, as strings: as a run table
    reads them (:func:`~scalinglab.data._plain_numbers.reads_as_text`: a column of
    ``1,000`` that the file does not settle is text)."""
    out = {}
    for name in raw.names:
        if name not in chosen.values() and reads_as_text(raw, name):
            out[name] = ["" if is_missing(c) else str(c) for c in as_list(raw.cells[name])]
    return out


def curve_tokens(
    raw: RawTable, chosen: Mapping[str, str], per_step: float | None
) -> NDArray[np.float64]:
    """Tokens at each point: the tokens column, else steps times ``per_step`` or a
    ``tokens_per_step`` column.

    Raises:
        DataError: No tokens nor step column, or steps with no tokens per step.
    """
    if "tokens" in chosen:
        return _numbers(raw, chosen["tokens"])
    if "step" not in chosen:
        flops = flops_column(raw, chosen)
        sweep = raw_sweep(raw) if "run" in chosen else None
        final = sweep and final_losses(raw, chosen["run"], missing="no tokens or step column")
        if final:  # a sweep's runs, one row each: which command fits them
            raise final
        raise DataError(
            "no tokens column and no step column: the envelope needs how far each point "
            f"is into training (looked for {', '.join(CURVE_ALIASES['tokens'])}, "
            f"{', '.join(CURVE_ALIASES['step'])})"
            + (
                f"; column {flops!r} is not read: compute is C = 6·N·D of each point's tokens"
                if flops
                else ""
            ),
            source=raw.source,
            hint="map one: --map tokens=COLUMN (columns={'tokens': COLUMN} in Python), or "
            "--map step=COLUMN with --tokens-per-step N (tokens_per_step=N in Python)",
        )
    steps = _numbers(raw, chosen["step"])
    if per_step is not None:
        return step_tokens(steps, per_step)
    if "tokens_per_step" not in chosen:
        raise DataError(
            "the curves give steps but not tokens, and no tokens per step was given",
            source=raw.source,
            column=chosen["step"],
            hint="pass --tokens-per-step N (tokens_per_step=N in Python), N the batch size × "
            "sequence length, or add a tokens_per_step column",
        )
    return step_tokens(steps, _numbers(raw, chosen["tokens_per_step"]))


def step_tokens(
    steps: NDArray[np.floating[Any]], per_step: float | NDArray[np.floating[Any]]
) -> NDArray[np.float64]:
    """Tokens at each point from its step: ``step × tokens per step`` (the batch size ×
    sequence length), the one rule a curve file's steps and a store's are filled by."""
    return np.asarray(steps * per_step, dtype=np.float64)


def _numbers(raw: RawTable, column: str) -> NDArray[np.float64]:
    return read_numbers(raw, column)[0]
