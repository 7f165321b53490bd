"""Stored runs as ``scalinglab runs`` lists them: selected by ``--where``, in one order
whatever their source, with their lr and batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError
from scalinglab._format import join_first
from scalinglab.data._compare import compared
from scalinglab.data._hparam_names import BATCH_SEQUENCES, LR_ALIASES
from scalinglab.data._state_words import tracker_word_error
from scalinglab.data._where_errors import RUN
from scalinglab.store._record import SHOWN_ONLY, StoredRun
from scalinglab.store._rung_status import shown_statuses as from_locks
from scalinglab.store._sources import folder_of, full_source, nearest_sources, same_source
from scalinglab.store._status_where import (
    shown_only_error,
    shown_otherwise_error,
    stored_otherwise,
)
from scalinglab.store._where_columns import flat, missing_column, part_key, part_value
from scalinglab.store._where_compare import compared_runs
from scalinglab.store._where_numbers import listed_number, number_matches

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "by_size", "corpus", "frame_statuses", "hparam", "run_values", "selected_rows",
    "shown_statuses", "where_runs",
]  # fmt: skip

#: The run's own fields ``--where`` selects on, beside the text and numbers of its config and
#: extra (``dataset=c4``, ``lr=0.003``).
_FIELDS = ("run_id", "name", "status", "source", "corpus", "hardware")
#: The run's numbers ``--where`` selects on too, written as a size may be (``params=20M``).
_NUMBERS = ("params", "params_non_embedding", "tokens", "flops", "loss", "train_loss")
#: Where a run keeps its lr and batch: an ingest reads them into ``extra``, a table keeps
#: its own column names (``LR``, ``Peak LR``, ``bs``: the names ``hparams`` reads), a ladder
#: rung's config holds its ``train`` section.
_HPARAMS = {
    "lr": (*LR_ALIASES, "train.lr"),
    "batch": (*BATCH_SEQUENCES, "train.batch_size"),
}


def by_size(runs: Sequence[StoredRun]) -> list[StoredRun]:
    """The runs by params, then tokens, then name (a run without a size last): the same
    order whichever source or ingest order stored them."""

    def key(run: StoredRun) -> tuple[Any, ...]:
        sizes = [(v is None, v or 0.0) for v in (run.params, run.tokens)]
        return (*sizes[0], *sizes[1], run.name, run.run_id)

    return sorted(runs, key=key)


def run_values(run: StoredRun) -> dict[str, Any]:
    """What ``--where`` can select a run on: its fields and the plain values of its config
    and extra, by name (``train.lr`` for a value of a section), its name as ``run`` (the
    text column ``fit --store --where run=NAME`` selects a stored run by), and the columns
    ``scalinglab runs`` shows by their shown names and values: ``lr`` and ``batch`` where
    the run keeps them (a ladder rung's ``train.lr``), ``corpus`` as :func:`corpus` reads it,
    ``flops`` as its source gave them, else its 6·N·D (shown ``1.86e18 (6ND)``)."""
    out = _own_values(run)
    if run.flops is None and run.flops_6nd is not None:
        out["flops"] = run.flops_6nd
    for name, keys in _HPARAMS.items():  # the value the `lr` column shows, under its name
        value = _first_number(out, keys)
        if value is not None:
            out[name] = value
    shown = corpus(run)
    if shown:
        out["corpus"] = shown
    return out


def _own_values(run: StoredRun) -> dict[str, Any]:
    """The run's fields and the plain values of its config and extra, by name."""
    out: dict[str, Any] = {}
    for part in (run.extra, run.config):
        for key, value in flat(part).items():
            out.setdefault(key, value)
    out.update({name: getattr(run, name) for name in _FIELDS})
    out.update({n: getattr(run, n) for n in _NUMBERS if getattr(run, n) is not None})
    # the name as `run`, as the run table a fit reads names it; a stored config value `run`
    # (a table's own run column, say) stays the config's
    out.setdefault(RUN, run.name)
    return {k: v for k, v in out.items() if isinstance(v, str | int | float)}


def _first_number(values: Mapping[str, Any], keys: Sequence[str]) -> float | None:
    """The first of ``keys`` whose value in ``values`` is a number (not a bool), a name
    matched as ``hparams`` reads a column: case ignored, spaces and dashes as ``_``."""
    named = {k.strip().lower().replace(" ", "_").replace("-", "_"): v for k, v in values.items()}
    for key in keys:
        value = values.get(key, named.get(key))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def hparam(run: StoredRun, name: str) -> float | None:
    """The run's ``lr`` or ``batch`` where it keeps one (:data:`_HPARAMS`), else ``None``."""
    return _first_number(_own_values(run), _HPARAMS[name])


def corpus(run: StoredRun) -> str:
    """The run's training data: its ``corpus``, else its config's ``dataset`` (a table's
    column), else ``""``."""
    if run.corpus:
        return run.corpus
    for key in ("corpus", "dataset"):
        value = run.config.get(key, run.extra.get(key))
        if isinstance(value, str):
            return value
    return ""


def _matches(value: Any, wanted: str, column: str) -> bool:
    if isinstance(value, str):
        return value == wanted
    if isinstance(value, bool):  # as --json writes it, and the hint lists it
        return wanted == _listed(column, value)
    # 20M, 1e-3, 1_000 as a run table writes them; 124M or 3.2871 as `runs` shows them
    return number_matches(value, wanted, column=column)


def _listed(column: str, value: Any) -> str:
    """A number or flag of ``column`` as a hint lists it: the text that selects it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return listed_number(column, value)


def _selects(run: StoredRun, column: str, value: Any, wanted: str) -> bool:
    """Whether ``--where column=wanted`` selects ``run`` (whose ``column`` is ``value``): a
    source is the file or folder ``wanted`` names, or lies in it, from wherever this runs
    (a relative source with the folder of its ingest), as ``runs rm --source`` matches it."""
    if column == "source":
        return same_source(value, wanted, folder=folder_of(run.extra))
    return _matches(value, wanted, column)


def _values(run: StoredRun, statuses: Mapping[str, str] | None) -> dict[str, Any]:
    """:func:`run_values`, with the status as shown where ``statuses`` gives it."""
    out = run_values(run)
    if statuses is not None and run.run_id in statuses:
        out["status"] = statuses[run.run_id]
    return out


def _value(run: StoredRun, column: str, statuses: Mapping[str, str] | None) -> Any:
    """The value ``--where column=`` reads of ``run`` (``None``: it has none): ``extra.KEY``
    and ``config.KEY`` read that part only (:mod:`scalinglab.store._where_columns`)."""
    prefixed = part_key(column)
    if prefixed is not None:
        return part_value(run, *prefixed)
    return _values(run, statuses).get(column)


def shown_statuses(runs: Sequence[StoredRun], store: str) -> dict[str, str]:
    """Each run's status as ``runs`` and ``ladder status`` show it, by ``run_id``: a ladder
    rung stopped is ``interrupted`` (:mod:`scalinglab.store._rung_status`, which reads the
    rung's locks); any other run's is its stored status."""
    return from_locks(runs, store=Path(store))


def frame_statuses(frame: pd.DataFrame, store: str) -> dict[str, str]:
    """:func:`shown_statuses` of the runs of the runs table ``frame``."""
    from scalinglab.store._reader import row_to_run  # the reader imports this module

    return shown_statuses([row_to_run(row) for row in frame.to_dict("records")], store)


def where_runs(
    runs: Sequence[StoredRun],
    where: Sequence[tuple[str, str]],
    store: str,
    *,
    statuses: Mapping[str, str] | None = None,
) -> list[StoredRun]:
    """The runs whose ``column`` is ``value`` for each ``(column, value)`` (each narrows the
    last), as ``--where`` selects a run table's.

    Args:
        runs: The stored runs to select from.
        where: ``(column, value)`` conditions.
        store: The store's path, named in errors (and where a rung's work folder is found).
        statuses: Each run's status as shown, by ``run_id``: ``status=`` selects by it, as
            ``runs --status`` does; default :func:`shown_statuses` of ``runs``, so every
            caller (``runs``, ``runs rm``, a fit of the store) selects by one status.

    Raises:
        ConfigError: For a column no run has, or a value no run (of those left) has; the
            hint lists the columns, or the values there are.
    """
    kept = list(runs)
    if statuses is None and any(column == "status" for column, _ in where):
        statuses = shown_statuses(kept, store)
    for column, value in where:
        if comparison := compared(column, value):  # params<1e7: on the stored number
            values = [_value(run, comparison.column, statuses) for run in kept]
            among = f" among the {len(kept)} runs selected" if len(kept) < len(runs) else ""
            kept = compared_runs(kept, comparison, values, store=store, among=among,
                                 own=partial(_values, statuses=statuses))  # fmt: skip
            continue
        values = [_value(run, column, statuses) for run in kept]
        if all(v is None for v in values):
            own = [_values(run, statuses) for run in kept]
            raise missing_column(column, value, store, kept, own)
        chosen = [
            run
            for run, v in zip(kept, values, strict=True)
            if v is not None and _selects(run, column, v, value)
        ]
        if not chosen:
            among = f" among the {len(kept)} runs selected" if len(kept) < len(runs) else ""
            if column == "source":  # as full paths, nearest first: what to give instead
                full = [str(full_source(r.source, folder_of(r.extra))) for r in kept if r.source]
                raise ConfigError(
                    f"--where source={value}: no stored run came from {value}{among} in {store}",
                    hint=f"the stored sources nearest to it are "
                    f"{', '.join(nearest_sources(full, value))}",
                )
            if column == "status" and value in SHOWN_ONLY:  # shown, never stored
                raise shown_only_error(value, store=store, among=among, shown=statuses is not None)
            groups = stored_otherwise(kept, statuses or {}, value) if column == "status" else {}
            if groups:  # stored `pending`, shown `interrupted`: say which status selects it
                raise shown_otherwise_error(value, groups, store=store, among=among)
            said = tracker_word_error(value, option="--where status=")
            if column == "status" and said is not None:  # crashed: kept as failed
                raise said
            present = {v for v in values if v is not None}
            numbers = sorted(v for v in present if not isinstance(v, str))
            distinct = list(  # as `runs` shows them (124M, 3.2871), or as stored where it
                dict.fromkeys(  # shows none (123456): each selects exactly its runs
                    [
                        *sorted(v for v in present if isinstance(v, str)),
                        *(_listed(column, v) for v in numbers),
                    ]
                )
            )
            raise ConfigError(
                f"--where {column}={value}: no stored run has {column} = {value!r}{among} "
                f"in {store}",
                hint=f"its values are {join_first(distinct, 12)}"
                + (f" ({len(distinct)} values)" if len(distinct) > 12 else "")
                + _other_count(kept, column, value),
            )
        kept = chosen
    return kept


def selected_rows(
    frame: pd.DataFrame, where: Sequence[tuple[str, str]], store: str
) -> pd.DataFrame:
    """The rows of the runs table ``frame`` whose runs :func:`where_runs` keeps: what a fit
    of the store reads under ``--where`` is what ``scalinglab runs --where`` lists.

    Raises:
        ConfigError: As :func:`where_runs`.
    """
    if not where:
        return frame
    from scalinglab.store._reader import row_to_run

    runs = [row_to_run(row) for row in frame.to_dict("records")]
    kept = {run.run_id for run in where_runs(runs, where, store)}
    return frame[frame["run_id"].astype(str).isin(kept)].reset_index(drop=True)


def _other_count(runs: Sequence[StoredRun], column: str, wanted: str) -> str:
    """For ``--where params=`` (total) given a value of the runs' other count, the
    non-embedding N a ladder's runs are fitted on (or the reverse): where it is found."""
    counts = {"params": "total", "params_non_embedding": "non-embedding"}
    other = next((c for c in counts if c != column), None) if column in counts else None
    if other is None:
        return ""
    names = [
        r.name for r in runs if (v := getattr(r, other)) is not None and _matches(v, wanted, other)
    ]
    if not names:
        return ""
    return (
        f"; {wanted} is the {counts[other]} parameter count ({other}) of "
        f"{join_first(names, 3)}: --where {other}={wanted} selects by it ({column} is "
        f"the {counts[column]} count)"
    )
