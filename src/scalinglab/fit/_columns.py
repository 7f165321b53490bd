"""Which run-table column each of a law's variables reads (``--x N=model_size``)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_quantity
from scalinglab._looks import is_duckdb
from scalinglab.data._covariates import why_text
from scalinglab.data._derived import derived_as
from scalinglab.data._flops_rule import FlopsConvention, fitted_flops
from scalinglab.data._missing_column import column_meant
from scalinglab.data._table import RunTable
from scalinglab.laws import Law
from scalinglab.laws._presets import Conventions

__all__ = [
    "check_spread", "compute_hint", "data_conventions", "law_columns", "loss_read", "runs_flops",
]  # fmt: skip

#: A column name that says it holds compute: ``compute (PF-days)``, ``train_flops``.
_COMPUTE = re.compile(r"comput|flop|pf[-_ ]?day", re.IGNORECASE)
#: A column name that says it holds tokens per parameter, a ratio and no size:
#: ``tokens_per_param``, ``tokens/param``, ``tpp``, ``tokens_per_param_multiplier``.
_PER_PARAM = re.compile(r"(?:per|/)[-_ ]?param|^tpp$", re.IGNORECASE)


def law_columns(law: Law, table: RunTable, x: Mapping[str, str] | None) -> dict[str, str]:
    """The table column each of ``law``'s variables reads: its default (``N`` -> ``params``)
    or ``x``'s mapping, looked up through the reader's renames (``model_size`` -> ``params``).
    A column ``x`` names keeps the name given (``N`` -> ``nonemb``, though the table holds
    it as ``params``): the result records the column each symbol was read from, and
    ``predict`` takes it by that name (and by ``params=``, which it stands for).

    Raises:
        ConfigError: For an ``x`` symbol the law does not have.
        DataError: For a column the runs do not have, listing the ones they do.
    """
    mapping = dict(law.variables)
    for symbol, column in (x or {}).items():
        if symbol not in mapping:
            raise ConfigError(
                f"--x {symbol}={column} (x={{{symbol!r}: {column!r}}}): law {law.name!r} has no "
                f"variable {symbol!r}",
                hint=f"its variables are {', '.join(mapping)}",
            )
        mapping[symbol] = column
    for symbol, column in mapping.items():
        found = table.column_for(column)  # the reader may have renamed it: model_size -> params
        if found is not None:
            mapping[symbol] = column if symbol in (x or {}) else found
            continue
        _no_text(law, table, symbol, column)
        free = _free_columns(table, mapping, symbol)
        compute = [c for c in free if column != "flops" and _COMPUTE.search(c)]
        ratios = [c for c in free if column != "flops" and _PER_PARAM.search(c)]
        free = [c for c in free if c not in compute + ratios]  # never read as a size
        have = ", ".join(
            f"{c} (read from {table.origins[c]})" if c in table.origins else c for c in free
        )
        # one column to choose: the option written with it, quoted as a shell needs it
        pick = shlex.quote(free[0]) if len(free) == 1 else "COLUMN"
        python = repr(free[0]) if len(free) == 1 else "COLUMN"
        if symbol not in (x or {}) and _stored_size(table, column):
            hint = (
                f"no stored run has {column}: ingest the runs again with the column that "
                f"holds it, scalinglab ingest SOURCE --store {table.source} --map "
                f"{column}=COLUMN (the runs are updated in place)"
            )
        elif column == "flops" and symbol not in (x or {}):  # never a size read as compute
            hint = _no_flops_hint(table, symbol)
        elif ratios and symbol not in (x or {}):
            hint = _ratio_hint(ratios[0], column)
        elif not have and compute:
            hint = (
                f"{compute[0]!r} holds compute, not {column}: read it as flops, --map "
                f"flops={shlex.quote(compute[0])} (in FLOPs: a PF-day is 8.64e19), and "
                f"{column} is derived from it (C = 6·N·D); or add a {column} column"
            )
        elif not have:
            hint = (
                f"the runs have no unused numeric column to read {symbol} from: add a "
                f"{column} column to them, or fit a law without {symbol}"
            )
        elif symbol in (x or {}):  # the user named it: say what there is, not what they did
            hint = (
                f"the runs' unused numeric column is {have}; read it: --x {symbol}={pick} "
                f"(x={{{symbol!r}: {python}}})"
                if len(free) == 1
                else f"the runs' unused numeric columns are {have}; pick one: --x "
                f"{symbol}=COLUMN (x={{{symbol!r}: COLUMN}})"
            )
        else:
            hint = (
                f"map it to {have}, the runs' one unused numeric column: --x {symbol}={pick}"
                if len(free) == 1
                else f"map it to one of {have}: --x {symbol}=COLUMN"
            )
        raise DataError(
            f"law {law.name!r} needs column {column!r} for {symbol}, and the runs have no "
            f"column {column!r}" + (column_meant(table, column) if symbol in (x or {}) else ""),
            source=table.source,
            column=column,
            hint=hint,
        )
    return mapping


def _no_text(law: Law, table: RunTable, symbol: str, column: str) -> None:
    """Refuse a variable read from a text column (an optimizer's name, or numbers whose comma
    the file does not settle: its note says which readings), which the hint of
    :func:`law_columns` would leave unexplained.

    Raises:
        DataError: When ``column`` is one of the runs' text columns.
    """
    if column not in table.labels:
        return
    why, what = why_text(table.notes, column)
    raise DataError(
        f"law {law.name!r} needs column {column!r} for {symbol} as numbers, and the runs hold "
        f"it as text" + (f": {why}" if why else f" ({table.labels[column][0]!r}, ...)"),
        source=table.source,
        column=column,
        hint=what or f"read {symbol} from a column of numbers: --x {symbol}=COLUMN",
    )


def _ratio_hint(ratio: str, column: str) -> str:
    """What to add for a size missing beside a column of tokens per parameter, which is no
    size: read as one (``--x D=tokens_per_param``), it would fit the law to a ratio."""
    how = f"params × {ratio}" if column == "tokens" else f"tokens / {ratio}"
    return f"{ratio!r} holds tokens per parameter, not {column}: add a {column} column, {how}"


def _no_flops_hint(table: RunTable, symbol: str) -> str:
    """What to add for a law of compute on runs without it: a flops column, or the size
    (tokens) missing from the two that 6·N·D derives it from; another column mapped would
    fit the law of compute to, say, model size."""
    named = compute_hint(table)
    if named:
        return named
    lacking = " and ".join(c for c in ("params", "tokens") if not table.has(c))
    return (
        f"add a flops column, or {lacking} ({symbol} = 6·N·D is derived from params and "
        f"tokens); a column that holds compute under another name: --x {symbol}=COLUMN"
    )


def compute_hint(table: RunTable) -> str | None:
    """The ``--map flops=COLUMN`` that reads a column named as compute (``compute_flops``,
    ``FLOPs (6ND)``, ``pf_days``) which the reader did not take as flops, for a message
    where the runs have no flops; ``None`` where no column is named so."""
    found = [c for c in sorted(table.columns) if c != "loss" and _COMPUTE.search(c)]
    if not found:
        return None
    said = " or ".join(repr(c) for c in found[:3])
    return (
        f"{said} looks like compute: read it as flops, --map flops={shlex.quote(found[0])} "
        f"(x={{'C': {found[0]!r}}} in Python; in FLOPs: a PF-day is 8.64e19)"
    )


def _free_columns(table: RunTable, mapping: Mapping[str, str], symbol: str) -> list[str]:
    """The runs' own numeric columns a variable could read: not the loss, not one derived
    from the others (flops as 6·N·D), not one another of the law's variables reads."""
    used = {table.column_for(c) for s, c in mapping.items() if s != symbol}
    derived = {c for c in table.columns if derived_as(c, table.notes)}
    return [c for c in sorted(table.columns) if c != "loss" and c not in used | derived]


def _stored_size(table: RunTable, column: str) -> bool:
    """Whether ``column`` is a size a run store keeps, missing from runs read from a store
    (a DuckDB file, ``.duckdb`` or by its bytes, ``runs.db``: no run-table reader reads
    one): a store's sizes are set at ingest, so that is where to name the column, and
    ``--x`` onto a covariate (lr) is never right."""
    if column not in ("params", "tokens", "flops"):
        return False
    return Path(table.source).suffix == ".duckdb" or is_duckdb(Path(table.source))


def check_spread(
    law: Law, table: RunTable, mapping: Mapping[str, str], *, quantity: str = "the loss"
) -> None:
    """Refuse a variable every run shares: the law's terms in it are then constants, the fit
    "converges" to any of infinitely many optima, and plans from it are meaningless.
    ``quantity`` is what the law predicts, as the message names it (``"lr*"`` for a law of
    the optimal learning rate fitted across a sweep's cells)."""
    for symbol, column in mapping.items():
        values = np.asarray(table[column], dtype=np.float64)
        if len(values) and np.nanmin(values) == np.nanmax(values):
            raise DataError(
                f"every run has {column} = {format_quantity(float(values[0]), column)}: law "
                f"{law.name!r} cannot fit how {quantity} depends on {symbol} without runs at "
                f"different {column}",
                source=table.source,
                column=column,
                hint=f"add runs at other values of {column}, or fit a law without {symbol}",
            )


def data_conventions(table: RunTable, *, y: str = "loss") -> Conventions:
    """The conventions of runs read as they are: their N, D and FLOPs as the table records
    them, and their loss where the fit's ``y`` is the column it describes (``loss``), else
    the column it was read from where the file names it otherwise (one file's eight
    validation losses: ``"as given in the run table (column 'loss_c4_val')"``)."""
    given = {"flops": table.flops_convention, "params": table.params_convention}
    given["tokens"] = table.tokens_convention
    given["loss"] = table.loss_convention if y == "loss" else ""
    column = loss_read(table, y)
    if not given["loss"] and column != "loss":  # which loss a plan or prediction is of
        given["loss"] = f"{Conventions.loss} (column {column!r})"
    return Conventions(**{name: text for name, text in given.items() if text})


def loss_read(table: RunTable, y: str) -> str:
    """The source column ``y`` read, as a fit records it (:attr:`FitResult.y`): ``y`` itself
    where the source names a column so, else the one it matched as readers compare names
    (``y="val_loss"`` reads ``"val loss"``: :meth:`RunTable.column_for`), and of a table read
    already (``read_runs(path, y="loss_c4_val")``) the column its ``loss`` was read from, so
    the result, its JSON and its report name the user's column."""
    found = table.column_for(y)
    if found is None or y == table.origins.get(found):
        return y
    return table.origins.get(found, found)


def runs_flops(table: RunTable, columns: Mapping[str, str], counted: str) -> FlopsConvention:
    """How the fitted runs counted FLOPs (``counted``: in words), read off their numbers
    (:func:`~scalinglab.data._flops_rule.fitted_flops`), in the N and D the law reads
    (``--x N=nonemb``: ``C = 6·N·D·r(N)`` in that N, as its plans count it), else the runs'
    params and tokens. It records the runs' largest FLOPs, which ``fit``'s plan table
    takes its default budgets from, for ``plan --fit`` to take the same."""
    from scalinglab.fit._inputs import names_for  # imports the laws, which import this

    def column(coordinate: str) -> str:
        return next(
            (c for s, c in columns.items() if coordinate in names_for(s, columns)), coordinate
        )

    read = (column("params"), column("tokens"), "flops")
    if any(table.column_for(c) is None for c in read):
        rule = FlopsConvention(
            counted=counted, unclear="the runs have no FLOPs, N and D to compare"
        )
    else:
        rule = fitted_flops(counted, *(table[c] for c in read))
    flops = np.asarray(table["flops"], dtype=np.float64) if table.has("flops") else np.empty(0)
    finite = flops[np.isfinite(flops) & (flops > 0)]  # as default_budgets reads them
    return replace(rule, largest=float(finite.max()) if finite.size else None)
