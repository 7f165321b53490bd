"""Counts of resamples are written with their digits grouped, as the README writes step
counts: ``90% interval (1,000 resamples)``, ``3 of 1,000 bootstrap resamples failed``,
``1,000 resamples, 997 kept``, never ``1000``; an option's value to type stays as it is
typed (``--bootstrap 1000``)."""

from __future__ import annotations

import pytest
from tests._cli import cli

from scalinglab._no_intervals import no_intervals_line, no_intervals_why
from scalinglab.cli._render import resamples
from scalinglab.fit._bootstrap import left_out
from scalinglab.fit._diagnostics import coarse_resamples_note
from scalinglab.fit._resamples import resamples_label
from scalinglab.report._html_parts import kept_said


def test_each_wording_groups_the_count() -> None:
    assert resamples_label(1000, "runs") == "1,000 resamples"
    assert resamples_label(2500, "curves") == "2,500 whole-curve resamples"
    assert left_out(3, 1000, "failed") == "3 of 1,000 bootstrap resamples failed and were left out"
    assert no_intervals_why(requested=1000) == "1,000 of 1,000 bootstrap resamples failed"
    assert kept_said(1000, [1000]) == "1,000 resamples"
    assert kept_said(1000, [997]) == "1,000 resamples, 997 kept"
    assert (
        kept_said(1000, [950, 1000], per=" per cell")
        == "1,000 resamples, 950 to 1,000 kept per cell"
    )
    assert resamples(1000) == "1,000 bootstrap resamples"
    note = coarse_resamples_note(40, 0.9)
    assert note is not None and note.endswith("(use 100 or more; 1,000 for final numbers)")


def test_an_option_to_type_is_not_grouped() -> None:
    line = no_intervals_line(requested=0, ask=1000)
    assert line.endswith("run with --bootstrap 1000")


def test_fit_heads_its_interval_column_grouped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "fit", "--law", "power-law-plus-constant:flops", "--bootstrap", "1000"
    )
    assert code == 0, err
    assert "90% interval (1,000 resamples)" in out and "1000 resamples" not in out
