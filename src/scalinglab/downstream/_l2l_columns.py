"""Which columns :func:`~scalinglab.downstream.fit_loss_to_loss` (``loss2loss fit``) reads:
its two loss columns and its group column, each refused with the columns there are and the
one meant where a name is near."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import ConfigError, DataError, did_you_mean
from scalinglab._format import format_counted, format_g
from scalinglab.data._column_names import column_key
from scalinglab.data._missing_column import column_meant
from scalinglab.data._schema import ALIASES, RUN_COLUMNS

if TYPE_CHECKING:
    from scalinglab.data import RunTable

__all__ = ["FIX_LOSS", "check_columns", "check_loss_names", "not_a_loss"]

#: What a run without a usable loss asks, the option of another loss column after it (as
#: ``--x COLUMN``): ``loss2loss fit`` has no --drop-outliers, so a NaN or inf loss is fixed.
FIX_LOSS = "fill in or fix the value, or remove the row; or choose another loss column: "


def check_loss_names(x: str, y: str, *, option: str = "{}=") -> None:
    """Refuse a loss-to-loss fit of ``x`` onto itself, or of a column that is no loss: a
    task's accuracy (``acc_<task>``: its law is the downstream chain's), or the runs'
    names, size, tokens or compute (read as a loss, each would be fitted, with no more than
    warnings that the law does not follow it). ``option`` as :func:`check_columns`'s.

    Raises:
        ConfigError: Naming the argument and what the column is.
    """
    said = {role: option.format(role).strip(" =") for role in ("x", "y")}  # --x, or x
    if x == y:
        raise ConfigError(
            f"{said['x']} and {said['y']} are both {x!r}: a loss predicts another loss"
        )
    for role, name in (("x", x), ("y", y)):
        accuracy = column_key(name).startswith("acc_")
        what = "a task's accuracy" if accuracy else not_a_loss(name)
        if what is None:
            continue
        loss = y if role == "x" else x  # the other column: the chain's loss
        hint = "choose loss columns for both (loss_... in an evaluation table)"
        if accuracy:  # a task's accuracy against a loss: the chain's sigmoid, with chance
            task = re.sub(r"^acc_(norm_)?", "", name, flags=re.IGNORECASE)
            hint = (f"a task's accuracy from a loss is a downstream fit: scalinglab "
                    f"downstream fit RUNS --task {task} --via {loss} (fit_downstream in "
                    "Python)")  # fmt: skip
        raise ConfigError(
            f"{option.format(role)}{name!r} is {what}, not a loss: loss-to-loss predicts one loss "
            "from another",
            hint=hint,
        )


def not_a_loss(column: str) -> str | None:
    """What ``column`` is when it names the runs' size, tokens, compute or names (so a
    chain cannot go through it, nor a loss-to-loss law read it, as a loss), else ``None``."""
    key = column_key(column)
    if key in RUN_COLUMNS:
        return "the runs' names"
    for role in ("params", "tokens", "flops"):
        if key == role or key in ALIASES[role]:
            return f"the runs' {role}"
    return None


def check_columns(
    table: RunTable, *, x: str, y: str, group: str | None, option: str = "{}="
) -> None:
    """Refuse a loss column ``x`` or ``y`` or a text column ``group`` that ``table`` lacks;
    ``option`` spells the argument in the message (``"--{} "`` on the command line).

    Raises:
        ConfigError: A column that is not there, with the columns that are.
        DataError: A column of text, naming its first cell that is not a number.
    """
    from scalinglab.data._plain_numbers import LOSS_HINT, read_numbers
    from scalinglab.data._raw import RawTable

    for role, name in (("x", x), ("y", y)):
        if name in table.labels:  # read as text: a cell that is no number says which
            other = f"{option.format(role)}COLUMN"
            cells = RawTable(table.source, (name,), {name: table.labels[name]}, table.rows)
            hint = f"{LOSS_HINT}; or choose another loss column: {other}"
            read_numbers(cells, name, loss=True, option=other, hint=hint)  # a loss: plain
        if table.column_for(name) is None:
            raise ConfigError(
                f"{option.format(role)}{name!r}: {table.source} has no such column"
                f"{column_meant(table, name)}",
                hint="its columns are " + ", ".join(sorted(table.columns)),
            )
    for role, name in (("x", x), ("y", y)):
        _check_values(table, name, f"{option.format(role)}COLUMN")
    if group is not None and group not in table.labels and column_key(group) in RUN_COLUMNS:
        raise ConfigError(  # the run names are not one of the labels: not a group either
            f"{option.format('group')}{group!r}: that is the column naming the runs, one "
            "group per run, each too small to fit",
            hint="group by a text column shared by runs of one training corpus: "
            + (", ".join(sorted(table.labels)) or f"{table.source} has none"),
        )
    if group is not None and group not in table.labels:
        raise ConfigError(
            f"{option.format('group')}{group!r}: {table.source} has no such text column"
            f"{did_you_mean(group, table.labels)}",
            hint="its text columns are " + (", ".join(sorted(table.labels)) or "none"),
        )


def _check_values(table: RunTable, name: str, other: str) -> None:
    """Refuse a blank, non-finite or non-positive loss in column ``name``, naming its first
    run and row: the law takes the log of both losses, so one such cell fails every start
    (``every one of the 25 starts failed``) rather than saying where it is.

    Raises:
        DataError: The first such value, its row, column and how many more.
    """
    values = np.asarray(table[name], dtype=np.float64)
    bad = ~(values > 0) | ~np.isfinite(values)  # NaN compares False: caught by the first
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    value = float(values[first])
    more = int(bad.sum()) - 1
    column = table.column_for(name) or name
    raise DataError(
        f"run {table.runs[first]!r} has "
        + ("no value" if math.isnan(value) else f"a loss of {format_g(value)}")
        + (f" (and {format_counted(more, 'more run')})" if more else "")
        + "; every run needs both losses, each a positive number",
        source=table.source,
        row=table.rows[first],
        column=table.origins.get(column, column),
        hint=FIX_LOSS + other,
    )
