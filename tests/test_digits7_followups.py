"""Digits, follow-ups: a value on the round bound its interval's end is on is written bare
as that end is (``3 [0.1847, 3]``, not ``3.0000 [0.1847, 3]``), and an infinite end is one
character in the command line's table and the report's coefficient cells (``-∞``, not
``−∞`` with a Unicode minus in the report)."""

from __future__ import annotations

import dataclasses
import math

from tests.test_report_coef_digits import _rows, _said

import scalinglab
from scalinglab._cells import estimate_ends, estimate_parts


def test_a_value_on_the_bound_its_end_is_on_is_written_bare_as_the_end() -> None:
    # a coefficient on its upper bound: 3.0000 [0.1847, 3] (its other end as before)
    assert estimate_parts(3.0, 0.18465, 3.0, bounds=(-1.0, 3.0)) == ("3", "[0.1847, 3]")
    assert estimate_ends(-1.0, -1.0, 0.51234, bounds=(-1.0, 3.0)) == ("-1", "-1", "0.5123")
    assert estimate_parts(0.001, 0.001, 0.5, bounds=(1e-3, 5.0)) == ("0.001", "[0.001, 0.50000]")
    # a positive coefficient's bound, back from its log: to float noise
    tiny = math.exp(math.log(1e-3))
    assert estimate_parts(tiny, tiny, 0.5, bounds=(1e-3, 5.0))[0] == "0.001"
    # a value on a bound no end is on, or with no bounds given, keeps its decimals
    assert estimate_parts(3.0, 2.9, 3.1, bounds=(-1.0, 3.0)) == ("3.0000", "[2.9000, 3.1000]")
    assert estimate_parts(3.0, 0.18465, 3.0) == ("3.0000", "[0.1847, 3.0000]")


def test_an_infinite_end_is_one_character_in_the_cli_table_and_the_report() -> None:
    from scalinglab.data import default_runs
    from scalinglab.fit._text import fit_text
    from scalinglab.report._html_sections import fit_section

    result = scalinglab.fit("chinchilla", default_runs(), bootstrap=20, seed=0)
    # an interval unbounded below and above, as a coefficient free of the data gets
    intervals = {**result.intervals, "A": (-math.inf, math.inf)}
    result = dataclasses.replace(result, intervals=intervals)
    printed = _said(fit_text(result).rows)  # what `scalinglab fit` prints
    html = fit_section(result).body
    cells = _rows(html[html.index("<table class='params'>") :])
    assert ("A", *printed[[r[0] for r in printed].index("A")][1:2], "-∞", "∞") in cells
    assert cells == printed
    assert "−" not in html  # no Unicode minus anywhere on the section
