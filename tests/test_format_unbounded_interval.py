"""A positive quantity's unbounded interval is written ``[0, ∞]``: the plan's and predict's
loss column wrote ``[0.0000, ∞]``, a lower end that reads as a measured loss of zero."""

from __future__ import annotations

import math

from scalinglab._format import format_interval, format_loss


def test_an_unbounded_interval_is_zero_to_infinity_without_digits() -> None:
    assert format_interval(0.0, math.inf, format_loss) == "[0, ∞]"
    # a finite interval keeps its digits, a zero end included, and one end infinite alone too
    assert format_interval(0.0, 2.5, format_loss) == "[0.0000, 2.5000]"
    assert format_interval(1.5, math.inf, format_loss) == "[1.5000, ∞]"
    assert format_interval(math.nan, math.inf, format_loss) == ""


def test_the_reports_tables_write_an_unbounded_interval_as_the_command_line_does() -> None:
    # the report's backtest table wrote [0.0000, ∞] through its own span()
    from scalinglab.report._html_parts import span

    assert span(0.0, math.inf, format_loss) == "[0, ∞]"
    assert span(1.5, math.inf, format_loss) == "[1.5000, ∞]"
    assert span(math.nan, 2.0) == "—"
