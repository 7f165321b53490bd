"""Runs a table's state column says did not finish (running, crashed), whose values cannot
be read as a run's: a run still running may lack its tokens, a crashed one its sizes.

``read_runs`` leaves every such run out before its values are checked; an ingest stores
each run with its state, so its values are checked, and a run that did not finish and
cannot be read as it is (a blank size, say) is skipped with a note naming it, its row and
why, as a run without a loss is, instead of refusing the whole table for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._format import format_counted, join_more
from scalinglab.data._raw import RawTable, as_list, cell_id, groups_digits, rows_at
from scalinglab.data._run_states import counted, state_column, store_status
from scalinglab.data._table import RunTable
from scalinglab.store._fit_rows import listed_by

__all__ = ["Unreadable", "build_readable", "stored_unfinished_note"]


@dataclass(frozen=True)
class Unreadable:
    """A run that did not finish whose values a table of it alone refuses.

    Attributes:
        index: Its position in the source's rows.
        status: Its store status (``running``, ``failed``).
        error: What reading it refused.
    """

    index: int
    status: str
    error: DataError

    def skipped(self, raw: RawTable, run_column: str) -> tuple[str, str]:
        """``(run, why)`` of this run as an ingest's skipped runs say it: named by the
        ``run_column`` of ``raw`` (by its row where the table has none)."""
        row = raw.rows[self.index]
        run = (
            cell_id(as_list(raw.cells[run_column])[self.index], row)
            if run_column in raw.names
            else f"row{row:d}"
        )
        said = self.error.message  # less where it is, said after it
        if self.error.source is not None and said.startswith(f"{self.error.source}, row "):
            said = said.partition(": ")[2]
        where = f"row {row}" + (f", column {self.error.column!r}" if self.error.column else "")
        return run, f"not finished ({self.status}) and not readable: {said} ({where})"


def build_readable(
    raw: RawTable, build: Callable[[RawTable], RunTable], *, taken: Collection[str]
) -> tuple[RunTable, list[Unreadable]]:
    """The table ``build`` makes of ``raw``; where it refuses ``raw``, of ``raw`` without
    the rows of runs its state column (not one of ``taken``) says did not finish that it
    refuses as a table of that row alone; and each of those.

    Raises:
        DataError: What ``build`` refused, where no such row was the cause, or none is left.
    """
    try:
        return build(raw), []
    except DataError as err:
        refused = err
    column = state_column({n: raw.cells[n] for n in raw.names}, taken=taken)
    raw = replace(raw, grouped=groups_digits(raw))  # looked at once, for every row alone
    found = []
    for k, state in enumerate(as_list(raw.cells[column]) if column is not None else ()):
        status = store_status(state)
        if status == "finished":
            continue
        try:
            build(rows_at(raw, [k]))
        except DataError as err:
            found.append(Unreadable(k, status, err))
    if not found or len(found) == len(raw.rows):
        raise refused
    gone = {u.index for u in found}
    return build(rows_at(raw, [k for k in range(len(raw.rows)) if k not in gone])), found


def stored_unfinished_note(
    states: Sequence[tuple[str, str, str]],
    said: str,
    *,
    store: Path,
    diverged: Sequence[tuple[str, str]] = (),
) -> tuple[str, ...]:
    """The note counting the runs stored as not finished, per store status, as ``said``
    (``column 'State'``) says, with the command listing those of each status in the store
    at ``store``, as a fit of it names them (:func:`~scalinglab.store._fit_rows.listed_by`);
    none where every run stored finished.

    ``states`` holds each such run's name, its store status and its state as the source wrote
    it (``("r1", "failed", "crashed")``): the store keeps five statuses (``running``,
    ``failed``, ``diverged``, ...), so where one holds several of the source's states the note
    says what each run was: ``4 failed (1 crashed, 1 failed, 1 killed, 1 preempted: a, b, c
    and 1 more)``.

    ``diverged`` holds the name and state of each run ``said`` calls not finished that is
    stored ``diverged`` instead, its loss judged so (a running run whose loss ended NaN): it
    is named apart, in its own note, not counted under the state it is not stored with.
    """
    by_status: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for run, status, word in states:
        by_status.setdefault(status, []).append(run)
        words.setdefault(status, []).append(word.strip().lower() or status)
    notes = _diverged_note(diverged, said)
    if not by_status:
        return notes
    kinds = {}
    for status, written in words.items():
        each = Counter(written)  # in the order the source first writes each
        if set(each) != {status}:
            kinds[status] = ", ".join(f"{n} {word}" for word, n in each.items()) + ": "
    them = "it" if len(states) == 1 else "them"
    return (
        f"stored {format_counted(len(states), 'run')} as not finished, as {said} says: "
        f"{counted(by_status, kinds=kinds)}; a fit of the store leaves {them} out "
        f"{listed_by(store, by_status)}",
        *notes,
    )


def _diverged_note(diverged: Sequence[tuple[str, str]], said: str) -> tuple[str, ...]:
    """The note naming the runs ``said`` calls not finished that are stored ``diverged``."""
    if not diverged:
        return ()
    shown = join_more([f"{run}: {word.strip().lower()}" for run, word in diverged], 3)
    return (
        f"{format_counted(len(diverged), 'run')} {said} says did not finish ({shown}) "
        f"{'is' if len(diverged) == 1 else 'are'} stored 'diverged', not as that state: "
        f"{'its' if len(diverged) == 1 else 'their'} loss diverged (see the warning on diverged runs)",
    )
