"""The columns of a run table beyond params, tokens, flops and loss: covariates, read as
numbers where every cell is one, as fractions where written with ``%`` (an accuracy), and
as text labels (an optimizer's name) otherwise. A column of numbers with a comma the file
does not settle (``batch_size`` of ``1,024``) is kept as text with a note, not refused: a fit
of params and tokens never reads it, and a command that does reads it as a number and
refuses it there (``--x U=batch_size``, a sweep's batch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._percent import percent_note, percent_values
from scalinglab.data._plain_numbers import (
    comma_text,
    comma_text_note,
    no_decimal_comma_loss,
    notation_rules,
)
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import is_missing, parse_values

__all__ = ["read_covariates", "why_text"]

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
        DataError: For a column named as a loss (``eval_loss``) written as a size (``3.1K``)
            or with a comma (``5,006``, or a decimal comma: ``3,1``).
    """
    for target, src in others.items():
        try:
            numeric[target], example = parse_values(
                raw.cells[src], raw.rows, source=raw.source, column=src
            )
        except DataError:  # text, e.g. an optimizer name: keep it as a covariate label
            no_decimal_comma_loss(raw, src)  # but 3,1 in an eval loss: refused, as the loss
            fractions = percent_values(raw.cells[src])  # an accuracy of 26.3%: a number
            if fractions is not None:
                numeric[target] = fractions
                notes.append(percent_note(src, fractions))
                continue
            labels[target] = _texts(raw, src)
            continue
        comma = comma_text(raw, src, example=example)
        if comma is not None:  # 1,024 or 1.024: a label, as read, until a command reads it
            del numeric[target]
            labels[target] = _texts(raw, src)
            notes.append(comma_text_note(src, comma))
            continue
        notation_rules(raw, src, example=example)  # an eval loss: as plain as the loss


def _texts(raw: RawTable, src: str) -> tuple[str, ...]:
    """Column ``src`` as text labels, a missing cell empty."""
    return tuple("" if is_missing(c) else str(c) for c in as_list(raw.cells[src]))


def why_text(notes: Sequence[str], column: str) -> tuple[str, str]:
    """Why the runs hold ``column`` as text, from a run table's ``notes``: the readings of the
    comma that :func:`read_covariates` kept it as text for, and how to read it as numbers;
    ``("", "")`` for a column of text (an optimizer's name)."""
    prefix = f"column {column!r} read as text: "
    said = next((n.removeprefix(prefix) for n in notes if n.startswith(prefix)), "")
    why, _, what = said.partition("; ")
    return why, what
