"""Which of a stored run's values ``--where COLUMN=VALUE`` reads, and the error for one no
run has.

A column is a name of the run's own (``status``, ``dataset``, ``train.lr``: see
:func:`scalinglab.store._listing.run_values`), or, written as ``runs --json`` nests it,
``extra.KEY`` or ``config.KEY``: that key of the run's extra or config only, never a field
of the same name (``extra.status`` is no run's status, ``config.name`` no run's name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scalinglab._errors import ConfigError, closest_name, meant
from scalinglab.store._record import PARAMS_COLUMN, StoredRun

__all__ = ["flat", "is_record", "missing_column", "part_key", "part_value"]

#: The parts of a run a prefix names, as ``runs --json`` nests them.
_PARTS = ("extra", "config")
#: What an ingest records about its own reading (``mapping.loss``, ``metrics.eval/loss``, the
#: config's values again): selectable, but no column a user named, so not listed in a hint.
_RECORDS = ("final_rule", "ingested_from", "ingested_in", PARAMS_COLUMN)
_RECORD_SECTIONS = ("mapping.", "metrics.")
#: Keys sharing a first word (``acc_mmlu``, ``acc_piqa``, ...) are counted, not listed, from
#: this many on: a table's 46 scores would bury the few names a user typed.
_GROUPED = 5
#: The most names listed one by one in a hint.
_LISTED = 24


def flat(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each section's entries by ``section.key`` (``train.lr``), one level
    deep; a key met twice keeps its first value."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            for inner, leaf in value.items():
                out.setdefault(f"{key}.{inner}", leaf)
        else:
            out.setdefault(str(key), value)
    return out


def is_record(name: str) -> bool:
    """Whether ``name`` is what an ingest recorded of its reading, not a user's value."""
    return name in _RECORDS or name.startswith(_RECORD_SECTIONS)


def part_key(column: str) -> tuple[str, str] | None:
    """``("extra", "wandb_state")`` for ``extra.wandb_state`` (``config.KEY`` alike);
    ``None`` for a column without such a prefix."""
    part, dot, key = column.partition(".")
    return (part, key) if dot and part in _PARTS else None


def part_value(run: StoredRun, part: str, key: str) -> Any:
    """The plain value (text or number) ``key`` of the run's ``part``, else ``None``."""
    value = flat(run.extra if part == "extra" else run.config).get(key)
    return value if isinstance(value, str | int | float) else None


def _part_names(runs: Iterable[StoredRun], part: str) -> list[str]:
    names = {
        k
        for run in runs
        for k, v in flat(run.extra if part == "extra" else run.config).items()
        if isinstance(v, str | int | float) and not is_record(k)
    }
    return [f"{part}.{name}" for name in sorted(names)]


def _group(name: str) -> str | None:
    """The first word of a key (``acc`` of ``acc_mmlu``, ``extra.acc`` of ``extra.acc_mmlu``),
    ``None`` for a key of one word."""
    section, dot, key = name.rpartition(".")
    word, sep, _ = key.partition("_")
    return f"{section}{dot}{word}" if sep else None


def _compact(names: Sequence[str]) -> str:
    """``names`` in a line or two: each alone, but keys sharing a first word from
    :data:`_GROUPED` on counted as a group (``arch, corpus, ..., and 46 acc_* keys``)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        if (word := _group(name)) is not None:
            groups.setdefault(word, []).append(name)
    counted = {word: keys for word, keys in groups.items() if len(keys) >= _GROUPED}
    grouped = {key for keys in counted.values() for key in keys}
    alone = [name for name in names if name not in grouped]
    if len(alone) > _LISTED:
        alone = [*alone[:_LISTED], f"and {len(alone) - _LISTED} more keys"]
    said = ", ".join(alone)
    if not counted:
        return said
    many = ", ".join(f"{len(keys)} {word}_* keys" for word, keys in counted.items())
    return f"{said}, and {many}" if said else many


def _listed(given: str, names: Sequence[str], values: str, *, part: str = "") -> str:
    """The hint naming ``names``: the one ``given`` most likely meant first, then all of
    them compactly (:func:`_compact`). ``part``: the prefix every name has (``extra``),
    left out where keys are compared (``extra.nothere`` is not ``extra.note``)."""
    cut = len(part) + 1 if part else 0
    near = closest_name(given, [name[cut:] for name in names]) if given else None
    said = f"{part}.{near}" if part and near is not None else near
    first = f"{meant(said, hint=True)} " if said is not None and near != given else ""
    return f"{first}{values} {_compact(names)}"


def missing_column(
    column: str,
    value: str,
    store: str,
    runs: Sequence[StoredRun],
    own: Sequence[Mapping[str, Any]],
) -> ConfigError:
    """The error for ``--where column=value`` where no run of ``runs`` has ``column``
    (``extra.`` with no key after it included); ``own``: each run's values by their own
    names, listed in the hint for a column without a prefix."""
    prefixed = part_key(column)
    if prefixed is None:
        names = sorted({k for values in own for k in values if not is_record(k)})
        return ConfigError(
            f"--where {column}={value}: no stored run has a value {column!r} in {store}",
            hint=_listed(column, names, "the runs' values are"),
        )
    part, key = prefixed
    listed = _part_names(runs, part)
    said = (
        _listed(key, listed, f"the runs' {part} values are", part=part)
        if listed
        else f"no stored run keeps a value in its {part}"
    )
    if not key:
        return ConfigError(
            f"--where {column}={value}: the key is missing after {column!r}: "
            f"{part}.KEY names a key of the run's {part}, as `runs --json` nests it",
            hint=said,
        )
    if any(key in values for values in own):  # the user may have meant the run's own
        said += f"; --where {key}={value} selects by the run's {key}"
    return ConfigError(
        f"--where {column}={value}: no stored run has a key {key!r} in its {part} in {store}",
        hint=said,
    )
