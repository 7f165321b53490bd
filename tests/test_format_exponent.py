"""A FLOP count (and a tokens-per-parameter ratio past a million, written as one) in
scientific notation is written as the tables' other numbers are: ``1.04e7``, ``1e5``, not
``1.04e07``, ``1e05`` beside ``1.60e8`` in one table (``isoflop --at``'s tokens/param
beside its coefficient's interval)."""

from __future__ import annotations

import pytest

from scalinglab.cli import _render as render


@pytest.mark.parametrize("x", [1.04e7, 1e5, 2.5e-5, 3.3e21])
def test_scientific_counts_are_written_as_the_tables_numbers_are(x: float) -> None:
    mantissa, _, exponent = f"{x:.3g}".partition("e")
    assert render.flops(x) == f"{mantissa}e{int(exponent)}"  # no padding zero, no '+'
    assert render.flops(x).split("e")[1] == render.number(x, 3).split("e")[1]
    if x >= 1e6:  # a degenerate plan's tokens per parameter, written as a FLOP count
        assert render.ratio(x) == render.flops(x)
