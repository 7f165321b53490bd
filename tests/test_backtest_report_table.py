"""The report's held-out runs table heads its distance column and orders its rows as
``scalinglab backtest`` does (``× fitted``, farthest past the largest fitted first): it was
headed ``distance ×`` and ordered nearest first, so one backtest read two ways."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from scalinglab._backtest_order import by_distance
from scalinglab.report._report_validation import backtest_section
from scalinglab.validate._rows import held_out_rows

LAW = "Linf + A*exp(-k*U)"


@pytest.mark.parametrize("low", [1.0, -1.0])  # a factor; spans, on an axis reaching 0
@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_the_report_table_reads_as_the_command_line(tmp_path: Path, low: float) -> None:
    x = np.linspace(low, low + 5.0, 20)
    path = tmp_path / "runs.csv"
    runs = [f"r{k:02d}" for k in range(20)]
    pd.DataFrame({"run": runs, "x": x, "loss": 1 + 3 * np.exp(-0.7 * x)}).to_csv(path, index=False)
    bt = sl.backtest(path, law=LAW, x={"U": "x"}, holdout=f"x>{low + 1}", bootstrap=0)
    cli = held_out_rows(bt, by_distance(bt))
    body = html.unescape(backtest_section(bt, level=0.9).body)
    table = body[body.index("<table class='backtest'>") :]
    heads = re.findall(r"<th>([^<]*)</th>", table[: table.index("</thead>")])
    assert heads[2] == cli.columns[2].header == ("× fitted" if low > 0 else "spans past fitted")
    listed = re.findall(r"<tr><td>(r\d\d)</td>", table)
    assert listed == [row[0].text for row in cli.rows] == runs[:3:-1]  # farthest first
