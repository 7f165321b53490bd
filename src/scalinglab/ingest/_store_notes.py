"""What an ingest says about the store it writes to: runs it replaced with other values, and
runs found again at another path or in another export (runs that another source already
stored: :mod:`~scalinglab.ingest._copies_note`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.store import PutSummary, RunStore, StoredRun
from scalinglab.store._curve_match import old_to_new
from scalinglab.store._reader import row_to_run
from scalinglab.store._record import FOLDER, PARAMS_COLUMN
from scalinglab.store._sources import folder_of, full_source

__all__ = [
    "kept_runs",
    "moved_runs",
    "replaced_runs",
    "respelled_runs",
    "started_in",
    "stored_runs",
]


def stored_runs(store: RunStore, runs: tuple[StoredRun, ...]) -> pd.DataFrame | None:
    """The stored runs before a write (one read for every note), or ``None`` for a store
    still to create (no file, or an empty one) or nothing to write."""
    path = store.path
    if not runs or not path.exists() or path.stat().st_size == 0:
        return None
    return store.runs_frame()


def moved_runs(stored: pd.DataFrame | None, written: PutSummary, where: Path) -> list[str]:
    """A note when stored runs were found again, unchanged, at another path; where the
    file they were stored from is still there, they were not moved but found in another
    file of the same name (another experiment's copy), and the note says that."""
    if not written.moved:
        return []
    elsewhere = _other_files(stored, written.moved, where)
    n = len(written.moved) - sum(elsewhere.values())
    same, its = ("run", "its") if n == 1 else ("runs", "their")
    notes = [
        f"{format_counted(n, 'stored run')} moved: the same {same}, now read from {where}; "
        f"only {its} source was updated"
    ] if n else []  # fmt: skip
    notes += [
        f"{format_counted(count, 'stored run')} of {old} found again, unchanged, in {where}, "
        f"another file of the same name ({old} is still there): "
        f"{'its' if count == 1 else 'their'} source is now {where}"
        for old, count in elsewhere.items()
    ]
    return notes


def _other_files(stored: pd.DataFrame | None, run_ids: Iterable[str], where: Path) -> Counter[str]:
    """Of the stored runs ``run_ids``, how many came from each file other than ``where``
    that still exists: not ``where`` moved, but another file (a table's runs are keyed by
    the file's name, not its path)."""
    if stored is None:
        return Counter()
    frame = stored.set_index("run_id")
    # a relative source as the full path it named where it was ingested, not from here
    sources = {
        str(run_id): full_source(source, folder_of(extra))
        for run_id, source, extra in zip(frame.index, frame["source"], frame["extra"], strict=True)
        if isinstance(source, str)
    }
    counts: Counter[str] = Counter()
    for run_id in run_ids:
        old = sources.get(run_id)
        if old is not None and old != str(where) and _another_file(Path(old), where):
            counts[old] += 1
    return counts


def _another_file(old: Path, where: Path) -> bool:
    try:
        return old.is_file() and not old.samefile(where)
    except OSError:
        return False


def respelled_runs(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary
) -> list[str]:
    """A line when unchanged runs are stored from another source: the same runs in another
    export (W&B's CSV, then its JSON), whose values matched in another spelling. The stored
    runs stay as they were, ``source`` included, and the line says where they came from."""
    if stored is None or not written.unchanged:
        return []
    before = dict(zip(stored["run_id"], stored["source"].fillna("(no source)"), strict=True))
    unchanged = set(written.unchanged)
    counts = Counter(
        str(before[r.run_id])
        for r in runs
        if r.run_id in unchanged and r.run_id in before and before[r.run_id] != r.source
    )
    if not counts:
        return []
    # an unchanged run: the line is short and count-free (the table counts them), as it
    # comes again at each ingest of this export
    sources = ", ".join(first for first, _ in counts.most_common())
    return [
        f"unchanged runs: stored already from {sources}, the same values in another "
        "export's spelling (left as stored)"
    ]


def started_in(store: Path, *, was: str | None) -> list[str]:
    """The note for a store started in the file at its path that held none (``was``, as
    :func:`~scalinglab.store._schema.not_started` says it: a 0-byte file made by ``touch``
    or left by an open that failed, an empty DuckDB database): a store not started yet, as
    a path with no file is, which the write took over (readers refuse it, saying so)."""
    if was is None or not store.is_file() or store.stat().st_size == 0:
        return []
    return [f"{store} was {was}: started a new run store in it"]


def replaced_runs(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary, where: Path
) -> list[str]:
    """A note counting every stored run this write replaced, with what changed in the first
    few. A table's runs are keyed by the file's name and the run's, so that a moved folder
    finds its runs again; a file of the same name from another experiment (the stored
    one still there) then replaces them, and the note says so as a warning, naming both
    files and how to keep both."""
    if stored is None or not written.updated:
        return []
    before = {row["run_id"]: row for row in stored.to_dict("records")}
    pairs, shown = _described(before, runs, written.updated, written)
    rules = Counter(_rule_change(old, new) for old, new in pairs) - Counter({None: len(pairs)})
    why = "".join(f" ({rule})" for rule in rules)
    note = (
        f"{format_counted(len(written.updated), 'stored run')} replaced by other values under the same "
        f"key{why}: {shown}"
    )
    if all(before[i]["source"] == str(where) for i in written.updated if i in before):
        return [note]  # the same file again: the runs changed, no other file replaced them
    if not all(r.extra.get("ingested_from") == "table" for r in runs):
        return [note]  # a tracker's run id is the run's own: the same run, changed
    elsewhere = _other_files(stored, written.updated, where)
    if not elsewhere:
        return [
            f"{note}. Runs of a table are keyed by file and run name: a file of the same name "
            "from another experiment replaces them; rename it, or --on-conflict keep"
        ]
    olds = ", ".join(elsewhere)
    copy = f"{where.parent.name}-{where.name}" if where.parent.name else f"other-{where.name}"
    return [
        f"warning: {note}. They were stored from {olds}, another file of the same name that "
        f"is still there: runs of a table are keyed by file name and run name (so a moved "
        f"folder finds its runs again), and the runs of {where} replaced them. To keep both, ingest "
        f"each file under a name of its own (a copy of this one as {copy}) or into another "
        "--store; to keep the stored runs, --on-conflict keep"
    ]


def kept_runs(
    stored: pd.DataFrame | None, runs: tuple[StoredRun, ...], written: PutSummary, where: Path
) -> list[str]:
    """A note naming the stored runs ``--on-conflict keep`` kept though the source holds
    other values, with what differs, as the note on replaced runs names them."""
    if stored is None or not written.conflicts:
        return []
    before = {row["run_id"]: row for row in stored.to_dict("records")}
    _, shown = _described(before, runs, [i for i, _ in written.conflicts], written)
    return [
        f"{format_counted(len(written.conflicts), 'stored run')} kept as stored (--on-conflict keep), though "
        f"{where} holds other values: {shown}. --on-conflict replace stores these values"
    ]


def _described(
    before: Mapping[Any, Mapping[Any, Any]],
    runs: tuple[StoredRun, ...],
    run_ids: Iterable[str],
    written: PutSummary,
) -> tuple[list[tuple[StoredRun, StoredRun]], str]:
    """The (stored, given) runs of ``run_ids``, and the first few named with what differs:
    ``m1 (loss 3.05 -> 3.02); m2 (...); and 4 more``."""
    now = {r.run_id: r for r in runs}
    curves = dict(written.curve_changes)
    pairs = [(row_to_run(before[i]), now[i]) for i in run_ids if i in before and i in now]
    changed = [
        f"{new.name} ({', '.join(_changes(old, new, curves.get(new.run_id))) or _same(old, new)})"
        for old, new in pairs
    ]
    shown = join_more(changed, 3, sep="; ")
    return pairs, shown


def _changes(old: StoredRun, new: StoredRun, curve: str | None = None) -> list[str]:
    """What differs between a stored run and its replacement: sizes and losses, then labels
    and covariates (``dataset c4 -> pile``), by name, then where its curve first differs."""
    out = []
    for name in ("params", "params_non_embedding", "tokens", "flops", "loss", "train_loss"):
        a, b = getattr(old, name), getattr(new, name)
        if (a is None) != (b is None) or (
            a is not None and b is not None and not np.isclose(a, b, rtol=1e-9, atol=0)
        ):
            out.append(f"{name} {old_to_new(a, b, name)}")
    for field in ("config", "extra"):
        a_map, b_map = getattr(old, field), getattr(new, field)
        for key in sorted(set(a_map) | set(b_map)):
            if key in _NOT_VALUES or a_map.get(key) == b_map.get(key):
                continue
            out.append(f"{key} {old_to_new(a_map.get(key), b_map.get(key), key)}")
    # the corpus, unless a label said it (a table's dataset: earlier versions left it out)
    said = {(old.config.get(k), new.config.get(k)) for k in {*old.config, *new.config}}
    if old.corpus != new.corpus and (old.corpus, new.corpus) not in said:
        out.append(f"corpus {old_to_new(old.corpus, new.corpus, 'corpus')}")
    return [*out, curve] if curve else out


def _same(old: StoredRun, new: StoredRun) -> str:
    """What to say of a replaced run none of whose values changed."""
    return "its final values as before" if _rule_change(old, new) else "other values"


def _rule_change(old: StoredRun, new: StoredRun) -> str | None:
    """``the --final rule changed from last to min`` where that is why a run's final values
    changed (a rule left out is the default, last)."""
    a, b = (run.extra.get("final_rule") for run in (old, new))
    if a == b or {a, b} == {None, "last"}:
        return None
    return f"the --final rule changed from {a or 'last'} to {b or 'last'}"


#: Bookkeeping in a run's ``extra``, not values of the run.
_NOT_VALUES = frozenset(
    {"ingested_from", FOLDER, "mapping", "metrics", "final_rule", PARAMS_COLUMN}
)
