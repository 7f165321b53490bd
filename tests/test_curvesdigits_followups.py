"""Digits follow-ups: the report's coefficient cells as ``fit``'s table writes them, grouped
start counts on the status line, a curve result's losses and steps, one style down an
interval column."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from tests.conftest import SHARED

import scalinglab
from scalinglab._cells import estimate_parts
from scalinglab.curves import read_lr_curves
from scalinglab.curves._prediction import CurvePrediction, FinalLoss
from scalinglab.data._bundled import bundled_runs
from scalinglab.fit import FitResult
from scalinglab.fit._text import fit_text, starts_line
from scalinglab.report._html_sections import fit_section

CURVE = SHARED / "lr-schedules" / "25M" / "cosine_24000.csv"


@pytest.fixture(scope="module")
def chinchilla() -> FitResult:
    return scalinglab.fit("chinchilla", bundled_runs(), bootstrap=0)


def test_report_coefficient_cells_are_the_fit_tables(chinchilla: FitResult) -> None:
    # ends that trip the report's own formatter: 1.9120 (was 1.912) beside 1.7449, a
    # bound bare (0.001, the table's; was 0.001), an end under 1e-3 beside a fixed value
    names = list(chinchilla.coefs)
    ends = [(0.0582, 1.9120), (24.417, 363.16), (83.09, 489.17), (0.00012345, 0.32679),
            (0.19566, 0.30040)]  # fmt: skip
    result = replace(chinchilla, intervals=dict(zip(names, ends, strict=True)),
                     samples=np.zeros((20, len(names))))  # fmt: skip
    rows = {row[0]: row[1:] for row in fit_text(result).rows}  # `fit`'s table, str(result)
    body = fit_section(result).body
    for name in names:
        cells = re.findall(rf"data-param='{name}'[^>]*>([^<]*)</td>", body)
        value, lower, upper = cells
        assert (value, f"[{lower}, {upper}]") == rows[name]
    assert rows["E"][1] == "[0.0582, 1.9120]" and rows["beta"][1].endswith(", 0.30040]")


def test_status_line_groups_its_counts(chinchilla: FitResult) -> None:
    assert chinchilla.n_starts == 4500
    line = starts_line(chinchilla)
    assert line.endswith("(4,500 screened)"), line
    assert "starts: 4,500 tried, " in str(chinchilla)
    assert not re.search(r"\d{4}", line)
    assert "4,500 screened" in fit_section(chinchilla).body


def test_curve_reprs_group_steps_and_write_losses_to_4_decimals() -> None:
    final = FinalLoss(3.273, 3.26851, 3.2769, level=0.9)
    assert repr(final).startswith("FinalLoss(loss=3.2730 [3.2685, 3.2769] at 90%"), repr(final)
    curve = read_lr_curves([CURVE])[0]
    assert "steps 2,160-23,920, final loss 3.3044" in repr(curve), repr(curve)
    steps = np.arange(2160, 24000, dtype=np.int64)
    loss = np.full(len(steps), 3.27)
    p = CurvePrediction(steps, loss, loss - 0.01, loss + 0.01, 0.9, curve.schedule)
    assert "21,840 steps 2,160-23,999, final loss 3.2700 [3.2600, 3.2800] at 90%" in repr(p)


def test_an_interval_column_keeps_its_trailing_zeros_in_every_row() -> None:
    # fit --from-curves ... --curve-law tissue --bootstrap 20: 0.035600 beside 0.0011330
    assert estimate_parts(3.1595e-4, 2.7971e-4, 0.001133) == ("3.1595e-4", "[2.7971e-4, 0.0011330]")
    assert estimate_parts(0.027127, 0.0, 0.0356, bounds=(0.0, 3.0))[1] == "[0, 0.035600]"
    assert estimate_parts(1874.2, 10.967, 3.7636e35)[1] == "[10.967, 3.7636e35]"
    assert estimate_parts(0.0, 0.0, 0.0123, 4) == ("0", "[0, 0.0123]")  # 0 has no figures
