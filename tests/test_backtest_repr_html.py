"""A notebook shows a law comparison and a backtest as HTML (``_repr_html_``): the cells of
the tables ``scalinglab backtest`` prints, the errors as the held-out runs give them, every
string escaped (a ``<`` or ``&`` in a run name or source), no script."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import numpy as np
import pytest
from rich.console import Console

import scalinglab as sl
from scalinglab.cli._backtest_views import print_backtest


@pytest.fixture(scope="module")
def comparison() -> Any:
    runs = sl.simulated_runs()
    return sl.compare(runs, laws=["chinchilla", "kaplan"], holdout="largest:5", bootstrap=20)


def html_tables(page: str) -> list[list[list[str]]]:
    """Each table's body rows, each cell's text (tags stripped, unescaped)."""
    return [
        [
            [
                html.unescape(re.sub(r"<[^>]+>", "", c))
                for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)
            ]
            for tr in re.findall(r"<tr>(.*?)</tr>", body)
        ]
        for body in re.findall(r"<tbody>(.*?)</tbody>", page)
    ]


def printed_rows(text: str) -> list[list[str]]:
    """The body rows of every table Rich printed (``│ a │ b │``), cells stripped."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines()
            if line.startswith("│")]  # fmt: skip


def test_comparison_html_holds_the_printed_tables(comparison: Any) -> None:
    console = Console(record=True, width=1000)  # wide: no cell nor note wraps
    print_backtest(console, comparison, [], None)
    out = console.export_text()
    printed = printed_rows(out)
    page = comparison._repr_html_()
    tables = html_tables(page)
    assert [row for t in tables for row in t] == printed
    laws, runs = tables
    assert [row[0] for row in laws] == ["chinchilla", "kaplan"]
    # the errors, from the held-out runs themselves: |predicted - actual| / actual
    for row, score in zip(laws, comparison.laws, strict=True):
        are = [abs(r.predicted - r.actual) / r.actual for r in score.backtest.runs]
        assert float(row[1].rstrip("%")) == pytest.approx(100 * np.median(are), abs=0.006)
        assert float(row[2].rstrip("%")) == pytest.approx(100 * max(are), abs=0.006)
    winner = comparison.winner.backtest
    assert len(runs) == len(winner.runs) == 5
    by_name = {r.run: r for r in winner.runs}
    for row in runs:
        assert float(row[3]) == pytest.approx(by_name[row[0]].actual, abs=5e-5)
        assert float(row[4]) == pytest.approx(by_name[row[0]].predicted, abs=5e-5)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert f"winner: {comparison.winner.law} — {comparison.reason}" in text
    assert f"rule: {comparison.rule}" in text
    assert "held out 5 runs" in text and "<script" not in page
    # the notes and warnings as the command says them, each law's named by its law
    said = [line for line in out.splitlines()
            if line.startswith(("note: ", "warning: "))]  # fmt: skip
    shown = [
        html.unescape(re.sub(r"<[^>]+>", "", d)) for d in re.findall(r"<div[^>]*>(.*?)</div>", page)
    ]
    assert [line for line in shown if line.startswith(("note: ", "warning: "))] == said
    assert any(line.startswith("note: prediction intervals (kaplan):") for line in said)


def test_backtest_html_lists_at_most_25_runs_and_says_how_many_left() -> None:
    bt = sl.backtest(sl.simulated_runs(), law="chinchilla", holdout="largest:30", bootstrap=0)
    page = bt._repr_html_()
    (runs,) = html_tables(page)
    assert len(runs) == 25 and len(bt.runs) == 30
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert "5 not shown" in text and ".runs holds every one" in text
    assert f"median ARE {bt.summary.median_are:.2%}" in text
    assert "<script" not in page


def test_names_and_sources_are_escaped(comparison: Any) -> None:
    bt = comparison.winner.backtest
    odd_run = dataclasses.replace(bt.runs[0], run="<script>x</script> & y")
    split = dataclasses.replace(bt.split, source="a<b & c.csv")
    odd = dataclasses.replace(bt, runs=(odd_run, *bt.runs[1:]), split=split,
                              warnings=("loss < 0 & <i>",))  # fmt: skip
    page = odd._repr_html_()
    assert "<script" not in page and "<i>" not in page
    assert "&lt;script&gt;x&lt;/script&gt; &amp; y" in page
    assert "data: a&lt;b &amp; c.csv" in page and "loss &lt; 0 &amp; &lt;i&gt;" in page
    score = dataclasses.replace(comparison.laws[0], law="E + A*C**-a <x> & z", backtest=odd)
    cmp = dataclasses.replace(comparison, laws=(score, *comparison.laws[1:]), winner=score)
    page = cmp._repr_html_()
    assert "<script" not in page and "<x>" not in page
    assert "E + A*C**-a &lt;x&gt; &amp; z" in page


def _diverged(k: int) -> str:
    return (f"run-{k:02d} looks diverged: its loss is 4.0 times the median of its size; kept "
            "— pass --drop-outliers (drop_outliers=True) to exclude")  # fmt: skip


def _note_lines(page: str) -> list[str]:
    divs = re.findall(r"<div[^>]*>(.*?)</div>", page)
    shown = [html.unescape(re.sub(r"<[^>]+>", "", d)) for d in divs]
    return [line for line in shown if line.startswith(("note: ", "warning: "))]


def test_more_than_ten_diverged_runs_are_counted_in_one_line_as_the_command_does(
    comparison: Any,
) -> None:
    notes = ("first", *(_diverged(k) for k in range(13)), "warning: a warned note", "last")
    cmp = dataclasses.replace(comparison, notes=notes)
    console = Console(record=True, width=1000)
    print_backtest(console, cmp, [], None)
    said = [line for line in console.export_text().splitlines()
            if line.startswith(("note: ", "warning: "))]  # fmt: skip
    shown = _note_lines(cmp._repr_html_())
    assert shown == said
    ours = [line for line in shown if line.removeprefix("note: ") in (*notes, "first")]
    assert ours[:11] == ["note: first", *(f"note: {_diverged(k)}" for k in range(10))]
    more = shown.index(ours[10]) + 1  # ten named, then one line for the other three
    assert shown[more].startswith("note: ... and 3 more runs look diverged, kept")
    assert shown[more + 1 : more + 3] == ["warning: a warned note", "note: last"]
    assert not any(_diverged(k) in line for k in (10, 11, 12) for line in shown)
    bt = dataclasses.replace(comparison.winner.backtest, notes=notes)  # a backtest: the same
    assert sum("looks diverged:" in line for line in _note_lines(bt._repr_html_())) == 10
