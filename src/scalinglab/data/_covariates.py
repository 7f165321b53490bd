"""The columns of a run table beyond params, tokens, flops and loss: covariates, read as
numbers where every cell is one, as fractions where written with ``%`` (an accuracy), and
as text labels (an optimizer's name) otherwise."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._percent import percent_note, percent_values
from scalinglab.data._plain_numbers import notation_rules
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import is_missing, parse_values

__all__ = ["read_covariates"]

Array = NDArray[np.float64]


def read_covariates(
    raw: RawTable,
    others: Mapping[str, str],
    *,
    numeric: dict[str, Array],
    labels: dict[str, tuple[str, ...]],
    notes: list[str],
) -> None:
    """Read each ``others`` target from its source column into ``numeric`` or ``labels``,
    saying what was assumed in ``notes``: a column of numbers by the rules of every table
    (:func:`~scalinglab.data._plain_numbers.notation_rules`).

    Raises:
        DataError: For a column named as a loss (``eval_loss``) written as a size (``3.1K``),
            or a single comma group (``5,006``) the file does not settle.
    """
    for target, src in others.items():
        try:
            numeric[target], example = parse_values(
                raw.cells[src], raw.rows, source=raw.source, column=src
            )
        except DataError:  # text, e.g. an optimizer name: keep it as a covariate label
            fractions = percent_values(raw.cells[src])  # an accuracy of 26.3%: a number
            if fractions is not None:
                numeric[target] = fractions
                notes.append(percent_note(src, fractions))
                continue
            labels[target] = tuple("" if is_missing(c) else str(c) for c in as_list(raw.cells[src]))
            continue
        notation_rules(raw, src, example=example)  # an eval loss: as plain as the loss
