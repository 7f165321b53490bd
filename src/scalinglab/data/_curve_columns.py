"""Which column of a curve file holds each curve quantity: an explicit mapping first,
then the names each quantity goes by (:data:`CURVE_ALIASES`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._column_names import alias_column, column_key, named_column
from scalinglab.data._schema import RawTable

__all__ = ["CURVE_ALIASES", "LR_ALIASES", "pick_column", "resolve_columns"]

#: Names each curve column goes by (lower-cased, spaces and hyphens read as underscores).
#: (W&B exports name runs ``run_name`` and log ``train/loss``.)
CURVE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "run": ("run", "name", "run_name", "run_id", "id"),
    "tokens": ("tokens", "n_tokens", "num_tokens", "tokens_seen", "consumed_tokens"),
    "step": ("step", "steps", "iter", "iteration", "global_step", "_step"),
    "loss": ("loss", "train_loss", "train/loss", "eval_loss", "val_loss", "validation_loss"),
    "params": ("params", "n_params", "num_params", "parameters", "model_size", "nparams"),
    "tokens_per_step": ("tokens_per_step", "batch_tokens"),
}
#: Names a logged learning-rate column goes by (the schedule of a curve law).
LR_ALIASES: tuple[str, ...] = (
    "lr",
    "learning_rate",
    "lr_0",
    "learning-rate",
    "train/learning_rate",
    "train/lr",
)


def resolve_columns(raw: RawTable, mapping: Mapping[str, str]) -> dict[str, str]:
    """Target name -> source column, from the mapping first, then the aliases."""
    unknown = sorted(set(mapping) - set(CURVE_ALIASES))
    if unknown:
        raise ConfigError(
            f"cannot map {unknown[0]!r}: curve columns are {', '.join(CURVE_ALIASES)}",
            hint="e.g. --map loss=eval_loss",
        )
    have = ", ".join(repr(n) for n in raw.names)
    chosen = {target: _mapped(raw, target, wanted) for target, wanted in mapping.items()}
    for target, aliases in CURVE_ALIASES.items():
        if target in chosen:
            continue
        free = [n for n in raw.names if n not in chosen.values()]
        found = alias_column(free, target, aliases, source=raw.source)
        if found is not None:
            chosen[target] = found
    for target in ("run", "loss"):
        if target not in chosen:
            raise DataError(
                f"no {target} column (looked for {', '.join(CURVE_ALIASES[target])}); "
                f"the columns are {have}",
                source=raw.source,
                hint=f"say which column holds it: --map {target}=COLUMN",
            )
    return chosen


def pick_column(
    raw: RawTable, what: str, aliases: Sequence[str], columns: Mapping[str, str]
) -> str | None:
    """The column holding ``what``: the one ``columns`` names (``--map what=COLUMN``), else
    the first of ``aliases`` the file has (so ``train_loss`` before ``eval_loss``); ``None``
    when it has none.

    Raises:
        DataError: For a mapped column the file does not have.
    """
    if what in columns:
        return _mapped(raw, what, columns[what])
    keys = {column_key(n): n for n in raw.names}
    return next((keys[a] for a in aliases if a in keys), None)


def _mapped(raw: RawTable, target: str, wanted: str) -> str:
    """The one column ``--map target=wanted`` names (an error lists the columns there are)."""
    hint = f"pass an existing column: --map {target}=COLUMN"
    return named_column(raw.names, wanted, target, source=raw.source, hint=hint)
