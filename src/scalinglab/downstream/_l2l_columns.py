"""Which columns :func:`~scalinglab.downstream.fit_loss_to_loss` (``loss2loss fit``) reads:
its two loss columns and its group column, each refused with the columns there are and the
one meant where a name is near."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab.data._column_names import column_key
from scalinglab.data._missing_column import column_meant
from scalinglab.data._schema import RUN_COLUMNS

if TYPE_CHECKING:
    from scalinglab.data import RunTable

__all__ = ["check_columns"]


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
