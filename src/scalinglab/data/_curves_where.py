"""Which points of :class:`~scalinglab.data.Curves` a condition of :meth:`Curves.where
<scalinglab.data.Curves.where>` keeps (``envelope --where``): the points of the runs whose
text column has the value, or whose ``params`` meets a comparison (``params>=2e7``). The
condition chooses runs, whole curves: a comparison on what is logged at each point
(``tokens``, ``loss``, ``flops``, ``step``) would cut points out of each curve, and is
refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.data._compare import compared
from scalinglab.data._where_compare import compare_mask, no_number_column
from scalinglab.data._where_errors import RUN, no_value
from scalinglab.data._where_rows import text_column

if TYPE_CHECKING:
    from scalinglab.data._curves import Curves

__all__ = ["points_where"]

#: What curves hold at each point, by the names a comparison may give them.
_POINTS = ("tokens", "loss", "flops", "step")


def points_where(curves: Curves, column: str, value: str) -> NDArray[np.intp]:
    """The indices of the points of ``curves`` that ``(column, value)`` keeps.

    Raises:
        ConfigError: No such text column, or no point with that value (the hint lists
            the columns, or the values there are); a comparison on a column logged per
            point, on a text column or none, or one no run meets.
    """
    said = compared(column, value)
    if said is not None and said.column in _POINTS:
        raise ConfigError(
            f"--where {str(said)!r} (where= in Python): {said.column!r} is logged at each "
            f"point of the curves of {curves.source}, and --where chooses runs (whole "
            "curves): it would cut points out of them",
            hint="compare a number of one value per run ('params>=2e7'), or choose runs by "
            "a text column (--where dataset=c4)",
        )
    if said is not None:
        if said.column != "params":  # the one number of a run that curves keep
            texts = {*curves.labels, RUN}
            raise no_number_column(said, texts=texts, numbers=["params"], source=curves.source)
        kept = compare_mask(curves.params, said, column="params", source=curves.source)
        return np.flatnonzero(kept)
    values = text_column(curves.labels, column, curves.source, runs=curves.runs,
                         rows=curves.rows, numbers=("params", "tokens", "loss"),
                         value=value)  # fmt: skip
    keep = np.flatnonzero(values == value)
    if not keep.size:
        ids = column == RUN and column not in curves.labels
        raise no_value(column, value, values.tolist(), among="", source=curves.source, runs=ids)
    return keep
