"""Which column holds a quantity, by name: the one rule of the readers of run tables' values
and of loss curves. A column the user names (``--map loss=val_loss``) first; else the column
named as the quantity; else the one column named like it (an alias); several are refused,
naming them, never chosen by an order the user cannot see. (A run table's run ids are the
exception, in run tables and curve files alike: :func:`first_run_column`.)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from scalinglab._errors import DataError, did_you_mean
from scalinglab._format import format_columns

__all__ = [
    "LONG_SCORES",
    "RUN_COLUMNS",
    "alias_column",
    "column_key",
    "find_column",
    "first_run_column",
    "long_run_column",
    "named_column",
    "several_columns",
]

#: Columns that name runs, in order of preference, in run tables, sweeps, evaluations and
#: curves alike: ``run_name`` as W&B exports name runs, ``exp_name`` as Step Law's sweeps
#: (Li et al. 2025) do.
RUN_COLUMNS = ("run", "name", "run_name", "exp_name", "run_id", "id")


def column_key(name: str) -> str:
    """A column name as names are compared: lower-cased, spaces and hyphens as underscores."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def find_column(names: Sequence[str], wanted: str) -> str | None:
    """The column of ``names`` the user named ``wanted``: exactly, else the one alike by
    :func:`column_key` (``model size`` is ``Model Size``); ``None`` for none or several."""
    found = [n for n in names if n == wanted] or [
        n for n in names if column_key(n) == column_key(wanted)
    ]
    return found[0] if len(found) == 1 else None


def named_column(names: Sequence[str], wanted: str, what: str, *, source: str, hint: str) -> str:
    """The column of ``names`` the user named ``wanted`` (:func:`find_column`).

    Raises:
        DataError: When there is no such column (or several), listing the columns there are.
    """
    found = find_column(names, wanted)
    if found is None:
        raise DataError(
            f"no column {wanted!r} to read {what} from; the columns are "
            + format_columns(names)
            + did_you_mean(wanted, names),
            source=source,
            column=wanted,
            hint=hint,
        )
    return found


def first_run_column(names: Sequence[str], aliases: Sequence[str]) -> str | None:
    """The run-id column: the first of ``aliases`` there is (the first such column of the
    file). Run ids are the rule's exception: W&B's exports name each run and give its id, and
    either tells the runs apart, so neither choice can misread a run."""
    return next((n for k in aliases for n in names if column_key(n) == k), None)


#: The columns of a long evaluation table beside its run column: one row per run, task and
#: metric (``run,task,metric,value``; ``name,task,metric,value``).
LONG_SCORES = ("task", "metric", "value")


def long_run_column(names: Sequence[str], *, run: str | None = None) -> str | None:
    """The run column of a long evaluation table of columns ``names``: the column ``run``
    (``--map run=COL``) where the table has it, else the first of :data:`RUN_COLUMNS`, as a
    run table's and a wide table's; ``None`` where ``names`` are not the long layout (no
    ``task``, ``metric`` and ``value``, or no run column). The one rule of every reader of
    long evaluations (``ingest``'s detection and reader, ``downstream``'s)."""
    names = [str(n) for n in names]
    if not set(LONG_SCORES) <= {column_key(n) for n in names}:
        return None
    mapped = find_column(names, run) if run is not None else None
    return mapped or first_run_column(names, RUN_COLUMNS)


def alias_column(
    free: Sequence[str],
    target: str,
    aliases: Collection[str],
    *,
    source: str,
    flag: str | None = "--map",
    example: str | None = None,
    python: str | None = None,
) -> str | None:
    """The column of ``free`` named ``target``, else the one named like one of its
    ``aliases`` (by :func:`column_key`); ``None`` when there is none.

    Args:
        free: The columns not taken yet.
        target: The canonical name.
        aliases: The other names it goes by (as :func:`column_key` writes them).
        source: Named in the error.
        flag: The option the hint says to choose with; a Python keyword that takes the
            column itself ends in ``=`` (``y=``); ``None`` where the command has none (the
            hint says to keep one of the columns).
        example: The column the hint writes (default: the first of the candidates).
        python: The Python argument that maps columns (``"columns"``), named in the hint too.

    Raises:
        DataError: When several columns could be ``target``.
    """
    exact = [n for n in free if column_key(n) == target]
    candidates = exact or [n for n in free if column_key(n) in aliases]
    if len(candidates) > 1:
        raise several_columns(
            candidates, target, source=source, flag=flag, example=example, python=python
        )
    return candidates[0] if candidates else None


def several_columns(
    candidates: Sequence[str],
    target: str,
    *,
    source: str,
    flag: str | None = None,
    example: str | None = None,
    python: str | None = None,
) -> DataError:
    """The error for ``candidates`` that could each be ``target``: it names them, and how to
    say which (the arguments as :func:`alias_column`'s)."""
    column = example or candidates[0]
    if flag is None:
        hint = "keep one of them: rename or drop the others"
    elif flag.endswith("="):  # a Python keyword that takes the column itself: y='val_loss'
        hint = f"say which: {flag}{candidates[0]!r}"
    else:
        hint = f"say which: {flag} {target}={column}"
        if python is not None:
            hint += f", or {python}={{{target!r}: {column!r}}} in Python"
    names = ", ".join(repr(n) for n in candidates)
    return DataError(
        f"columns {names} could each be {target}; which one is it?", source=source, hint=hint
    )
