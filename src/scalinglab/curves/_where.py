"""``where=`` on curves (``--where COLUMN=VALUE``): the logged points of the runs whose text
column has the value, kept as the files are read, before any run is split out, screened
for divergence or fitted; of a store, the runs whose stored value it is
(:func:`scalinglab.store._listing.where_runs`, as ``store runs --where``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from scalinglab._errors import ConfigError, DataError
from scalinglab.curves._curve import Curve
from scalinglab.curves._table import ALIASES, _column
from scalinglab.curves._where_points import point_columns, refuse_point_columns
from scalinglab.data._compare import condition_words
from scalinglab.data._raw import RawTable
from scalinglab.data._training_data import corpus_columns, mixed_training_data
from scalinglab.data._where_rows import rows_where, run_names

__all__ = ["Selection", "keep_rows", "pooled_corpora", "store_runs"]


def _found(
    raw: RawTable, whats: Iterable[str], columns: Mapping[str, str] | None
) -> dict[str, str]:
    """The columns of a curve table read as each of ``whats`` (``run``, ``step``, ``loss``,
    ``lr``, ``params``), by what each is read as: those found, none where the reader refuses
    the table's columns (it says what is wrong with them when it reads them)."""
    try:
        found = {what: _column(raw, what, columns) for what in whats}
    except DataError:
        return {}
    return {what: c for what, c in found.items() if c is not None}


def _quantities(columns: Mapping[str, str] | None) -> Callable[[RawTable], set[str]]:
    """The columns of a table read as a curve's run, step, loss, lr or size: not text
    columns ``where`` reads."""
    return lambda raw: set(_found(raw, ALIASES, columns).values())


def _logged(columns: Mapping[str, str] | None) -> Callable[[RawTable], dict[str, str]]:
    """The columns of a table read as a curve's step, loss or lr (logged at each point),
    by what each is read as."""
    return lambda raw: _found(raw, ("step", "loss", "lr"), columns)


def _read_as(columns: Mapping[str, str] | None) -> Callable[[RawTable], dict[str, str]]:
    """A curve table's column of model sizes read as ``params`` where that is not its own
    name (``{"N": "params"}``): ``where`` compares it by either name (``params>=5e7``), as
    ``fit --where`` and ``hparams --where`` do."""

    def named(raw: RawTable) -> dict[str, str]:
        own = _found(raw, ("params",), columns).get("params", "params")
        return {} if own == "params" else {own: "params"}

    return named


def _run_column(raw: RawTable, columns: Mapping[str, str] | None) -> str | None:
    """A curve table's run column (``None``: none, or columns the reader refuses)."""
    return _found(raw, ("run",), columns).get("run")


def _count(raw: RawTable, column: str | None) -> int:
    """The runs of ``raw`` as the curve reader splits them (:func:`curves_of`): a run
    column's distinct cells, else one run, the file's."""
    if column is None:
        return 1 if raw.rows else 0
    return len({str(v) for v in raw.cells[column]})


def keep_rows(
    raws: Sequence[RawTable],
    where: Sequence[tuple[str, str]],
    columns: Mapping[str, str] | None,
    *,
    source: str,
    names: Sequence[str],
) -> tuple[list[RawTable], Selection]:
    """The rows of ``raws`` whose text columns meet ``where``, one table per table (with no
    rows where none met it), and how many runs they hold of how many ``raws`` held (the
    same two without ``where``) from ``source``, which names them in messages (the paths
    given). A
    table's runs are the text column ``run`` (and its run column's own name): of a table
    without a run column, the run of its file (``names``, one per table).

    Raises:
        ConfigError: No such text column, or no run with the value (the hint lists them).
    """
    columns_ = [_run_column(raw, columns) for raw in raws]
    total = sum(_count(raw, column) for raw, column in zip(raws, columns_, strict=True))
    if not where:
        return list(raws), Selection(source, total, total)
    runs = [(column, run_names(raw, column, name))
            for raw, column, name in zip(raws, columns_, names, strict=True)]  # fmt: skip
    refuse_point_columns(where, raws, logged=_logged(columns), runs=[r for _, r in runs],
                         source=source)  # fmt: skip
    per_point = point_columns(_logged(columns), lambda raw: _run_column(raw, columns))
    kept = rows_where(raws, where, source=source, skip=_quantities(columns), runs=runs,
                      read_as=_read_as(columns), per_point=per_point)  # fmt: skip
    count = sum(_count(raw, c) for raw, c in zip(kept, columns_, strict=True))
    return kept, Selection(source, count, total, tuple(where))


@dataclass(frozen=True)
class Selection:
    """Where curves came from and how many ``where`` kept of how many, as a reader counted
    them: both texts that say it are built from these numbers, never read back from words.

    Attributes:
        source: The files, folder, store or ``"<DataFrame>"`` the curves were read from.
        kept: The curves ``where`` kept (all of them without ``where``).
        total: The curves there were.
        where: The ``where`` conditions that kept them, named in :attr:`said` (as a run
            table's source names its ``--where``: ``curves.csv where dataset = a (...)``).
    """

    source: str
    kept: int
    total: int
    where: tuple[tuple[str, str], ...] = ()

    @property
    def said(self) -> str:
        """In the words of a run table's source (:meth:`RunTable.describe_source
        <scalinglab.RunTable.describe_source>`; :attr:`CurveFit.source
        <scalinglab.curves.CurveFit.source>`): ``curves.csv where dataset = a (3 of its 9
        curves selected)`` where ``where`` kept some, else ``curves.csv (9 curves)``; the
        conditions named, so fits of one file's corpora say which each is."""
        kept = " and ".join(condition_words(k, v) for k, v in self.where)
        source = f"{self.source} where {kept}" if kept else self.source
        if self.kept < self.total:
            return f"{source} ({self.kept} of its {self.total} curves selected)"
        return f"{source} ({_curves(self.total)})"

    @property
    def of_curves(self) -> str:
        """As the curves it counts, for a sentence with a parenthesis of its own (``fit
        --from-curves``'s source, whose run count follows): ``3 of the 9 curves of
        curves.csv``, or ``the 9 curves of curves.csv``."""
        curves = f"{_curves(self.total)} of {self.source}"
        return f"{self.kept} of the {curves}" if self.kept < self.total else f"the {curves}"

    def __str__(self) -> str:
        return self.said


def _curves(n: int) -> str:
    return f"{n} curve{'' if n == 1 else 's'}"


def store_runs(
    store: str | os.PathLike[str], runs: Sequence[str] | None, where: Sequence[tuple[str, str]]
) -> list[str] | None:
    """The ids of ``runs`` (every stored run when ``None``) whose values meet ``where``.

    Raises:
        ConfigError: No stored run with the column or the value, or none of ``runs``.
    """
    if not where:
        return None if runs is None else list(runs)
    from scalinglab.store import RunStore
    from scalinglab.store._listing import where_runs

    kept = [r.run_id for r in where_runs(RunStore(store).runs(), where, os.fspath(store))]
    chosen = kept if runs is None else [r for r in runs if r in set(kept)]
    if not chosen:
        raise ConfigError(
            f"none of the runs asked for in {os.fspath(store)} meets the where conditions",
            hint=f"the runs that do are {', '.join(kept[:6])}",
        )
    return chosen


def pooled_corpora(curves: Sequence[Curve]) -> tuple[str, ...]:
    """The warning ``fit`` gives runs of several training corpora pooled, of ``curves``
    (their :attr:`Curve.corpus`): a curve law, as a scaling law, holds for one training
    distribution; a curve whose file has no such column counts as a blank value."""
    columns = corpus_columns(k for curve in curves for k in curve.corpus)
    labels = {c: [curve.corpus.get(c, "") for curve in curves] for c in columns}
    return mixed_training_data(labels, runs="curves", holds="a curve law", python="where=")
