"""The plan views (``Allocation``, ``Frontier``) look as every other notebook view does
(:mod:`scalinglab._html_table`): a warning in the one colour and markup a fit's view gives
it, each note its ``note:`` line as the terminal prints it, an interval dim under its value
and a distance past a decade bold yellow, as the terminal draws them."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from rich.console import Console

from scalinglab import FitResult, fit, optimal_allocation, simulated_runs
from scalinglab._html_table import WARNING_COLOUR, html_table
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.cli._fit_views import print_plan_summary
from scalinglab.plan import frontier

_WARNED = re.compile(r"<div style='([^']*)'><b>warning:</b> ")


@pytest.fixture(scope="module")
def result() -> FitResult:
    return fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)


def test_a_warning_is_marked_as_a_fits_view_marks_it(result: FitResult) -> None:
    assert result.warnings  # the fit's view says one: the markup to match
    (fit_style,) = set(_WARNED.findall(result._repr_html_()))
    a = replace(optimal_allocation(result, flops=1e24), warnings=("N* < 1",))
    f = frontier(result, budgets=[1e20, 1e22])
    f = replace(f, allocations=(replace(f[0], warnings=("N* < 1",)), f[1]))
    for view in (a._repr_html_(), f._repr_html_()):
        assert _WARNED.findall(view) == [fit_style]
        assert f"<div style='{fit_style}'><b>warning:</b> N* &lt; 1</div>" in view
        assert "<li" not in view and "<ul" not in view and WARNING_COLOUR in fit_style


def test_the_notes_are_the_lines_the_terminal_prints(result: FitResult) -> None:
    f = frontier(result, budgets=[1e20, 1e22, 1e26])
    console = Console(record=True, width=2000)  # wide: no line wraps
    print_plan_summary(console, list(f))
    printed = [ln for ln in console.export_text().splitlines() if ln.startswith("note: ")]
    assert len(printed) >= 2  # far past the runs: the rows' notes
    shown = re.findall(r"<div>(note: [^<]*)</div>", f._repr_html_().replace("&#x27;", "'"))
    assert shown == printed
    a = f[2]  # one budget's view: its own notes, each its line
    lines = re.findall(r"<div>(note: [^<]*)</div>", a._repr_html_().replace("&#x27;", "'"))
    assert lines == [f"note: {n}" for n in a.notes] and a.notes


def test_bands_dim_and_a_far_distance_bold_yellow(result: FitResult) -> None:
    f = frontier(result, budgets=[1e20, 1e26])  # inside the runs, then 5 decades past
    rows = re.findall(r"<tr>(.*?)</tr>", f._repr_html_())[1:]
    dim, loud = (
        "<span style='opacity:0.65'><br>[",
        f"<span style='font-weight:bold;color:{WARNING_COLOUR}'>",
    )
    assert rows[0].count(dim) == 4 and rows[1].count(dim) == 4  # N*, D*, D/N, loss
    assert loud not in rows[0] and f"{loud}x100,000<br>5.00 dec</span>" in rows[1]
    shown = optimal_allocation(result, flops=1e26)._repr_html_()
    assert f"{loud}x100,000<br>5.00 dec</span>" in shown
    near = optimal_allocation(result, flops=1e20)._repr_html_()
    assert loud not in near and ">inside<" in near


def test_a_cell_keeps_its_line_break() -> None:
    table = TableRows("", (Column("a"),), ((cell("x < 1").plus("\n[0, 2]", "dim"),),))
    html = html_table(table)
    assert "x &lt; 1<span style='opacity:0.65'><br>[0, 2]</span></td>" in html
