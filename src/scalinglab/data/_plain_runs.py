"""Runs given as plain Python data, as a notebook holds them: a mapping of columns
(``{"params": [...], "tokens": [...], "loss": [...]}``) or a sequence of records, one
mapping per run (``[{"params": 7e7, "loss": 3.1}, ...]``), split into the columns of cells
a DataFrame or a file gives (:class:`~scalinglab.data._raw.RawTable`), without pandas.

Columns of unequal lengths, or records with different keys, are refused with what each
holds: a table with holes filled silently would fit runs that were never run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scalinglab._errors import DataError
from scalinglab._format import join_and, join_more
from scalinglab._keywords import shown_value
from scalinglab.data._raw import RawTable

__all__ = ["COLUMNS_SOURCE", "RECORDS_SOURCE", "PlainRuns", "plain_cells", "plain_kind"]

#: Runs as plain Python data: a mapping of columns, or a sequence of records.
PlainRuns = Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]

#: How messages and a run table's ``source`` name runs given as a mapping of columns.
COLUMNS_SOURCE = "<dict of columns>"
#: How they name runs given as a sequence of records.
RECORDS_SOURCE = "<list of records>"

_COLUMNS_HINT = "give every column one value per run: {'params': [...], 'loss': [...]}"
_RECORDS_HINT = "give every record the same keys, None where a run has no value"


def plain_cells(source: object) -> RawTable | None:
    """The cells of runs given as a mapping of equal-length columns or as a sequence of
    records with the same keys; ``None`` for a source that is neither.

    Raises:
        DataError: No runs, a column that is one value rather than one per run, columns
            of different lengths (each named with its length), a record that is no
            mapping, or records whose keys differ (which ones, at which record).
    """
    if isinstance(source, Mapping):
        return _columns(source)
    if isinstance(source, list | tuple) and any(isinstance(r, Mapping) for r in source):
        return _records(source)
    return None


def plain_kind(source: object) -> str | None:
    """How a message names ``source`` when it is runs as plain data, never its contents:
    ``"a dict of columns"``, ``"a list of records"``; ``None`` for anything else."""
    if isinstance(source, Mapping):
        return f"{shown_value(source)} of columns"
    if isinstance(source, list | tuple) and any(isinstance(r, Mapping) for r in source):
        return f"{shown_value(source)} of records"
    return None


def _is_column(values: object) -> bool:
    """Whether ``values`` holds one value per run: sized and iterable, not text."""
    return (
        hasattr(values, "__len__")
        and hasattr(values, "__iter__")
        and not isinstance(values, str | bytes | Mapping)
    )


def _columns(source: Mapping[Any, Any]) -> RawTable:
    names = tuple(str(k) for k in source)
    if not names:
        raise DataError(
            "no runs: the dict has no columns", source=COLUMNS_SOURCE, hint=_COLUMNS_HINT
        )
    values = dict(zip(names, source.values(), strict=True))
    single = [n for n, v in values.items() if not _is_column(v)]
    if single and len(single) == len(names):  # {"params": 7e9, "loss": 2.1}: one record
        raise DataError(
            "every column holds one value, not one per run: a dict of values is one run",
            source=COLUMNS_SOURCE,
            hint="give a list per column, {'params': [7e9, ...], ...}, or a list of dicts, "
            "one per run",
        )
    if single:
        raise DataError(
            f"holds one value ({shown_value(values[single[0]])}), not one per run",
            source=COLUMNS_SOURCE,
            column=single[0],
            hint=_COLUMNS_HINT,
        )
    cells = {n: list(v) for n, v in values.items()}
    lengths: dict[int, list[str]] = {}
    for name, column in cells.items():
        lengths.setdefault(len(column), []).append(name)
    if len(lengths) > 1:  # the most common length first: the odd ones stand out after it
        said = [
            f"{join_and([repr(n) for n in group]) if len(group) <= 3 else join_more(group, 3)} "
            f"{'has' if len(group) == 1 else 'have'} {size} value{'s' * (size != 1)}"
            for size, group in sorted(lengths.items(), key=lambda kv: -len(kv[1]))
        ]
        raise DataError(
            f"columns of different lengths: {'; '.join(said)}",
            source=COLUMNS_SOURCE,
            hint=_COLUMNS_HINT,
        )
    count = next(iter(lengths))
    if count == 0:
        raise DataError("no runs: the columns are empty", source=COLUMNS_SOURCE, hint=_COLUMNS_HINT)
    return RawTable(COLUMNS_SOURCE, names, cells, tuple(range(1, count + 1)))


def _records(source: Sequence[Any]) -> RawTable:
    first = source[0]
    for k, record in enumerate(source, start=1):
        if not isinstance(record, Mapping):
            raise DataError(
                f"is {shown_value(record)}, not a record (a mapping of column -> value)",
                source=RECORDS_SOURCE,
                row=k,
                hint="give every run as a dict: [{'params': 7e7, 'loss': 3.1}, ...]",
            )
        if record.keys() != first.keys():
            lacks = [repr(str(n)) for n in first if n not in record]
            extra = [repr(str(n)) for n in record if n not in first]
            said = [
                *([f"lacks {join_more(lacks, 4)}, which row 1 has"] if lacks else []),
                *([f"has {join_more(extra, 4)}, which row 1 lacks"] if extra else []),
            ]
            raise DataError("; ".join(said), source=RECORDS_SOURCE, row=k, hint=_RECORDS_HINT)
    names = tuple(str(n) for n in first)
    cells = {str(n): [record[n] for record in source] for n in first}
    return RawTable(RECORDS_SOURCE, names, cells, tuple(range(1, len(source) + 1)))
