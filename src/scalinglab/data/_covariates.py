"""The columns of a run table beyond params, tokens, flops and loss: covariates, read as
numbers where every cell is one, as fractions where written with ``%`` (an accuracy), and
as text labels (an optimizer's name) otherwise."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._percent import percent_note, percent_values
from scalinglab.data._plain_numbers import is_loss_name, plain_loss
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
) -> list[str]:
    """Read each ``others`` target from its source column into ``numeric`` or ``labels``,
    saying what was assumed in ``notes``; returns the columns read in human notation
    (``1,000``), whose commas the caller checks.

    Raises:
        DataError: For a column named as a loss (``eval_loss``) written as a size (``3.1K``).
    """
    human: list[str] = []
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
        if example is not None and is_loss_name(src):  # an eval loss: as plain as the loss
            plain_loss(raw.cells[src], raw.rows, source=raw.source, column=src, option=None)
        human += [src] if example is not None else []
    return human
