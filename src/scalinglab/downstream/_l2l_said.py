"""A loss-to-loss fit's coefficients and intervals in words, one rule for its table and its
warnings: ``loss2loss fit``'s table writes each coefficient to :data:`FIGURES` significant
figures and its interval's ends to the value's decimals
(:func:`~scalinglab._cells.estimate_parts`), and a warning that names an interval writes it
so too, not as ``fit``'s diagnostics do (``[0, 2.685]`` in the table, ``[0, 2.69]`` in the
warning beside it)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from scalinglab._cells import estimate_parts

__all__ = ["FIGURES", "as_table_writes"]

#: Significant figures of a coefficient in ``loss2loss fit``'s table.
FIGURES = 4

# the diagnostics' lines that name a coefficient's interval (fit/_spans.unidentified,
# fit/_diagnostics.outside_interval): the name first, then the value or the interval
_NAMED = re.compile(
    r"^(?P<name>\w+)(?: = (?P<value>\S+) lies outside its own| is not identified: its) "
    r"interval (?P<band>\[[^\]]*\])"
)


def as_table_writes(
    line: str,
    coefs: Mapping[str, float],
    intervals: Mapping[str, tuple[float, float]],
) -> str:
    """``line`` (a fit's warning) with the coefficient and interval it names written as the
    table writes them; any other line as it is.

    Args:
        line: The warning.
        coefs: The fit's coefficients by name.
        intervals: Their intervals by name.

    Returns:
        The warning, its numbers the table's.
    """
    found = _NAMED.match(line)
    if found is None or found["name"] not in coefs:
        return line
    name = found["name"]
    lo, hi = intervals.get(name, (math.nan, math.nan))
    shown, band = estimate_parts(coefs[name], lo, hi, FIGURES)
    if not band:
        return line
    start, end = found.span("band")
    line = line[:start] + band + line[end:]
    if found["value"] is not None:
        line = line.replace(f"{name} = {found['value']} ", f"{name} = {shown} ", 1)
    return line
