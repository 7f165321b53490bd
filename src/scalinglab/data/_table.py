"""The run table: one row per training run, float64 columns, and where every row came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, overload

import numpy as np
from numpy.typing import NDArray

from scalinglab import _repr
from scalinglab._errors import ConfigError, DataError
from scalinglab._keywords import methods_checked
from scalinglab.data._described import described
from scalinglab.data._enough_runs import check_enough_runs
from scalinglab.data._missing_column import missing_column
from scalinglab.data._percent import percent_value
from scalinglab.data._table_columns import column_for, columns_of
from scalinglab.data._where_compare import compared, table_compared
from scalinglab.data._where_percent import bare_percent, percent_shown
from scalinglab.data._where_rows import RUN, no_value, text_column, where_conditions

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CANONICAL", "RunTable", "check_enough_runs"]

Array = NDArray[np.float64]

#: Columns every part of scalinglab understands: parameters N, tokens D, compute C, loss L.
CANONICAL: tuple[str, ...] = ("params", "tokens", "flops", "loss")


@methods_checked()
@dataclass(frozen=True)
class RunTable:
    """Final metrics of a set of training runs, validated and ready to fit.

    Build one with :func:`scalinglab.data.read_runs`; the constructor only checks shapes.
    Columns are read-only float64 arrays, so a table can be shared without copies.

    Attributes:
        columns: Numeric columns by name, each of shape ``(n,)``: the canonical ones present
            (``params``, ``tokens``, ``flops``, ``loss``) and any other numeric column.
        runs: Run id of each row.
        rows: Row of each run as the user sees it in the source (a CSV's line number, a
            JSONL file's line number, a 1-based row of a Parquet file); a DataFrame's is
            its record number from 1 that writes itself as its index names it (``'r3'``,
            ``df.iloc[3]``: :class:`~scalinglab.data._frame_rows.FrameRow`).
        source: The path as given, ``"<DataFrame>"``, or ``"simulated: ..."``.
        notes: Everything derived, renamed or assumed while reading, one sentence each.
        labels: Non-numeric columns (covariates such as ``optimizer``), as strings.
        simulated: True for made-up data; every output that shows it must say so.
        excluded: ``(run id, reason)`` of each run dropped on request.
        skipped: ``(run id, reason)`` of each run left out while reading: its state column
            says it did not finish, or its loss cell holds no value (a store's: stored with
            another status, or without a size); neither fitted nor :attr:`excluded`.
        skipped_notes: The notes (among :attr:`notes`) that name the :attr:`skipped` runs,
            as the reader wrote them (``report`` prints these alone, the page the rest).
        flagged: ``(run id, reason)`` of each run kept that looks diverged (a fit warns of
            them: :func:`scalinglab.data._outliers.kept_warning`).
        origins: The source column each renamed canonical column was read from, e.g.
            ``{"params": "model_size", "loss": "val_loss"}`` (only those whose name changed),
            so messages and reports can use the user's names.
        flops_convention: What the ``flops`` column counts, in words: 6·N·D computed while
            reading, FLOPs given in the data, or exact counts recorded by the ladder trainer;
            a fit records it as its conventions' ``flops`` (``""``: not known).
        params_convention: Which parameters the ``params`` column counts, in words (a run
            store's total or non-embedding count); a fit records it as its conventions'
            ``params`` (``""``: as given in the data).
        tokens_convention: How the ``tokens`` column was read, in words (a header's unit:
            ``Tokens (B)``); a fit records it as its conventions' ``tokens`` (``""``: as given).
        loss_convention: Where the ``loss`` column's values came from, in words (a store's
            runs ingested from a tracker's metric); a fit of ``loss`` records it (``""``: not known).
        selected_from: Runs of the table :meth:`select` took these from (the first one, when
            selections nest), so that :meth:`describe_source` does not present a subset as
            the whole source; 0 for a table as read.
        kept_where: The ``{column: value}`` conditions :meth:`where` kept these runs by
            (``--where``), which a fit records as its ``where``; empty for every run.
        run_column: The source column the run ids were read from (``name``); :meth:`where`
            reads the ids as the text column ``run`` and under this name.
    """

    columns: Mapping[str, Array]
    runs: tuple[str, ...]
    rows: tuple[int, ...]
    source: str
    notes: tuple[str, ...] = ()
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    simulated: bool = False
    excluded: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    skipped_notes: tuple[str, ...] = ()
    flagged: tuple[tuple[str, str], ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict)
    flops_convention: str = ""
    params_convention: str = ""
    tokens_convention: str = ""
    loss_convention: str = ""
    selected_from: int = 0
    kept_where: Mapping[str, str] = field(default_factory=dict)
    run_column: str = "run"

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.run_table(self)

    def __post_init__(self) -> None:
        n = len(self.runs)
        if len(self.rows) != n:
            raise DataError(f"{len(self.rows)} row numbers for {n} runs", source=self.source)
        frozen: dict[str, Array] = {}
        for name, values in self.columns.items():
            array = np.array(values, dtype=np.float64)  # a private copy we may freeze
            if array.shape != (n,):
                said = f"column has shape {array.shape}, expected ({n},) for {n} runs"
                raise DataError(said, source=self.source, column=name)
            array.flags.writeable = False
            frozen[name] = array
        for name, texts in self.labels.items():
            if len(texts) != n:
                said = f"label column has {len(texts)} values for {n} runs"
                raise DataError(said, source=self.source, column=name)
        # Frozen dataclass: replace the mappings with read-only views of our own copies.
        object.__setattr__(self, "columns", MappingProxyType(frozen))
        object.__setattr__(
            self, "labels", MappingProxyType({k: tuple(v) for k, v in self.labels.items()})
        )
        object.__setattr__(self, "kept_where", MappingProxyType(dict(self.kept_where)))

    def __len__(self) -> int:
        return len(self.runs)

    @overload
    def __getitem__(self, name: str) -> Array: ...
    @overload
    def __getitem__(self, name: list[str]) -> RunTable: ...
    def __getitem__(self, name: str | list[str]) -> Array | RunTable:
        """The numeric column ``name``, or the one the reader read from a source column
        called ``name`` (``table["val_loss"]`` is ``loss`` when read with ``loss=val_loss``);
        for a list of names, the same runs with those columns alone, as a DataFrame's
        ``df[["params", "tokens"]]`` (:func:`~scalinglab.data._table_columns.columns_of`).

        Raises:
            DataError: If there is no such column; the message lists those there are.
            ConfigError: A key that is neither a name nor a list of names (a row number).
        """
        if not isinstance(name, str):
            return columns_of(self, name)
        found = self.column_for(name)  # a column read under another name: by its source name too
        if found is not None:
            return self.columns[found]
        raise missing_column(self, name)

    def has(self, name: str) -> bool:
        """Whether the numeric column ``name`` is present.

        Args:
            name: The column, by the table's own name (``params``, not its source's).

        Returns:
            True if the table holds that numeric column.
        """
        return name in self.columns

    def column_for(self, name: str) -> str | None:
        """The table's column for ``name``: itself, or the canonical column the reader read
        from a source column called ``name`` (``model_size`` -> ``params``), else the one
        column named alike, by either name, as the readers compare names (``model size`` is
        ``Model Size``: :func:`~scalinglab.data._column_names.column_key`); else ``None``.

        Args:
            name: The column, by the table's name or the source's.

        Returns:
            The table's name of the column, or ``None`` where no column (or more than one
            alike) answers to ``name``.
        """
        return column_for(self, name)

    def select(self, mask: NDArray[np.bool_]) -> RunTable:
        """The runs where ``mask`` is true, with the source, notes and exclusions kept, and
        how many runs they were selected from (:attr:`selected_from`; unchanged when ``mask``
        keeps every run).

        Args:
            mask: A boolean array with one entry per run.

        Returns:
            A new table of the runs selected.

        Raises:
            ConfigError: If ``mask`` is not a boolean array with one entry per run.
        """
        mask = np.asarray(mask)
        if mask.dtype != np.bool_ or mask.shape != (len(self),):
            raise ConfigError(
                f"select() needs a boolean mask of shape ({len(self)},), "
                f"got dtype {mask.dtype} and shape {mask.shape}"
            )
        keep = np.flatnonzero(mask)
        runs = tuple(self.runs[i] for i in keep)
        return replace(
            self,
            columns={k: v[keep] for k, v in self.columns.items()},
            runs=runs,
            rows=tuple(self.rows[i] for i in keep),
            labels={k: tuple(v[i] for i in keep) for k, v in self.labels.items()},
            flagged=tuple(f for f in self.flagged if f[0] in runs),  # of the runs kept
            selected_from=self.selected_from if keep.size == len(self) else self.parent_size,
        )

    def where(
        self, column: str | None = None, value: str | None = None, /, **named: object
    ) -> RunTable:
        """The runs whose text column ``column`` is ``value`` (one training corpus, say), or
        that meet a comparison of a number column (``where("params>=2e7")``), as :meth:`select`
        takes them; several ``where`` narrow each other, as a repeated ``--where`` does, and
        so do several keywords (``where(dataset="c4")``). The run ids are the text column
        ``run`` (and :attr:`run_column`): ``where("run", id)``.

        ``column`` and ``value`` are positional only, so that a keyword names any text column,
        ``column`` or ``value`` too (``where(value="high")``). A column written with ``%`` is
        read as numbers, matched as read (``where("data_frac", "10%")`` keeps runs of 0.1).

        Args:
            column: The text column (or ``run``, the run ids), with ``value``.
            value: The value the runs kept have in ``column``.
            **named: More conditions, ``column=value`` each.

        Returns:
            A new table of the runs that meet every condition, which it records in
            :attr:`kept_where`.

        Raises:
            ConfigError: No such text column, or no run with that value (the hint lists the
                columns, or the values: of run ids, the nearest); a value not one string.
        """
        table = self
        for col, val in where_conditions(column, value, named, text_columns=self.labels):
            said = compared(col, val)  # where("params>=2e7"), recorded {"params>=": "2e7"}
            # 10% of a column read from 10%, 50%, as it was read (a size or loss is none)
            number = None if said or col in table.labels else table.column_for(col)
            fraction = None if number in (None, *CANONICAL) else percent_value(val)
            if said:
                keep, shown = table_compared(table, said), []  # none kept: refused there
            elif fraction is not None:
                numbers = table.columns[str(number)]
                keep, shown = numbers == fraction, percent_shown(numbers)
            elif number not in (None, *CANONICAL) and any(
                n.startswith(f"column {col!r} read as percent (") for n in table.notes
            ):  # 0.45 or 45 of a column written 45%: which one is meant, said (--where 45%)
                raise bare_percent(col, val, table.columns[str(number)], source=table.source)
            else:
                values = text_column(table.labels, col, table.source, runs=table.runs,
                                     rows=table.rows, run_column=table.run_column,
                                     numbers={*table.columns, *table.origins.values()},
                                     value=val)  # fmt: skip
                keep, shown = values == val, values.tolist()
            if not np.any(keep):
                # several --where narrow each other: say this one met a subset
                kept = f" among the {len(table)} runs selected" * bool(table.selected_from)
                ids = col in (RUN, table.run_column) and col not in table.labels
                raise no_value(col, val, shown, among=kept, source=table.source, runs=ids)
            table = replace(table.select(keep), kept_where={**table.kept_where, col: val})
        return table

    @property
    def parent_size(self) -> int:
        """Runs of the whole table as read: :attr:`selected_from`, or this table's own."""
        return self.selected_from or len(self)

    def to_pandas(self) -> pd.DataFrame:
        """The table as a DataFrame.

        Returns:
            One row a run: a ``run`` column, the numeric columns, then the text labels.
        """
        data: dict[str, object] = {"run": list(self.runs)}
        data.update({k: np.array(v) for k, v in self.columns.items() if k != "run"})
        data.update({k: list(v) for k, v in self.labels.items() if k not in data})
        import pandas as pd  # here, not at the top: a fit of a RunTable never needs it

        return pd.DataFrame(data)

    def describe_source(self) -> str:
        """One line saying where the runs came from, e.g. ``"runs.csv (240 runs)"``; of a
        subset (:meth:`select`), how many of the source's runs it holds and their sizes, e.g.
        ``"runs.csv (24 of its 240 runs selected, 10.6M-154M params)"``: the source's own
        description (a bundled set's count and size range) is of the whole source.

        Returns:
            The line.
        """
        return described(self)
