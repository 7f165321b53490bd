"""A size past the largest unit, T, is said in plain scientific notation by every formatter
that writes one in units (``6.4e38``), never a unit with an exponent before it: the held-out
models' sizes of a downstream fit wrote ``6.4e29B`` (B their largest unit, ``5e4B`` for
50T) and a sweep's cell labels ``1e3T``; the boundary is where a count rounds to 1e15."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab._format import format_count
from scalinglab.downstream._held_out import size_said, sizes_said
from scalinglab.hparams._cell_label import cell_label


@pytest.mark.parametrize(
    ("n", "count", "said"),
    [
        (411.6e6, "412M", "411.6M"),  # held-out sizes keep 4 figures of millions
        (999.97e6, "1B", "1B"),  # rounds up into the next unit, not "1e3M"
        (3.15e9, "3.15B", "3.15B"),
        (999.6e9, "1T", "1T"),  # not "1e3B"
        (5e13, "50T", "50T"),  # not "5e4B"
        (999.4e12, "999T", "999T"),  # the last count with a unit
        (999.6e12, "1e15", "1e15"),  # rounds to 1e15: past T, no unit
        (1e15, "1e15", "1e15"),
        (2.5e15, "2.5e15", "2.5e15"),
        (6.4e38, "6.4e38", "6.4e38"),  # not "6.4e29B", nor "6.4e26T"
    ],
)
def test_a_size_past_t_is_plain_scientific_in_every_formatter(
    n: float, count: str, said: str
) -> None:
    assert format_count(n) == count
    assert size_said(n) == said
    assert cell_label({"params": n, "tokens": 20 * n}) == f"N={count} D={format_count(20 * n)}"
    # no formatter writes a unit after an exponent
    for text in (format_count(n), size_said(n), cell_label({"params": n})):
        assert not any(text.endswith(f"{unit}") and "e" in text for unit in "KMBT")


def test_a_span_of_held_out_sizes_past_t_reads_as_two_numbers() -> None:
    params = np.array([4e14, 6.4e29])
    assert sizes_said(params) == "400T-6.4e29"
    assert format_count(6.4e29, digits=4) == "6.4e29"
    assert format_count(6.4321e29, digits=2) == "6.4e29"
