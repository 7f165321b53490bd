"""A notebook shows a hyperparameter fit as HTML (``_repr_html_``): the cells, laws and law
choice tables ``scalinglab hparams fit`` prints, cell for cell, the laws' own numbers, every
string escaped (a ``<`` or ``&`` in a cell's source or a note), no script."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest
from rich.console import Console
from tests.test_backtest_repr_html import html_tables, printed_rows
from tests.test_report_hparams_page import SEQ_LEN, sweep

from scalinglab.cli._hparams_views import print_fit
from scalinglab.hparams import fit_hparams, read_sweep


@pytest.fixture(scope="module")
def hp() -> Any:
    return fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=20)


def test_html_holds_the_printed_tables(hp: Any) -> None:
    console = Console(record=True, width=400)  # wide: no cell wraps
    print_fit(console, hp)
    page = hp._repr_html_()
    tables = html_tables(page)
    assert [row for t in tables for row in t] == printed_rows(console.export_text())
    cells, laws, choice = tables
    assert len(cells) == len(hp.cells)
    for row, c in zip(cells, hp.cells, strict=True):
        assert row[0] == c.label() and int(row[1]) == c.n_runs
        assert float(row[3].split()[0]) == pytest.approx(c.lr, rel=5e-3)  # lr* to 3 digits
        assert float(row[-2]) == pytest.approx(c.loss, abs=5e-5)
    coefs = [(law, n, v) for law in (hp.lr_law, hp.batch_law, hp.loss_law) if law is not None
             for n, v in law.coefs.items()]  # fmt: skip
    assert [row[1] for row in laws] == [n for _, n, _ in coefs]
    for row, (law, name, value) in zip(laws, coefs, strict=True):
        assert float(row[2]) == pytest.approx(value, rel=1e-3)  # 4 significant digits
        lo, hi = (float(x) for x in row[3].strip("[]").split(", "))
        assert (lo, hi) == pytest.approx(law.intervals[name], rel=1e-3)
    assert len(choice) >= 2
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert f"sweep: {hp.source}" in text and f"law choice: {hp.law_choice.verdict}" in text
    assert "<script" not in page


def test_strings_are_escaped(hp: Any) -> None:
    odd = dataclasses.replace(hp, source="<script>a & b</script>", notes=("cell <1> & 2",),
                              warnings=("loss < 0 & <i>",))  # fmt: skip
    page = odd._repr_html_()
    assert "<script" not in page and "<i>" not in page and "<1>" not in page
    assert "sweep: &lt;script&gt;a &amp; b&lt;/script&gt;" in page
    assert "cell &lt;1&gt; &amp; 2" in page and "loss &lt; 0 &amp; &lt;i&gt;" in page
