"""The errors of ``--where COLUMN=VALUE`` (``where=`` in Python), word for word alike on run
tables, sweeps and curves: a column that is no text column (one of numbers, or none, spelt
alike to one) and a value no run has."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence

from scalinglab._errors import ConfigError, meant, nearest_name
from scalinglab._format import join_first

__all__ = ["RUN", "no_text_column", "no_value"]

#: The text column a table's run ids are read as (beside its run column's own name).
RUN = "run"


def no_value(
    column: str, value: str, values: Collection[str], *, among: str, source: str, runs: bool
) -> ConfigError:
    """The error for ``--where column=value`` that no run meets (``among``: the runs
    selected by the conditions before, or ``""``): the hint lists the values there are, or
    of run names (``runs``), the nearest ones once they are many."""
    distinct = sorted(set(values))
    if runs and len(distinct) > 12:
        near = difflib.get_close_matches(value, distinct, n=6, cutoff=0.6)
        hint = (
            f"the nearest run names are {', '.join(near)} ({len(distinct)} runs)"
            if near  # none near: a few of them, not unrelated names called near
            else f"no run name is near it; the runs are {join_first(distinct, 6)} "
            f"({len(distinct)} runs)"
        )
    else:
        hint = f"its values are {join_first(distinct, 12)}" + (
            f" ({len(distinct)} values)" if len(distinct) > 12 else ""
        )
    return ConfigError(f"no run has {column} = {value!r}{among} in {source}", hint=hint)


def no_text_column(
    column: str,
    texts: Collection[str],
    *,
    source: str,
    numbers: Collection[str] = (),
    run_column: str | None,
    run_ids: Sequence[str] = (),
    value: str | None = None,
) -> ConfigError:
    """The error for ``--where column=...`` naming no text column: ``column`` is a column of
    numbers (``numbers``), which ``--where`` does not match, or is none, spelt alike to one
    (``state``: ``'State'``, :func:`meant`); the hint lists the text columns (``texts``), and
    ``run`` as what it is: the runs' names, read from ``run_column`` (``None``: no column
    names them, and ``run`` holds the names the reader gave, ``run_ids``: ``row1``, or a
    curve file's run), which a file need not have."""
    real = sorted({*texts, *([run_column] if run_column not in (None, RUN) else [])} - {RUN})
    ids = list(dict.fromkeys(run_ids))
    run = (
        ["run"]
        if RUN in (run_column, *texts)
        else [f"run (from {run_column})"]
        if run_column is not None
        else [f"run ({', '.join(ids[:2])}{', ...' if len(ids) > 2 else ''}: no column names "
              "the runs)"]
    )  # fmt: skip
    listing = ("its only text column is " if not real else "its text columns are ") + ", ".join(
        [*real, *run]
    )
    if column in numbers:
        said = value if value is not None and _is_number(value) else "X"
        return ConfigError(
            f"{column!r} is a number column of {source}: --where (where() in Python) matches "
            "the values of text columns",
            hint=f"to keep runs by a number, compare it: --where '{column}=={said}' (or >= > "
            f"<= < !=; where('{column}=={said}') in Python); {listing}",
        )
    alike = [n for n in (*real, RUN) if n.lower() == column.lower()]
    near = alike[0] if alike else nearest_name(column, [*real, RUN])
    return ConfigError(
        f"no text column {column!r} in {source}",
        hint=(f"{meant(near, hint=True)} " if near else "") + listing,
    )


def _is_number(text: str) -> bool:
    """Whether ``text`` reads as a number, units allowed (``70M``: ``params=70M`` is told
    ``params==70M``, as a comparison's number is read)."""
    from scalinglab.data._units import parse_cell

    return parse_cell(text) is not None
