"""A notebook shows a fitted chain as HTML (``_repr_html_``): the task table ``downstream
fit`` prints, cell for cell, the chance and coefficients the fit holds, every string
escaped (a ``<`` or ``&`` in a task name or source), no script."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import numpy as np
import pytest
from rich.console import Console
from tests.test_backtest_repr_html import html_tables, printed_rows
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import fit_downstream, read_evals
from scalinglab.cli._rows_table import rich_table
from scalinglab.downstream._task_table import task_table


@pytest.fixture(scope="module")
def chain() -> Any:
    return fit_downstream(read_evals(models(np.random.default_rng(0), SIZES, MULTS)), bootstrap=0)


def test_html_holds_the_printed_task_table(chain: Any) -> None:
    console = Console(record=True, width=400)
    console.print(rich_table(task_table(chain)))  # what `downstream fit` prints
    page = chain._repr_html_()
    (rows,) = html_tables(page)
    assert rows == printed_rows(console.export_text())
    assert [row[0] for row in rows] == list(chain.tasks)
    for row in rows:
        t = chain.tasks[row[0]]
        if not np.isnan(t.chance):
            assert float(row[1]) == pytest.approx(t.chance, rel=1e-3)
        if t.step is not None:  # "a=0.75, k=-3.228, L0=2.485": the fit's to 4 digits
            said = dict(kv.split("=") for kv in row[2].split(", "))
            assert said.keys() == t.step.coefs.keys()
            for name, value in said.items():
                assert float(value) == pytest.approx(t.step.coefs[name], rel=1e-3)
        assert row[4].startswith("predictable" if t.predictable else "not predictable")
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert f"{len(chain.runs)} models from {chain.source}" in text
    assert "<script" not in page


def test_names_and_source_are_escaped(chain: Any) -> None:
    task = next(iter(chain.tasks.values()))
    odd_task = dataclasses.replace(task, task="<script>&t")
    odd = dataclasses.replace(chain, tasks={"<script>&t": odd_task}, source="a<b & c.csv",
                              warnings=("loss < 0 & <i>",))  # fmt: skip
    page = odd._repr_html_()
    assert "<script" not in page and "<i>" not in page
    assert "&lt;script&gt;&amp;t" in page and "a&lt;b &amp; c.csv" in page
    assert "loss &lt; 0 &amp; &lt;i&gt;" in page
