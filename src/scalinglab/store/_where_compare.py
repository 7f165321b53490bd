"""``--where COLUMN OP NUMBER`` on stored runs (``runs --where 'params<1e7'``, ``runs rm``,
a fit of a ``--store``, ``RunStore.to_run_table(where=...)``): the runs whose number
``scalinglab runs --where COLUMN=VALUE`` reads (params, tokens, flops, loss, lr, batch, a
number of the run's config or extra) meets the comparison, in the grammar and with the
errors of a run table's (:mod:`scalinglab.data._where_compare`).

The comparison is on the stored number itself, not on the digits ``runs`` shows it to:
``params<1.5e8`` keeps a run of 149,999,999 parameters, shown ``150M``. A run without the
value (or with text there) meets none but ``!=``, as a blank cell of a table does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab.data._compare import Compared
from scalinglab.data._where_compare import compare_mask, no_number_column
from scalinglab.store._record import StoredRun
from scalinglab.store._where_columns import is_record

__all__ = ["compared_runs"]


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a number to compare (a flag, ``True``, is none)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def compared_runs(
    runs: Sequence[StoredRun],
    said: Compared,
    values: Sequence[Any],
    *,
    own: Callable[[StoredRun], Mapping[str, Any]],
    store: str,
    among: str,
) -> list[StoredRun]:
    """The runs of ``runs`` whose value (``values``, one per run, ``None`` for none, as
    ``--where COLUMN=VALUE`` reads it) meets ``said``.

    Args:
        runs: The runs left by the conditions before.
        said: The comparison (``params>=2e7``).
        values: Each run's value of ``said.column``.
        own: A run's values by name, read for the error's hint alone.
        store: The store's path, named in errors.
        among: `` among the N runs selected`` where an earlier ``--where`` narrowed them.

    Raises:
        ConfigError: A column no run holds a number in (text: ``--where COLUMN=VALUE``
            selects by it; none: the closest name), or no run kept (the values' range).
    """
    if not any(_is_number(v) for v in values):
        texts, counts = set[str](), set[str]()
        for run in runs:
            for name, value in own(run).items():
                if not is_record(name):
                    (counts if _is_number(value) else texts).add(name)
        if any(isinstance(v, str) for v in values):
            texts.add(said.column)  # config.dataset>=3: a text of the run's config
        raise no_number_column(said, texts=texts, numbers=counts, source=store)
    numbers = np.array([float(v) if _is_number(v) else np.nan for v in values])
    keep = compare_mask(numbers, said, column=said.column, source=store, among=among)
    return [run for run, kept in zip(runs, keep, strict=True) if kept]
