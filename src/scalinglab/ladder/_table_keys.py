"""The keys each table of a ladder takes, and the hint for one it does not.

Every table of a ladder refuses an unknown key alike: the message names the table and the
keys, the hint the key most likely meant and then every key the table takes (``[rules]``,
the top level, ``[model]`` and ``[train]``). A key of the other defaults table (``context``
under ``[train]``) is named as that table's: it was dropped without a word.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields
from typing import Any

from scalinglab._errors import ConfigError, closest_name, meant
from scalinglab._format import noun_for
from scalinglab.ladder._config import ModelConfig, TrainConfig

__all__ = ["MODEL_FIELDS", "TRAIN_FIELDS", "check_defaults", "known_keys"]

MODEL_FIELDS = frozenset(f.name for f in fields(ModelConfig))
TRAIN_FIELDS = frozenset(f.name for f in fields(TrainConfig))

#: Each defaults table and the keys it takes, as a ladder file heads it.
_DEFAULTS = {"[model]": MODEL_FIELDS, "[train]": TRAIN_FIELDS}


def known_keys(unknown: Collection[str], known: Collection[str]) -> str:
    """The hint for ``unknown`` keys: the key the first (in order) most likely meant, then
    every key ``known`` (``did you mean 'lr'? known keys: batch_size, ...``)."""
    close = closest_name(sorted(unknown)[0], known)
    said = meant(close, hint=True) + " " if close else ""
    return said + f"known keys: {', '.join(sorted(known))}"


def check_defaults(table: str, values: Mapping[str, Any]) -> None:
    """Refuse a key of ``values`` that the defaults table ``table`` (``"[model]"`` or
    ``"[train]"``) does not take, naming the table as a ladder file heads it.

    Args:
        table: ``"[model]"`` or ``"[train]"``.
        values: The table's keys and values.

    Raises:
        ConfigError: For an unknown key: the key meant and every key the table takes; for
            a key of the other table, that table to move it to.
    """
    known = _DEFAULTS[table]
    unknown = sorted(set(values) - known)
    if not unknown:
        return
    other = next(t for t in _DEFAULTS if t != table)
    misplaced = [key for key in unknown if key in _DEFAULTS[other]]
    if misplaced:  # a model field under [train] (or back): it was dropped without a word
        keys = ", ".join(misplaced)
        said = f"is a {other} key" if len(misplaced) == 1 else f"are {other} keys"
        raise ConfigError(
            f"{table}: {keys} {said}, not {table}",
            hint=f"move {keys} under {other} (or into a [[rungs]] table, for one rung); "
            f"{table} keys: {', '.join(sorted(known))}",
        )
    raise ConfigError(
        f"{table}: unknown {noun_for(len(unknown), 'key')} {', '.join(unknown)}",
        hint=known_keys(unknown, known),
    )
