"""The one line saying where a run table's runs came from (:meth:`RunTable.describe_source
<scalinglab.data.RunTable.describe_source>`): the source, the conditions its runs were kept
by (``--where``), how many runs, of a selection how many of the source's and their sizes,
how many were excluded, and a simulated set said so."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scalinglab._format import format_count
from scalinglab.data._compare import condition_words

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable

__all__ = ["SIMULATED_PREFIX", "described"]

#: The start of a simulated table's source, which its description replaces.
SIMULATED_PREFIX = "simulated: "


def described(table: RunTable) -> str:
    """As :meth:`RunTable.describe_source <scalinglab.data.RunTable.describe_source>`
    documents it."""
    count = f"{len(table)} run" + ("" if len(table) == 1 else "s")
    if table.selected_from:
        count = f"{len(table)} of its {table.selected_from} runs selected"
        if len(table) and table.has("params"):
            low, high = np.min(table.columns["params"]), np.max(table.columns["params"])
            count += f", {format_count(float(low))}-{format_count(float(high))} params"
    if table.excluded:
        count += f", {len(table.excluded)} excluded"
    # the selection named, so fits of one file's corpora say which each is (data lines,
    # a plan's "fit:", a report's title, every JSON "source")
    kept = " and ".join(condition_words(k, v) for k, v in table.kept_where.items())
    source = f"{table.source} where {kept}" if kept else table.source
    if table.simulated:
        what = source.removeprefix(SIMULATED_PREFIX)
        return f"SIMULATED ladder — {what} ({count})"
    return f"{source} ({count})"
